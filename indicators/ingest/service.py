"""Uploads as the command line and the upload page use them: each call opens the store for one piece of work.

preview (read, validate, compare with the current values; writes nothing), commit (all accepted values or
nothing, compared again inside the transaction), history, undo, the batches list and the city template.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators import store
from indicators.accounts.actor import Actor, refusal
from indicators.errors import NoDatabase, UnknownName
from indicators.ingest import basis, templates
from indicators.ingest import errors as ue
from indicators.ingest import validate as ingest
from indicators.ingest.names import Lookup
from indicators.store import db

Progress = Callable[[str, float], None]  # (stage: read | validate | compare | write, share done 0..1)
# Test-only hook: seconds to pause inside the commit's transaction, so a test can kill the process there.
PAUSE_ENV = "DABIAO_TEST_PAUSE_IN_COMMIT"


@dataclass(frozen=True)
class Preview:
    report: ingest.Report
    diff: pd.DataFrame  # the accepted values with old_value, old_is_demo and status new|changed|unchanged
    names: Lookup = field(repr=False)

    def count(self, status: str) -> int:
        return int((self.diff["status"] == status).sum()) if len(self.diff) else 0


@dataclass(frozen=True)
class Outcome:
    batch_id: int | None
    new: int
    changed: int
    unchanged: int
    rejected: int
    errors: list[ue.UploadError]
    diff: pd.DataFrame = field(repr=False)
    committed: bool = False

    @property
    def fatal(self) -> bool:
        return any(e.fatal for e in self.errors)

    @property
    def exit_code(self) -> int:
        """0 applied or would apply cleanly, 1 values rejected, 2 the file cannot be used."""
        return 2 if self.fatal else 1 if self.rejected or self.errors else 0

    def as_json(self) -> dict[str, object]:
        errors = [
            {"row": e.row, "column": e.column, "code": e.code, "message": f"{e.message_zh} / {e.message_en}"}
            for e in self.errors
        ]
        counts = {"new": self.new, "changed": self.changed, "unchanged": self.unchanged}
        return {"batch_id": self.batch_id, **counts, "rejected": self.rejected, "errors": errors}


@contextmanager
def _store(path: Path | str, read_only: bool = False) -> Iterator[db.Connection]:
    """db.connect (which waits while another process or thread holds the file), refusing a read of a store
    that does not exist instead of creating it."""
    if read_only and not db.exists(path):
        raise NoDatabase(path)
    with db.connect(path, read_only=read_only) as con:
        yield con


def lookup(path: Path | str) -> Lookup:
    with _store(path, read_only=True) as con:
        return Lookup(*store.name_frames(con))


def preview(
    path: Path | str,
    data: bytes,
    file_name: str,
    actor: Actor,
    sheet: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Preview:
    """What committing the file would do, value by value; changes nothing. Refused (NotPermitted) for an
    actor who may not upload; rows of cities the actor may not write are rejected as `not_permitted`."""
    actor.require_upload()
    step = progress or (lambda stage, share: None)
    step("read", 0.0)
    names = lookup(path)
    step("validate", 0.3)
    report = ingest.check(data, Path(file_name).name, names, actor, today or dt.date.today(), sheet)
    step("compare", 0.6)
    with _store(path, read_only=True) as con:
        totals = basis.running_totals(report)
        if len(totals):  # counts sent as running totals become increments (issue 12)
            report = basis.to_increments(report, store.series_values(con, totals))
        diff = store.diff_upload(con, report.accepted)
    step("compare", 1.0)
    return Preview(report, diff, names)


def _outcome(p: Preview, diff: pd.DataFrame, batch_id: int | None, committed: bool) -> Outcome:
    counts = [int((diff["status"] == s).sum()) if len(diff) else 0 for s in ("new", "changed", "unchanged")]
    new, changed, unchanged = counts
    return Outcome(batch_id, new, changed, unchanged, p.report.rejected, p.report.errors, diff, committed)


def _pause_for_tests() -> Callable[[], None] | None:
    seconds = os.environ.get(PAUSE_ENV)
    if not seconds:
        return None

    def pause() -> None:
        print("paused inside the commit transaction", file=sys.stderr, flush=True)
        time.sleep(float(seconds))

    return pause


def commit(
    path: Path | str, p: Preview, actor: Actor, valid_only: bool = False, progress: Progress | None = None
) -> Outcome:
    """Commit a preview: all its accepted values in one transaction, or nothing.

    A file with any rejected value commits nothing unless `valid_only`; an unusable file never commits.
    Values equal to the current ones are not written; when nothing differs no batch is recorded.
    Refused (NotPermitted) for an actor who may not upload or write one of the preview's cities."""
    actor.require_upload()
    report = p.report
    if report.fatal or (report.errors and not valid_only) or report.accepted.empty:
        return _outcome(p, p.diff, None, False)
    denied = sorted(c for c in report.accepted["city"].unique() if not actor.may_write(c))
    if denied:  # a preview made for another actor: the page and the command line never get here
        raise refusal(actor, f"写入{'、'.join(denied)}", f"write {', '.join(denied)}")
    note = f"{report.layout} {report.encoding or 'xlsx'}" + (f" sheet {report.sheet}" if report.sheet else "")
    step = progress or (lambda stage, share: None)
    step("write", 0.0)
    with _store(path) as con:
        result = store.commit_upload(
            con,
            report.accepted,
            actor.name,
            report.file_name,
            report.content_sha,
            note,
            before_commit=_pause_for_tests(),
            progress=lambda share: step("write", share),
        )
    step("write", 1.0)
    return _outcome(p, result.diff, result.batch_id, result.batch_id is not None)


def ingest_file(
    path: Path | str,
    data: bytes,
    file_name: str,
    actor: Actor,
    dry_run: bool = False,
    valid_only: bool = False,
    sheet: str | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """The command line's ingest: create or upgrade the store, preview, then commit unless a dry run."""
    store.init(path)
    p = preview(path, data, file_name, actor, sheet, today)
    return _outcome(p, p.diff, None, False) if dry_run else commit(path, p, actor, valid_only)


def history(path: Path | str, city: str, indicator: str) -> tuple[str, str, pd.DataFrame]:
    """(city code, indicator code, every revision of that city's indicator); names resolve as in uploads."""
    with _store(path, read_only=True) as con:
        names = Lookup(*store.name_frames(con))
        city_code, indicator_code = names.city(city), names.indicator(indicator)
        if city_code is None:
            raise UnknownName(f"未知城市：{city}", f"unknown city: {city}")
        if indicator_code is None:
            raise UnknownName(f"未知指标：{indicator}", f"unknown indicator: {indicator}")
        return city_code, indicator_code, store.history(con, city_code, indicator_code)


def undo(path: Path | str, batch_id: int, actor: Actor) -> store.UndoResult:
    """Undo a batch; refused for an actor who may not upload, or who may not write one of its cities."""
    actor.require_upload()
    with _store(path) as con:
        return store.undo_batch(con, batch_id, actor.name, actor.cities)


def batches(path: Path | str, city: str | None = None, limit: int = 50) -> pd.DataFrame:
    with _store(path, read_only=True) as con:
        return store.batches_frame(con, city, limit)


def undoable(frame: pd.DataFrame, actor: Actor) -> pd.DataFrame:
    """The batches of store.batches_frame that `actor` could undo (undo_batch would refuse the others)."""
    allowed = frame["cities"].map(lambda cs: all(actor.may_write(c) for c in cs))
    return frame[(frame["kind"] != "undo") & frame["undone_by"].isna() & allowed]


def template(
    path: Path | str, city: str, fmt: str = "csv", today: dt.date | None = None
) -> tuple[str, bytes]:
    """(file name, content) of the wide template for one city: its indicators with targets, 12 months."""
    with _store(path, read_only=True) as con:
        code = store.resolve_city(con, city)
        city_row = store.cities_frame(con).set_index("code").loc[code]
        targets = store.targets_frame(con, code)
        indicators = store.name_frames(con)[1]
    measured = indicators[indicators["code"].isin(set(targets["indicator"]))]
    return templates.build(code, city_row["name_zh"], measured, fmt, today or dt.date.today())
