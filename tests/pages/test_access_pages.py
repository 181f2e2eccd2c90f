"""The administrator page and the targets page's edit form under AppTest, with and without a signed-in
account: what each role is shown, and that an edit made on the page reaches the database and the audit log."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators.accounts import audit, auth, sessions
from indicators.accounts.actor import local_operator
from indicators.store import db
from pages import session

PASSWORD = "page-test-pass"


@pytest.fixture(scope="module")
def accounts_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("access_pages") / "accounts.duckdb"
    shutil.copy(demo_db, path)
    op = local_operator()
    auth.add_user(path, op, "lingwu_staff", "staff", ["灵武市"], PASSWORD)
    auth.add_user(path, op, "chief", "admin", [], PASSWORD)
    return path


def page(path, monkeypatch, name: str, lang: str = "zh", user: str | None = None) -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if user:  # a session made as the sign-in route makes it; the page reads its token as from the cookie
        token, _ = sessions.sign_in(path, user, PASSWORD)
        monkeypatch.setattr(session, "token", lambda: token)
    return at.switch_page(f"pages/{name}")


def shown(at: AppTest) -> str:
    parts = [
        *at.title,
        *at.subheader,
        *at.caption,
        *at.markdown,
        *at.success,
        *at.warning,
        *at.error,
        *at.info,
    ]
    return "\n".join(str(p.value) for p in parts)


def menu(at: AppTest) -> list[str]:
    return [str(link.proto.label) for link in at.sidebar.get("page_link")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_admin_page_without_an_account(accounts_db, monkeypatch, lang):
    at = page(accounts_db, monkeypatch, "admin.py", lang).run()
    assert not at.exception, at.exception
    assert ("仅管理员可查看此页" if lang == "zh" else "Only administrators") in shown(at)
    assert not at.dataframe and "action='/auth/signin'" in "".join(h.proto.body for h in at.main.get("html"))
    assert not any("Admin" in label for label in menu(at))


def test_the_admin_page_refuses_staff(accounts_db, monkeypatch):
    at = page(accounts_db, monkeypatch, "admin.py", user="lingwu_staff").run()
    assert "仅管理员可查看此页" in shown(at) and not at.dataframe
    assert "login_name_admin" not in {w.key for w in at.text_input}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_admin_page_shows_the_audit_log_and_the_accounts(accounts_db, monkeypatch, lang):
    at = page(accounts_db, monkeypatch, "admin.py", lang, user="chief").run()
    assert not at.exception, at.exception
    assert any("Admin" in label for label in menu(at))
    log, users = (d.value for d in at.dataframe)
    who = "操作人" if lang == "zh" else "Who"
    action = "操作" if lang == "zh" else "Action"
    # newest first: the two accounts, then the demo data
    assert log[who].tolist() == [local_operator().name, local_operator().name, "demo"]
    assert log[action].tolist() == (
        ["新增账号", "新增账号", "示例数据"]
        if lang == "zh"
        else ["account added", "account added", "demo data"]
    )
    assert users.iloc[:, 0].tolist() == ["chief", "lingwu_staff"]
    assert users.iloc[:, 2].tolist() == ["", "灵武市" if lang == "zh" else "Lingwu"]


def test_only_an_administrator_gets_the_edit_form(accounts_db, monkeypatch):
    for user in (None, "lingwu_staff"):
        at = page(accounts_db, monkeypatch, "targets.py", user=user).run()
        assert not at.exception, at.exception
        assert "edit_save" not in {b.key for b in at.button}
    at = page(accounts_db, monkeypatch, "targets.py", user="chief").run()
    assert "edit_save" in {b.key for b in at.button}


def test_an_edit_on_the_page_reaches_the_store_and_the_audit_log(accounts_db, tmp_path, monkeypatch):
    path = tmp_path / "edit.duckdb"
    shutil.copy(accounts_db, path)
    at = page(path, monkeypatch, "targets.py", user="chief").run()
    at.selectbox(key="edit_tid").select("lingwu-pc-pm25-2020").run()
    at.number_input(key="ev_lingwu-pc-pm25-2020").set_value(30.0)
    at.button(key="edit_save").click().run()
    assert [e.value for e in at.error] == ["请写明修改原因"]  # no reason: nothing changes
    at.text_input(key="ereason_lingwu-pc-pm25-2020").input("2021年省考核目标")
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    assert "已保存：目标值 33 → 30" in shown(at)
    assert "lingwu-pc-pm25-2020: 30 · 2020-12-31 · chief" in shown(at)  # the edited mark under the title
    with db.connect(path, read_only=True) as con:
        value = con.execute("SELECT value FROM targets WHERE id = 'lingwu-pc-pm25-2020'").fetchone()
    assert value == (30.0,)
    last = audit.log(path).iloc[-1]
    assert (last["actor"], last["action"], last["detail"]["reason"]) == (
        "chief",
        "target_edit",
        "2021年省考核目标",
    )
