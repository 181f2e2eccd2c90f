"""Notes, snapshots and their diff on real DuckDB files with hand-built values (no demo data).

One target moves: 灵武市 forest coverage (lingwu-pc-forest-coverage-2020, level, ≥ 16.5 % by 2020-12-31,
baseline the value of 2018-12). Evaluated as of 2019-06-30 the path expects 15 + 1.5 · 181/731 = 15.3714 %:
- 2018-12 15.0, 2019-01…06 15.1 15.2 15.3 15.4 15.5 15.5: R = 0.5 / 0.3714 = 1.35 → on schedule;
- 2019-06 revised to 13.0: R = −2.7, the least-squares trend over the seven points falls 0.18 a month
  → projected 9.8 at the deadline, short of 16.5 → off track.
Every other target has no values and stays "no data".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from indicators import store
from indicators.accounts.actor import Actor
from indicators.errors import InvalidRequest, NotPermitted, UnknownName
from indicators.ingest import service as uploads
from indicators.meeting import diff as changes
from indicators.meeting import notes, snapshots
from indicators.status import service as status
from indicators.status.records import STATUS_FIELDS, status_records
from indicators.store import db

TODAY = dt.date(2026, 11, 23)
AS_OF = dt.date(2019, 6, 30)
FOREST = "lingwu-pc-forest-coverage-2020"
NANCHANG_TARGET = "nanchang-pm25-2020"
ADMIN = Actor("主任", None, "admin")
LINGWU_STAFF = Actor("小王", frozenset({"lingwu"}), "staff")
VIEWER = Actor("看板", frozenset(), "viewer")
HEADER = "城市,指标,月份,数值,单位\n"


def upload(path, rows: list[tuple[str, float]], name: str = "forest.csv") -> int | None:
    text = HEADER + "".join(f"灵武市,森林覆盖率,{month},{value},%\n" for month, value in rows)
    outcome = uploads.ingest_file(path, text.encode("utf-8"), name, ADMIN, today=TODAY)
    assert outcome.exit_code == 0, outcome.errors
    return outcome.batch_id


FIRST = [("2018-12", 15.0), ("2019-01", 15.1), ("2019-02", 15.2), ("2019-03", 15.3)]
FIRST += [("2019-04", 15.4), ("2019-05", 15.5), ("2019-06", 15.5)]


@pytest.fixture
def forest_db(tmp_path):
    path = tmp_path / "meeting.duckdb"
    store.init(path)
    assert upload(path, FIRST) == 1
    return path


def row(snapshot: snapshots.Snapshot, target_id: str) -> dict[str, object]:
    (found,) = [r for r in snapshot.records if r["target_id"] == target_id]
    return found


def moves(found: changes.Diff, *more: str) -> list[tuple[object, ...]]:
    keys = ("target_id", "status_before", "status_after", *more)
    return [tuple(c[k] for k in keys) for c in found.status_changes]


def test_a_snapshot_before_and_after_an_upload_that_turns_one_target_red(forest_db):
    june = snapshots.create(forest_db, ADMIN, "六月调度会", AS_OF)
    frozen = json.dumps(june.records, ensure_ascii=False, sort_keys=True)
    forest = row(june, FOREST)
    assert (forest["status"], forest["value"], forest["expected"], forest["baseline"]) == (
        "on_schedule",
        15.5,
        15.3714,
        15.0,
    )
    assert {r["status"] for r in june.records if r["target_id"] != FOREST} == {"no_data"}

    assert upload(forest_db, [("2019-06", 13.0)], "revision.csv") == 2
    july = snapshots.create(forest_db, ADMIN, "七月调度会", AS_OF)
    assert row(july, FOREST)["status"] == "off_track"
    assert july.basis.max_batch_id == 2 and june.basis.max_batch_id == 1

    found = changes.diff(forest_db, "六月调度会", "七月调度会")
    assert moves(found, "city", "indicator") == [
        (FOREST, "on_schedule", "off_track", "灵武市", "forest_coverage")
    ]
    assert found.status_changes[0]["direction"] == "worse"
    assert found.revised == [
        {
            "city_code": "lingwu",
            "indicator": "forest_coverage",
            "period": "2019-06",
            "old_value": 15.5,
            "new_value": 13.0,
            "old_batch_id": 1,
            "new_batch_id": 2,
        }
    ]
    assert found.newly_reported == []
    # the first snapshot reads back exactly as it was written, after the upload …
    assert (
        json.dumps(snapshots.show(forest_db, "六月调度会").records, ensure_ascii=False, sort_keys=True)
        == frozen
    )

    # … and after the upload is undone; now is back to June's state
    uploads.undo(forest_db, 2, ADMIN)
    assert (
        json.dumps(snapshots.show(forest_db, "六月调度会").records, ensure_ascii=False, sort_keys=True)
        == frozen
    )
    assert row(snapshots.show(forest_db, "七月调度会"), FOREST)["status"] == "off_track"
    since_june = changes.diff(forest_db, "六月调度会", "now")
    assert since_june.status_changes == [] and since_june.revised == []
    since_july = changes.diff(forest_db, "七月调度会", "now")
    assert moves(since_july, "direction") == [(FOREST, "off_track", "on_schedule", "better")]
    assert [
        (v["old_value"], v["new_value"], v["old_batch_id"], v["new_batch_id"]) for v in since_july.revised
    ] == [(13.0, 15.5, 2, 1)]


def test_snapshot_rows_are_the_status_records_of_that_moment_with_the_note(forest_db):
    notes.add_note(forest_db, LINGWU_STAFF, FOREST, "造林季推迟，预计9月回到序时", dt.date(2019, 6, 1))
    expected = status_records(status.status(forest_db, None, AS_OF))
    snap = snapshots.create(forest_db, ADMIN, "会前", AS_OF)
    assert len(snap.records) == len(expected) == 165  # 176 targets, 11 restating another: shown once
    for got, want in zip(snap.records, expected, strict=True):
        assert {k: got[k] for k in STATUS_FIELDS} == want
    forest = row(snap, FOREST)
    assert (forest["note"], forest["note_month"], forest["note_by"]) == (
        "造林季推迟，预计9月回到序时",
        "2019-06",
        "小王",
    )
    assert forest["explanation_zh"].startswith("森林覆盖率") and forest["explanation_en"].startswith("Forest")
    assert snap.city_as_of["lingwu"] == "2019-06-30"

    # a later edit of the note is a new version; the snapshot keeps the note current when it was taken
    notes.add_note(forest_db, LINGWU_STAFF, FOREST, "第二版：苗木已到位", dt.date(2019, 6, 1))
    assert row(snapshots.show(forest_db, "会前"), FOREST)["note"] == "造林季推迟，预计9月回到序时"
    assert row(snapshots.current(forest_db, AS_OF), FOREST)["note"] == "第二版：苗木已到位"


def test_newly_reported_targets_are_named(tmp_path):
    path = tmp_path / "empty.duckdb"
    store.init(path)
    snapshots.create(path, ADMIN, "空", AS_OF)
    upload(path, FIRST)
    found = changes.diff(path, "空", "now")
    assert [t["target_id"] for t in found.newly_reported] == [FOREST]
    assert [(c["target_id"], c["status_before"], c["direction"]) for c in found.status_changes] == [
        (FOREST, "no_data", "other")
    ]
    assert len(found.revised) == 7 and {v["old_value"] for v in found.revised} == {None}


def test_note_history_keeps_both_versions_and_each_is_audited(forest_db):
    first = notes.add_note(forest_db, LINGWU_STAFF, FOREST, "第一版", dt.date(2019, 5, 1))
    second = notes.add_note(forest_db, ADMIN, FOREST, "第二版", dt.date(2019, 5, 1))
    whole = notes.add_note(forest_db, LINGWU_STAFF, FOREST, "整体说明")
    current = notes.notes(forest_db, "灵武")
    assert [(n.id, n.text, n.version, n.versions) for n in current.itertuples()] == [
        (whole, "整体说明", 1, 1),
        (second, "第二版", 2, 2),
    ]
    history = notes.notes(forest_db, "lingwu", history=True)
    assert [(n.id, n.text, n.written_by, bool(n.current)) for n in history.itertuples()] == [
        (whole, "整体说明", "小王", True),
        (second, "第二版", "主任", True),
        (first, "第一版", "小王", False),
    ]
    with db.connect(forest_db, read_only=True) as con:
        audited = con.execute(
            "SELECT actor, subject, detail FROM audit_log WHERE action = 'note' ORDER BY id"
        ).fetchall()
    assert [(a, s, json.loads(d)["text"]) for a, s, d in audited] == [
        ("小王", FOREST, "第一版"),
        ("主任", FOREST, "第二版"),
        ("小王", FOREST, "整体说明"),
    ]


def test_notes_of_another_city_are_refused_and_nothing_is_written(forest_db):
    with pytest.raises(NotPermitted) as refused:
        notes.add_note(forest_db, LINGWU_STAFF, NANCHANG_TARGET, "不是我的城市")
    assert "小王" in refused.value.message("zh") and "nanchang" in refused.value.message("en")
    with pytest.raises(NotPermitted):
        notes.add_note(forest_db, VIEWER, FOREST, "看板不能写")
    with pytest.raises(UnknownName):
        notes.add_note(forest_db, ADMIN, "no-such-target", "x")
    with pytest.raises(InvalidRequest):
        notes.add_note(forest_db, ADMIN, FOREST, "   ")
    with pytest.raises(InvalidRequest):
        notes.parse_month("2019-13")
    assert notes.notes(forest_db, history=True).empty
    with db.connect(forest_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'note'").fetchone() == (0,)


def test_only_administrators_take_snapshots_and_names_are_unique(forest_db):
    with pytest.raises(NotPermitted):
        snapshots.create(forest_db, LINGWU_STAFF, "小王的快照", AS_OF)
    snapshots.create(forest_db, ADMIN, "一次", AS_OF)
    with pytest.raises(InvalidRequest) as taken:
        snapshots.create(forest_db, ADMIN, "一次")
    assert taken.value.code == "snapshot_exists"
    with pytest.raises(InvalidRequest):
        snapshots.create(forest_db, ADMIN, "now")
    with pytest.raises(UnknownName) as unknown:
        snapshots.show(forest_db, "没有")
    assert unknown.value.code == "unknown_snapshot"
    listed = snapshots.list_records(snapshots.listing(forest_db))
    assert [(s["name"], s["as_of"], s["max_batch_id"], s["values_count"], s["rows"]) for s in listed] == [
        ("一次", "2019-06-30", 1, 7, 165)
    ]
    with db.connect(forest_db, read_only=True) as con:
        audited = con.execute(
            "SELECT actor, action, subject, batch_id FROM audit_log WHERE action = 'snapshot'"
        )
        assert audited.fetchall() == [("主任", "snapshot", "一次", 1)]
