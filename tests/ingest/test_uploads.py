"""Preview, atomic commit, history and undo on real stores of both backends (no mocks): dry runs change
nothing, a commit is all or nothing, the same file twice changes nothing, an undo restores exactly the
state before."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from conftest import FIXTURES

from indicators import store
from indicators.accounts.actor import Actor
from indicators.ingest import errors as ue
from indicators.ingest import service as uploads
from indicators.store import db

UPLOADS = FIXTURES / "uploads"
TODAY = dt.date(2026, 11, 23)
EVERYONE = Actor("tester")
LINGWU_STAFF = Actor("灵武填报员", frozenset({"lingwu"}))


def snapshot(path) -> dict[str, list[str]]:
    """Every base table and the current values, whole."""
    with db.connect(path, read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                "AND table_schema = current_schema() ORDER BY 1"
            ).fetchall()
        ]
        snap = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
        snap["current_measurements"] = sorted(
            map(repr, con.execute("SELECT * FROM current_measurements").fetchall())
        )
    return snap


def current(path) -> list[tuple]:
    with db.connect(path, read_only=True) as con:
        return con.execute("SELECT * FROM current_measurements ORDER BY city, indicator, period").fetchall()


def value(path, city: str, indicator: str, period: str) -> tuple:
    with db.connect(path, read_only=True) as con:
        return con.execute(
            "SELECT value, original_value, original_unit, note, is_demo, batch_id FROM current_measurements "
            "WHERE city = ? AND indicator = ? AND period = ?::DATE",
            [city, indicator, period + "-01"],
        ).fetchone()


def preview(path, name: str, actor: Actor = EVERYONE, folder: str = "good") -> uploads.Preview:
    return uploads.preview(path, (UPLOADS / folder / name).read_bytes(), name, actor, today=TODAY)


@pytest.fixture
def empty_db(new_store):
    path = new_store("store")
    store.init(path)
    return path


@pytest.fixture
def demo_copy(demo_store):
    return demo_store("demo")


def test_dry_run_changes_nothing(demo_copy):
    before = snapshot(demo_copy)
    outcome = uploads.ingest_file(
        demo_copy, (UPLOADS / "good" / "long_gbk_excel.csv").read_bytes(), "x.csv", EVERYONE, dry_run=True
    )
    assert outcome.batch_id is None and outcome.changed == 5 and outcome.exit_code == 0
    assert snapshot(demo_copy) == before


def test_commit_writes_every_value_as_one_batch(empty_db):
    p = preview(empty_db, "long_gbk_excel.csv")
    assert (p.count("new"), p.count("changed"), p.count("unchanged")) == (5, 0, 0)
    outcome = uploads.commit(empty_db, p, EVERYONE)
    assert outcome.committed and (outcome.new, outcome.changed, outcome.unchanged) == (5, 0, 0)
    assert value(empty_db, "lingwu", "pm25", "2020-03") == (
        pytest.approx(35.0),
        0.035,
        "毫克/立方米",
        "市环境监测站",
        False,
        outcome.batch_id,
    )
    with db.connect(empty_db, read_only=True) as con:
        batch = con.execute(
            "SELECT kind, file_name, content_sha, actor FROM batches WHERE id = ?", [outcome.batch_id]
        )
        assert batch.fetchone() == ("upload", "long_gbk_excel.csv", p.report.content_sha, "tester")


def test_a_failure_inside_the_commit_leaves_nothing(empty_db):
    p = preview(empty_db, "long_utf8.csv")
    before = snapshot(empty_db)

    def fail() -> None:
        raise RuntimeError("disk full")

    with db.connect(empty_db) as con, pytest.raises(RuntimeError):
        store.commit_upload(con, p.report.accepted, "tester", "f.csv", "sha", "", before_commit=fail)
    assert snapshot(empty_db) == before


def test_same_file_twice_changes_nothing_the_second_time(empty_db):
    first = uploads.commit(empty_db, preview(empty_db, "long_utf8.csv"), EVERYONE)
    assert first.new == 5
    before = snapshot(empty_db)
    # the same values written differently (XLSX, wide, 0.035 毫克/立方米 for 35) are the same values
    for name in ("long_utf8.csv", "long.xlsx", "wide.xlsx", "wide_units.csv"):
        p = preview(empty_db, name)
        assert (p.count("new"), p.count("changed"), p.count("unchanged")) == (0, 0, 5), name
        outcome = uploads.commit(empty_db, p, EVERYONE)
        assert outcome.batch_id is None and outcome.unchanged == 5 and outcome.exit_code == 0
    assert snapshot(empty_db) == before


def test_a_file_with_rejected_rows_commits_nothing_by_default(empty_db):
    before = snapshot(empty_db)
    p = preview(empty_db, "not_permitted.csv", LINGWU_STAFF, folder="bad")
    outcome = uploads.commit(empty_db, p, LINGWU_STAFF)
    assert outcome.batch_id is None and outcome.rejected == 1 and outcome.exit_code == 1
    assert snapshot(empty_db) == before
    outcome = uploads.commit(empty_db, p, LINGWU_STAFF, valid_only=True)
    assert outcome.batch_id is not None and outcome.new == 1 and outcome.exit_code == 1
    assert value(empty_db, "lingwu", "pm25", "2020-03")[0] == 35.0
    assert value(empty_db, "nanchang", "pm25", "2020-03") is None


def test_an_unusable_file_never_commits(empty_db):
    before = snapshot(empty_db)
    p = preview(empty_db, "encoding.csv", folder="bad")
    outcome = uploads.commit(empty_db, p, EVERYONE, valid_only=True)
    assert outcome.batch_id is None and outcome.exit_code == 2
    assert snapshot(empty_db) == before


def test_the_library_refuses_rows_of_other_cities_even_when_committed_by_another_actor(empty_db):
    p = preview(empty_db, "long_utf8.csv")  # checked for an actor with every city
    with pytest.raises(PermissionError):
        uploads.commit(empty_db, p, LINGWU_STAFF)


def test_real_values_replace_demo_values(demo_copy):
    old = value(demo_copy, "lingwu", "pm25", "2020-03")
    assert old[4] is True  # a demo value
    p = preview(demo_copy, "long_gbk_excel.csv")
    row = p.diff[(p.diff.indicator == "pm25") & (p.diff.row == 2)].iloc[0]
    assert row.status == "changed" and row.old_value == old[0] and row.old_is_demo
    uploads.commit(demo_copy, p, EVERYONE)
    new = value(demo_copy, "lingwu", "pm25", "2020-03")
    assert new[0] == pytest.approx(35.0) and new[4] is False


def test_history_shows_every_revision_with_its_batch(demo_copy):
    first = uploads.commit(demo_copy, preview(demo_copy, "long_gbk_excel.csv"), EVERYONE)
    text = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,36.5,ug/m3\n"
    second = uploads.ingest_file(demo_copy, text.encode(), "fix.csv", Actor("李四"), today=TODAY)
    city, indicator, frame = uploads.history(demo_copy, "灵武", "细颗粒物")
    assert (city, indicator) == ("lingwu", "pm25")
    march = frame[frame.period == "2020-03-01"]
    assert march.revision.tolist() == [1, 2, 3]
    assert march.kind.tolist() == ["demo", "upload", "upload"]
    assert march.batch_id.tolist()[1:] == [first.batch_id, second.batch_id]
    assert march.value.round(9).tolist()[1:] == [35.0, 36.5]
    assert march.actor.tolist()[1:] == ["tester", "李四"]
    assert march.current.tolist() == [False, False, True]


def test_undo_restores_exactly_the_previous_state_and_is_recorded(demo_copy):
    s0, c0 = snapshot(demo_copy), current(demo_copy)
    first = uploads.commit(demo_copy, preview(demo_copy, "long_gbk_excel.csv"), EVERYONE)
    c1 = current(demo_copy)
    text = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,36.5,ug/m3\n灵武市,pm25,2031-01,1,ug/m3\n"
    second = uploads.ingest_file(demo_copy, text.encode(), "fix.csv", EVERYONE, valid_only=True)
    assert c1 != current(demo_copy)

    undo2 = uploads.undo(demo_copy, second.batch_id, EVERYONE)
    assert current(demo_copy) == c1 and undo2.values == 1
    undo1 = uploads.undo(demo_copy, first.batch_id, EVERYONE)
    assert current(demo_copy) == c0 and undo1.values == 5

    after = snapshot(demo_copy)
    # nothing was deleted or rewritten: the revisions stay, the undos are batches of their own
    assert set(s0["measurements"]) < set(after["measurements"])
    assert len(after["measurements"]) == len(s0["measurements"]) + 6
    with db.connect(demo_copy, read_only=True) as con:
        undos = con.execute(
            "SELECT kind, actor, note FROM batches WHERE kind = 'undo' ORDER BY id"
        ).fetchall()
        links = con.execute("SELECT batch_id, undo_batch_id FROM batch_undos ORDER BY 1").fetchall()
    assert [u[0] for u in undos] == ["undo", "undo"]
    assert links == [(first.batch_id, undo1.undo_batch_id), (second.batch_id, undo2.undo_batch_id)]
    _, _, frame = uploads.history(demo_copy, "lingwu", "pm25")
    march = frame[frame.period == "2020-03-01"]
    assert march.undone_by.tolist()[1:] == [undo1.undo_batch_id, undo2.undo_batch_id]
    assert march.current.tolist() == [True, False, False]


def test_the_same_file_after_an_undo_is_new_again(empty_db):
    first = uploads.commit(empty_db, preview(empty_db, "long_utf8.csv"), EVERYONE)
    uploads.undo(empty_db, first.batch_id, EVERYONE)
    assert current(empty_db) == []
    again = uploads.commit(empty_db, preview(empty_db, "long_utf8.csv"), EVERYONE)
    assert again.new == 5 and len(current(empty_db)) == 5


@pytest.mark.parametrize(
    "case, code",
    [
        ("unknown", "unknown_batch"),
        ("twice", "already_undone"),
        ("undo", "undo_of_undo"),
        ("city", "undo_not_permitted"),
    ],
)
def test_undo_refusals(empty_db, case, code):
    batch = uploads.commit(empty_db, preview(empty_db, "long_utf8.csv"), EVERYONE).batch_id
    if case in ("twice", "undo"):
        undo = uploads.undo(empty_db, batch, EVERYONE)
    target = {
        "unknown": 999,
        "twice": batch,
        "undo": undo.undo_batch_id if case == "undo" else 0,
        "city": batch,
    }
    actor = LINGWU_STAFF if case == "city" else EVERYONE  # the batch also holds a Nanchang value
    before = snapshot(empty_db)
    with pytest.raises(ue.UndoRefused) as err:
        uploads.undo(empty_db, target[case], actor)
    assert err.value.code == code and err.value.message_zh and err.value.message_en
    assert snapshot(empty_db) == before


def test_batches_list_and_what_an_actor_may_undo(empty_db):
    lingwu_only = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-05,30,ug/m3\n"
    mixed = uploads.commit(empty_db, preview(empty_db, "long_utf8.csv"), EVERYONE).batch_id
    own = uploads.ingest_file(empty_db, lingwu_only.encode(), "own.csv", LINGWU_STAFF).batch_id
    frame = uploads.batches(empty_db, "lingwu")
    assert frame.id.tolist() == [own, mixed] and frame["values"].tolist() == [1, 5]
    assert uploads.undoable(frame, LINGWU_STAFF).id.tolist() == [own]
    assert uploads.undoable(frame, EVERYONE).id.tolist() == [own, mixed]
    assert uploads.batches(empty_db, "changde").empty


def test_city_aliases_are_loaded_and_resolve(empty_db):
    with db.connect(empty_db, read_only=True) as con:
        assert store.resolve_city(con, "灵武") == "lingwu"
        assert store.resolve_city(con, "lingwu city") == "lingwu"


def test_a_commit_waits_while_another_thread_of_this_process_reads(empty_db):
    # DuckDB refuses a read-write connection while this process holds the file read-only: the commit waits
    p = preview(empty_db, "long_utf8.csv")
    opened = threading.Event()

    def read_for_a_while() -> None:
        with db.connect(empty_db, read_only=True):
            opened.set()
            time.sleep(0.5)

    reader = threading.Thread(target=read_for_a_while)
    reader.start()
    opened.wait(5)
    outcome = uploads.commit(empty_db, p, EVERYONE)
    reader.join()
    assert outcome.new == 5


def test_reading_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(uploads.NoDatabase, match="indicators init"):
        uploads.history(tmp_path / "missing.duckdb", "lingwu", "pm25")
