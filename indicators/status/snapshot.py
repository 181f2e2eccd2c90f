"""The evaluation every page starts from — every target, each city as of its latest month — computed once
per version of the data and shared.

The version names what the evaluation depends on: the data (store.data_version: batches, undos, target
edits, catalog) and the code and rules that evaluate it. Each process keeps the newest evaluation in memory;
the store keeps it too (Arrow IPC), so that another server process, or this one after a restart, reads it
instead of evaluating again. `after_write` computes the new one in a thread; the writers do not call it yet:
in the same process its connections collide with the writer's next ones (DuckDB's "unique file handle
conflict", which db.connect does not retry), so today the first visitor after a write evaluates once and
every other process then reads the stored result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import threading
from pathlib import Path

import pandas as pd

from indicators import store
from indicators.paths import DATA_DIR
from indicators.status import service as status
from indicators.store import db

LOG = logging.getLogger("dabiao")
_LOCK = threading.Lock()  # one evaluation at a time in a process
_MEMO: dict[tuple[str, str], pd.DataFrame] = {}  # (path, version) -> frame; only the newest is kept
_VERSIONS: dict[str, tuple[float, str]] = {}  # path -> (file mtime, version) it was read at


def _code_fingerprint() -> str:
    """The rules file and the status package's sources: a new release or new rules evaluate again."""
    h = hashlib.sha256((DATA_DIR / "rules.yaml").read_bytes())
    for source in sorted(Path(status.__file__).parent.glob("*.py")):
        h.update(source.read_bytes())
    return h.hexdigest()[:16]


_CODE = _code_fingerprint()


def version(path: Path | str) -> str:
    """The version of the data in the file (read again only when the file was written since)."""
    key = str(path)
    try:
        mtime = os.path.getmtime(key)
    except OSError:
        return "missing"
    if os.path.exists(key + ".wal"):  # written but not yet checkpointed into the file
        mtime = max(mtime, os.path.getmtime(key + ".wal"))
    seen = _VERSIONS.get(key)
    if seen and seen[0] == mtime:
        return seen[1]
    with db.connect(path, read_only=True) as con:
        current = f"{store.data_version(con)}-{_CODE}"
    _VERSIONS[key] = (mtime, current)
    return current


def _to_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.reset_index(drop=True).to_feather(buf, compression="zstd")
    return buf.getvalue()


def evaluation(path: Path | str) -> pd.DataFrame:
    """Every target evaluated (explain=False), each city as of its latest month, for the data as it is now.
    Shared: read it, never change it in place."""
    current = version(path)
    key = (str(path), current)
    with _LOCK:
        if key in _MEMO:
            return _MEMO[key]
        with db.connect(path, read_only=True) as con:
            blob = store.load_evaluation(con, current)
        if blob is not None:
            frame = pd.read_feather(io.BytesIO(blob))
        else:
            frame = status.status(path, None, None, explain=False)
            try:
                with db.connect(path) as con:
                    store.save_evaluation(con, current, _to_bytes(frame), dt.datetime.now())
            except Exception:  # a read-only or busy file: this process still serves what it computed
                LOG.exception("the evaluation could not be kept in the store")
        _MEMO.clear()
        _MEMO[key] = frame
        return frame


def after_write(path: Path | str) -> threading.Thread | None:
    """Compute the evaluation of the data just written, in a thread (not a daemon: a command-line write
    finishes it before the process exits). Nothing for an in-memory database (no other reader)."""
    if not os.path.isfile(str(path)):
        return None

    def run() -> None:
        try:
            evaluation(path)
        except Exception:
            LOG.exception("the evaluation after a write failed")

    thread = threading.Thread(target=run, name="dabiao-evaluate", daemon=False)
    thread.start()
    return thread
