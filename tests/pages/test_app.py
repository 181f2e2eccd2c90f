"""The targets page under Streamlit's AppTest: every city, both languages."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest


@pytest.fixture
def app(demo_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("DABIAO_DB", str(demo_db))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [i.value for i in at.info]
    return "\n".join(map(str, parts))


def test_targets_page_in_chinese(app):
    app.switch_page("pages/targets.py").run()
    assert not app.exception
    assert "规划目标" in _text(app)
    assert "示例数据 demo data" in _text(app)
    assert app.selectbox(key="targets_city_zh").value == "lingwu"  # the first seed plan's city comes first


def test_targets_page_every_city_and_english(app):
    app.switch_page("pages/targets.py").run()
    for city in ("lingwu", "liandu", "nanchang", "jiangjin", "changde", "__all__"):
        app.selectbox(key="targets_city_zh").set_value(city).run()
        assert not app.exception, city
    app.radio[0].set_value("en").run()
    assert not app.exception
    assert "Plan targets" in _text(app)
