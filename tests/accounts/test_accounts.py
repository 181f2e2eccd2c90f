"""Accounts, refusals in the library, target edits and the audit log, on real DuckDB files and the real
command line: who may do what is enforced by the functions that write, not by the pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from indicators import service, store
from indicators.accounts import audit, auth, target_edits
from indicators.accounts.actor import Actor, NotPermitted, local_operator
from indicators.ingest import service as uploads
from indicators.status import service as status
from indicators.store import db

UPLOADS = FIXTURES / "uploads"
TODAY = dt.date(2026, 11, 23)
OP = local_operator()
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts_db(demo_store):
    """The demo database (on each backend) with 灵武市 staff, a viewer and an administrator."""
    path = demo_store("accounts")
    auth.add_user(path, OP, "灵武填报员", "staff", ["灵武市"], PASSWORD)
    auth.add_user(path, OP, "viewer1", "viewer", [], PASSWORD)
    auth.add_user(path, OP, "chief", "admin", [], PASSWORD)
    return path


def rows(path, sql: str, params: list | None = None) -> list[tuple]:
    with db.connect(path, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


# --- accounts ----------------------------------------------------------------------------------------------


def test_passwords_are_stored_only_as_argon2id_hashes(accounts_db):
    hashes = rows(accounts_db, "SELECT name, password_hash FROM users ORDER BY name")
    assert [n for n, _ in hashes] == ["chief", "viewer1", "灵武填报员"]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for _, h in hashes)
    assert len({h for _, h in hashes}) == 3  # salted: one password, three different hashes
    with db.connect(accounts_db) as con:
        con.execute("CHECKPOINT")
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        every_row = [repr(r) for (t,) in tables for r in con.execute(f"SELECT * FROM {t}").fetchall()]
    assert every_row and not [r for r in every_row if PASSWORD in r]  # in no table (PostgreSQL)
    if isinstance(accounts_db, Path):  # nor anywhere in the DuckDB file's bytes
        assert PASSWORD.encode() not in accounts_db.read_bytes()


def test_roles_and_cities(accounts_db):
    staff = auth.actor(accounts_db, "灵武填报员")
    assert staff == Actor("灵武填报员", frozenset({"lingwu"}), "staff")
    assert staff.may_write("lingwu") and not staff.may_write("nanchang") and not staff.is_admin
    viewer = auth.actor(accounts_db, "viewer1")
    assert not viewer.may_upload and not viewer.may_write("lingwu")
    chief = auth.actor(accounts_db, "chief")
    assert chief.is_admin and chief.cities is None and chief.may_write("nanchang")
    assert [a.name for a in auth.accounts(accounts_db)] == ["chief", "viewer1", "灵武填报员"]


@pytest.mark.parametrize(
    ("name", "role", "cities", "password", "words"),
    [
        ("x", "viewer", [], PASSWORD, "2–40"),
        ("someone", "staff", [], PASSWORD, "at least one --city"),
        ("someone", "admin", ["灵武市"], PASSWORD, "only staff accounts have cities"),
        ("someone", "staff", ["亚特兰蒂斯"], PASSWORD, "unknown city 亚特兰蒂斯"),
        ("someone", "viewer", [], "short", "at least 8 characters"),
        ("someone", "viewer", [], " padded password ", "cannot start or end with a space"),
        ("chief", "viewer", [], PASSWORD, "exists already"),
        ("someone", "root", [], PASSWORD, "unknown role"),
    ],
)
def test_bad_account_requests_change_nothing(accounts_db, name, role, cities, password, words):
    before = rows(accounts_db, "SELECT * FROM users ORDER BY name")
    with pytest.raises(auth.AccountError, match=words):
        auth.add_user(accounts_db, OP, name, role, cities, password)
    assert rows(accounts_db, "SELECT * FROM users ORDER BY name") == before


def test_only_administrators_manage_accounts(accounts_db):
    for who in ("灵武填报员", "viewer1"):
        actor = auth.actor(accounts_db, who)
        with pytest.raises(NotPermitted, match="may not manage accounts"):
            auth.add_user(accounts_db, actor, "newbie", "viewer", [], PASSWORD)
        with pytest.raises(NotPermitted):
            auth.set_password(accounts_db, actor, "chief", "taken over!")
        with pytest.raises(NotPermitted):
            auth.remove_user(accounts_db, actor, "chief")
    chief = auth.actor(accounts_db, "chief")
    auth.add_user(accounts_db, chief, "newbie", "staff", ["Nanchang", "liandu"], PASSWORD)
    assert auth.account(accounts_db, "newbie") == auth.Account("newbie", "staff", ("liandu", "nanchang"))


def test_login_right_wrong_and_unknown(accounts_db):
    limiter = auth.Limiter()
    assert auth.login(accounts_db, "灵武填报员", PASSWORD, limiter).cities == ("lingwu",)
    with pytest.raises(auth.LoginFailed) as wrong:
        auth.login(accounts_db, "灵武填报员", "not the password", limiter)
    with pytest.raises(auth.LoginFailed) as unknown:
        auth.login(accounts_db, "nobody", "not the password", limiter)
    assert str(wrong.value) == str(unknown.value) == "账号或密码错误 / wrong name or password"


def test_login_is_rate_limited_per_account_whether_or_not_it_exists(accounts_db):
    limiter = auth.Limiter(attempts=5, window=900)
    for name in ("chief", "ghost"):
        for i in range(5):
            with pytest.raises(auth.LoginFailed, match="wrong name or password"):
                auth.login(accounts_db, name, "guess", limiter, now=1000.0 + i)
        # the sixth try is refused before the password is looked at, even the right one
        with pytest.raises(auth.LoginFailed, match="too many attempts; try again in 15 min") as held:
            auth.login(accounts_db, name, PASSWORD, limiter, now=1005.0)
        assert held.value.retry_after == pytest.approx(895.0)  # the first failure (t=1000) ages out at 1900
    # another account is not affected; after the window the right password works again
    assert auth.login(accounts_db, "viewer1", PASSWORD, limiter, now=1005.0).role == "viewer"
    assert auth.login(accounts_db, "chief", PASSWORD, limiter, now=1900.5).role == "admin"


def test_a_new_password_replaces_the_old(accounts_db):
    auth.set_password(accounts_db, OP, "viewer1", "a new password")
    limiter = auth.Limiter()
    with pytest.raises(auth.LoginFailed):
        auth.login(accounts_db, "viewer1", PASSWORD, limiter)
    assert auth.login(accounts_db, "viewer1", "a new password", limiter).name == "viewer1"
    auth.remove_user(accounts_db, OP, "viewer1")
    assert auth.account(accounts_db, "viewer1") is None
    with pytest.raises(auth.LoginFailed):
        auth.login(accounts_db, "viewer1", "a new password", limiter)


# --- enforcement in the upload library ---------------------------------------------------------------------


def test_staff_of_lingwu_get_the_nanchang_row_rejected(accounts_db):
    staff = auth.actor(accounts_db, "灵武填报员")
    data = (UPLOADS / "bad" / "not_permitted.csv").read_bytes()
    p = uploads.preview(accounts_db, data, "not_permitted.csv", staff, today=TODAY)
    assert [(e.code, e.row, e.column) for e in p.report.errors] == [("not_permitted", 3, "城市")]
    assert "无权上报南昌市的数据" in p.report.errors[0].message_zh
    refused = uploads.commit(accounts_db, p, staff)  # all or nothing: nothing
    assert refused.batch_id is None
    done = uploads.commit(accounts_db, p, staff, valid_only=True)
    written = rows(accounts_db, "SELECT DISTINCT city FROM measurements WHERE batch_id = ?", [done.batch_id])
    assert written == [("lingwu",)]


def test_a_viewer_can_neither_preview_commit_nor_undo(accounts_db):
    viewer = auth.actor(accounts_db, "viewer1")
    data = (UPLOADS / "good" / "long_utf8.csv").read_bytes()
    with pytest.raises(NotPermitted, match=r"viewer1 \(viewer\) may not upload or undo values"):
        uploads.preview(accounts_db, data, "long_utf8.csv", viewer, today=TODAY)
    chief = auth.actor(accounts_db, "chief")
    p = uploads.preview(accounts_db, data, "long_utf8.csv", chief, today=TODAY)
    with pytest.raises(NotPermitted):
        uploads.commit(accounts_db, p, viewer)
    batch = uploads.commit(accounts_db, p, chief).batch_id
    with pytest.raises(NotPermitted):
        uploads.undo(accounts_db, int(batch), viewer)


def test_a_preview_made_by_an_administrator_cannot_be_committed_by_staff(accounts_db):
    chief, staff = auth.actor(accounts_db, "chief"), auth.actor(accounts_db, "灵武填报员")
    data = (UPLOADS / "bad" / "not_permitted.csv").read_bytes()
    p = uploads.preview(accounts_db, data, "x.csv", chief, today=TODAY)  # both rows accepted for chief
    before = rows(accounts_db, "SELECT count(*) FROM measurements")
    with pytest.raises(NotPermitted, match="may not write nanchang"):
        uploads.commit(accounts_db, p, staff)
    assert rows(accounts_db, "SELECT count(*) FROM measurements") == before


def test_staff_cannot_undo_a_batch_with_other_cities(accounts_db):
    staff = auth.actor(accounts_db, "灵武填报员")
    demo_batch = rows(accounts_db, "SELECT id FROM batches WHERE kind = 'demo'")[0][0]
    with pytest.raises(Exception, match="undo_not_permitted|may not undo"):
        uploads.undo(accounts_db, demo_batch, staff)
    assert rows(accounts_db, "SELECT count(*) FROM batch_undos") == [(0,)]


# --- the audit log -----------------------------------------------------------------------------------------


def test_every_write_of_the_ingest_path_is_audited(accounts_db):
    staff = auth.actor(accounts_db, "灵武填报员")
    data = (UPLOADS / "bad" / "not_permitted.csv").read_bytes()
    start = rows(accounts_db, "SELECT max(id) FROM audit_log")[0][0]
    refused = uploads.ingest_file(accounts_db, data, "march.csv", staff, today=TODAY)
    assert refused.batch_id is None
    assert rows(accounts_db, "SELECT count(*) FROM audit_log WHERE id > ?", [start]) == [(0,)]  # no write
    done = uploads.ingest_file(accounts_db, data, "march.csv", staff, valid_only=True, today=TODAY)
    undo = uploads.undo(accounts_db, int(done.batch_id), staff)
    log = audit.log(accounts_db)
    log = log[log.id > start]
    assert log[["actor", "action", "batch_id", "subject", "values"]].values.tolist() == [
        ["灵武填报员", "upload", done.batch_id, "march.csv", 1],
        ["灵武填报员", "undo", undo.undo_batch_id, None, 0],
    ]
    assert log.iloc[0]["cities"] == ["lingwu"] and log.iloc[1]["undoes"] == done.batch_id
    assert audit.what(log.iloc[0], "en") == "march.csv: 1 values (lingwu)"
    assert audit.what(log.iloc[1], "zh") == f"撤销批次 {done.batch_id}"


def test_account_changes_and_demo_data_are_audited(accounts_db):
    log = audit.log(accounts_db)
    assert log[["action", "subject"]].values.tolist()[:4] == [
        ["demo", None],
        ["user_add", "灵武填报员"],
        ["user_add", "viewer1"],
        ["user_add", "chief"],
    ]
    assert log.iloc[1]["detail"] == {"role": "staff", "cities": ["lingwu"]}
    assert all(PASSWORD not in json.dumps(d, ensure_ascii=False) for d in log["detail"])
    auth.set_password(accounts_db, OP, "viewer1", "another password")
    auth.remove_user(accounts_db, OP, "viewer1")
    tail = audit.log(accounts_db).tail(2)
    assert tail[["actor", "action", "subject"]].values.tolist() == [
        [OP.name, "user_passwd", "viewer1"],
        [OP.name, "user_remove", "viewer1"],
    ]
    assert audit.log(accounts_db, since=dt.date.today() + dt.timedelta(days=1)).empty


# --- target edits ------------------------------------------------------------------------------------------


def test_only_an_administrator_edits_a_target(accounts_db):
    for who in ("灵武填报员", "viewer1"):
        with pytest.raises(NotPermitted, match="may not edit targets"):
            target_edits.edit_target(
                accounts_db, auth.actor(accounts_db, who), "lingwu-pc-pm25-2020", "x", 35
            )
    assert rows(accounts_db, "SELECT value FROM targets WHERE id = 'lingwu-pc-pm25-2020'") == [(33.0,)]


def test_an_edit_changes_the_target_survives_a_catalog_reload_and_is_audited(accounts_db, catalog):
    chief = auth.actor(accounts_db, "chief")
    edit = target_edits.edit_target(
        accounts_db, chief, "lingwu-pc-pm25-2020", "省里下达的新目标", value=35,
        deadline=dt.date(2021, 6, 30), responsible=["市生态环境局"],
    )  # fmt: skip
    assert edit.changes == {
        "value": (33.0, 35.0),
        "value_canonical": (33.0, 35.0),
        "deadline": (dt.date(2020, 12, 31), dt.date(2021, 6, 30)),
        "responsible": ([], ["市生态环境局"]),
    }
    expect = [(35.0, 35.0, dt.date(2021, 6, 30), ["市生态环境局"])]
    sql = "SELECT value, value_canonical, deadline, responsible FROM targets WHERE id = 'lingwu-pc-pm25-2020'"
    assert rows(accounts_db, sql) == expect
    # a changed catalog is loaded again from data/: the edit is applied again
    with db.connect(accounts_db) as con:
        con.execute("UPDATE catalog_state SET content_sha = 'changed'")
    assert store.init(accounts_db, catalog).catalog_loaded
    assert rows(accounts_db, sql) == expect
    evaluated = status.status(accounts_db, "lingwu", None)
    assert evaluated.set_index("target_id").loc["lingwu-pc-pm25-2020", "target_value"] == 35.0
    last = audit.log(accounts_db).iloc[-1]
    assert (last["actor"], last["action"], last["subject"]) == ("chief", "target_edit", "lingwu-pc-pm25-2020")
    assert last["detail"]["reason"] == "省里下达的新目标"
    assert audit.what(last, "en") == (
        "value 33 → 35; deadline 2020-12-31 → 2021-06-30; responsible — → 市生态环境局 "
        "(reason: 省里下达的新目标)"
    )


def test_a_value_in_another_unit_is_converted_and_checked(accounts_db):
    chief = auth.actor(accounts_db, "chief")
    with db.connect(accounts_db, read_only=True) as con:
        row = store.target_row(con, "lingwu-pc-pm25-2020")
    assert row["unit"] == "微克/立方米" and row["canonical_unit"] == "ug/m3"
    with pytest.raises(target_edits.EditRefused, match=r"outside the indicator's valid range \[0, 1000\]"):
        target_edits.edit_target(accounts_db, chief, "lingwu-pc-pm25-2020", "typo", value=3300)
    with pytest.raises(target_edits.EditRefused, match="give the reason"):
        target_edits.edit_target(accounts_db, chief, "lingwu-pc-pm25-2020", "  ", value=30)
    with pytest.raises(target_edits.EditRefused, match="no target nope"):
        target_edits.edit_target(accounts_db, chief, "nope", "why", value=30)
    assert rows(accounts_db, "SELECT count(*) FROM target_edits") == [(0,)]
    same = target_edits.edit_target(accounts_db, chief, "lingwu-pc-pm25-2020", "no change", value=33)
    assert same.changes == {} and rows(accounts_db, "SELECT count(*) FROM target_edits") == [(0,)]


# --- the command line --------------------------------------------------------------------------------------


def test_user_and_audit_commands(new_store):
    path = new_store("cli")
    # a fresh install has no account at all
    listed = run_cli("user", "list", db=path)
    assert listed.returncode == 0 and "no accounts yet" in listed.stdout
    add = run_cli(
        "user", "add", "chief", "--role", "admin", "--password-stdin", db=path, stdin=PASSWORD + "\n"
    )
    assert add.returncode == 0 and "管理员 administrator" in add.stdout, add.stderr
    staff = run_cli(
        "user", "add", "wu", "--role", "staff", "--city", "灵武市", "--city", "Liandu", "--password-stdin",
        db=path, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert staff.returncode == 0 and "[liandu, lingwu]" in staff.stdout
    no_terminal = run_cli("user", "add", "x2", "--role", "viewer", db=path)
    assert no_terminal.returncode == 2 and "--password-stdin" in no_terminal.stderr
    assert "Traceback" not in no_terminal.stderr
    listed = run_cli("user", "list", db=path).stdout
    assert "chief" in listed and "wu" in listed and "liandu, lingwu" in listed and "$argon2" not in listed
    assert (
        run_cli("user", "passwd", "wu", "--password-stdin", db=path, stdin="new password\n").returncode == 0
    )
    gone = run_cli("user", "remove", "nobody", db=path)
    assert gone.returncode == 2 and "no account nobody" in gone.stderr

    out = run_cli(
        "ingest", str(UPLOADS / "bad" / "not_permitted.csv"), "--user", "wu", "--valid-only", db=path
    )
    assert out.returncode == 1 and "not_permitted" in out.stdout and "已提交批次" in out.stdout
    unknown = run_cli("ingest", str(UPLOADS / "good" / "long_utf8.csv"), "--user", "ghost", db=path)
    assert unknown.returncode == 2 and "no account ghost" in unknown.stderr

    log = json.loads(run_cli("audit", "--format", "json", db=path).stdout)
    assert [(r["actor"], r["action"], r["subject"]) for r in log] == [
        (OP.name, "user_add", "chief"),
        (OP.name, "user_add", "wu"),
        (OP.name, "user_passwd", "wu"),
        ("wu", "upload", "not_permitted.csv"),
    ]
    assert log[-1]["values"] == 1 and log[-1]["cities"] == ["lingwu"] and isinstance(log[-1]["batch_id"], int)
    text = run_cli("audit", "--since", dt.date.today().isoformat(), db=path).stdout
    assert "wu · 上报数据 upload · 批次 batch" in text and "not_permitted.csv: 1 values (lingwu)" in text
    later = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "the audit log is empty" in run_cli("audit", "--since", later, db=path).stdout


def test_the_first_administrator_made_before_the_first_start_keeps_the_demo(new_store):
    # the README's order: create the administrator, then start the app on the embedded default data
    path = new_store("fresh")
    made = run_cli(
        "user", "add", "chief", "--role", "admin", "--password-stdin", db=path, stdin=PASSWORD + "\n"
    )
    assert made.returncode == 0 and rows(path, "SELECT count(*) FROM batches") == [(0,)]
    service.ensure(path)  # what the app does on start
    assert rows(path, "SELECT kind, count(*) FROM batches GROUP BY kind") == [("demo", 1)]
    assert rows(path, "SELECT name FROM users") == [("chief",)]
    # a store with values of its own never gets the demo
    real = new_store("real")
    uploads.ingest_file(real, (UPLOADS / "good" / "long_utf8.csv").read_bytes(), "a.csv", OP, today=TODAY)
    service.ensure(real)
    assert rows(real, "SELECT kind FROM batches") == [("upload",)]
