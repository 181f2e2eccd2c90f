"""/healthz: 200 "ok" when the database opens and its schema is current; 503 with one word otherwise —
missing, damaged, behind, ahead or busy. Never a path or an exception text (those go to the server log)."""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from indicators.errors import StoreBusy, StoreUnreachable
from indicators.paths import db_path
from indicators.store import db

LOG = logging.getLogger("dabiao.web")


def state(path: Path | str) -> str:
    if not db.is_url(path) and not Path(path).is_file():
        return "missing"
    try:
        with db.connect(path, read_only=True, retry_seconds=2.0) as con:
            return db.schema_state(con)
    except StoreBusy:
        return "busy"
    except StoreUnreachable:  # a PostgreSQL server that does not answer
        return "unreachable"
    except Exception:
        LOG.exception("healthz: the database cannot be opened")
        return "damaged"


async def healthz(request: Request) -> PlainTextResponse:
    word = await run_in_threadpool(state, db_path())
    ok = word == "current"
    return PlainTextResponse(
        "ok" if ok else word, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"}
    )


ROUTES = [Route("/healthz", healthz, methods=["GET"])]
