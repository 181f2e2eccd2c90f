"""The evaluation every page starts from — every target, each city as of its latest month — computed once
per version of the data and shared.

The version names what the evaluation depends on: the data (store.data_version: batches, undos, target
edits, catalog) and the code and rules that evaluate it. Each process keeps the newest evaluation in memory;
the store keeps it too (Arrow IPC), so that another server process, or this one after a restart, reads it
instead of evaluating again.

After a write nobody waits for the new one: a server keeps it warm (`keep_warm`, started by its lifespan,
notices any process's write by the file's modification time within `WATCH_SECONDS`), and the pages start it
the moment they have written (`after_write`). A visitor who comes while it is being computed waits for that
one computation (the lock), never for a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import feather

from indicators import store
from indicators.errors import StoreBusy
from indicators.paths import DATA_DIR
from indicators.status import service as status
from indicators.store import db

LOG = logging.getLogger("dabiao")
WATCH_SECONDS = 2.0
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
    if db.is_url(key):  # PostgreSQL, written by other processes: the store's own write counter
        mtime = db.version(key)
    else:
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


_OBJECT_COLUMNS = b"dabiao_object_columns"


def _to_bytes(frame: pd.DataFrame) -> bytes:
    """Arrow IPC of the frame, naming its object columns: Arrow has no such type, and pandas reads their
    text back as its string dtype, so the stored evaluation would differ from a fresh one (a label no row
    has is a column of None, of dtype object)."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    objects = [str(c) for c in frame.columns if frame[c].dtype == object]
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), _OBJECT_COLUMNS: json.dumps(objects)}
    )
    buf = io.BytesIO()
    feather.write_feather(table, buf, compression="zstd")
    return buf.getvalue()


def _from_bytes(blob: bytes) -> pd.DataFrame:
    """The frame _to_bytes stored, with the same dtypes and missing values (None in an object column)."""
    table = feather.read_table(io.BytesIO(blob))
    frame = table.to_pandas()
    for column in json.loads((table.schema.metadata or {}).get(_OBJECT_COLUMNS, b"[]")):
        if frame[column].dtype != object:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


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
            frame = _from_bytes(blob)
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


def keep_warm(
    path: Path | str,
    stop: threading.Event,
    every: float = WATCH_SECONDS,
    then: Callable[[], None] | None = None,
) -> None:
    """Until `stop` is set: compute the evaluation of the data whenever it has changed (a write by this
    process or by any other: an upload, an undo, a target edit, a catalog reload, a plan published), so that
    it is ready before a visitor asks; then call `then` (the server fills its pages' caches), once per
    version, at the first turn too. A file that cannot be read is tried again at the next turn."""
    done = None  # the version `then` last ran for
    while not stop.is_set():
        try:
            current = version(path)
            if current != "missing":
                evaluation(path)
                if then is not None and current != done:
                    then()
                    done = current
        except StoreBusy:  # another process is writing: its write is seen at a later turn
            pass
        except Exception:
            LOG.exception("keeping the evaluation warm failed; trying again")
        stop.wait(every)
