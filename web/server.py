"""What app.py hands to st.App: the routes and the lifespan.

The lifespan runs once per server process before it accepts a visitor: it creates or upgrades the database
(as the pages did on their first run) and computes the evaluation every page starts from, so that the first
visitor does not wait for it. A database that cannot be opened is logged; the server still starts, the
pages say so in both languages and /healthz answers 503. Then, until the server stops, the evaluation of
every new version of the data is computed as soon as it is written (snapshot.keep_warm), and so are the
pages' cached reads and built tables of it (pages.cache.refresh)."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.concurrency import run_in_threadpool

from indicators import service
from indicators.paths import db_path
from web import auth_routes, health

LOG = logging.getLogger("dabiao.web")
ROUTES = [*auth_routes.ROUTES, *health.ROUTES]


def prepare() -> None:
    path = db_path()
    try:
        service.ensure(path)
    except Exception:
        LOG.exception("the database cannot be opened")
        return
    try:
        from indicators.status import snapshot

        snapshot.evaluation(path)
    except Exception:
        LOG.exception("the evaluation could not be computed at start")
        return
    try:
        from pages import cache  # the pages' own caches, in this process: the first visit finds them filled

        cache.refresh()  # the reads (cache.warm), the pages' tables (warm_pages) and the city page's needs
    except Exception:
        LOG.exception("the pages' reads could not be prepared at start")


def _refresh_pages() -> None:
    """After the evaluation of new data: the pages' caches of it, before a visitor asks (pages/cache.py)."""
    from pages import cache

    cache.refresh()


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    await run_in_threadpool(prepare)
    from indicators.status import snapshot

    stop = threading.Event()  # after every write (by any process) the new evaluation, before a visitor asks
    warm = threading.Thread(
        target=snapshot.keep_warm,
        args=(db_path(), stop),
        kwargs={"then": _refresh_pages},
        name="dabiao-warm",
        daemon=True,
    )
    warm.start()
    try:
        yield
    finally:
        stop.set()
        warm.join(timeout=5)
