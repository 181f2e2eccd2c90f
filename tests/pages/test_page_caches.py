"""The overview's and the scorecard's tables are built by the server's watcher after every write (the
lifespan's snapshot.keep_warm calls pages.cache.refresh), never by the visitor who comes next."""

from __future__ import annotations

import shutil
import threading
import time

from conftest import wait_until

from indicators.accounts.actor import local_operator
from indicators.ingest import service as uploads
from indicators.reporting import overview as overview_model
from indicators.reporting import scorecard as report
from indicators.status import snapshot
from pages import cache


def test_after_a_write_the_watcher_builds_the_pages_tables_before_a_visitor_asks(
    demo_db, tmp_path, monkeypatch
):
    path = tmp_path / "pages.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("DABIAO_DB", str(path))
    built: list[str] = []  # one entry per overview built, one per scorecard screen built
    real_overview, real_screen = overview_model.overview, report.screen

    def overview(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append("overview")
        return real_overview(*args, **kwargs)

    def screen(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append("screen")
        return real_screen(*args, **kwargs)

    monkeypatch.setattr(overview_model, "overview", overview)
    monkeypatch.setattr(report, "screen", screen)
    stop = threading.Event()
    watcher = threading.Thread(
        target=snapshot.keep_warm, args=(path, stop, 0.1), kwargs={"then": cache.refresh}
    )
    watcher.start()
    try:
        assert wait_until(lambda: built == ["overview", "screen"])
        cache.overview(None)
        assert cache.screen(None, cache.Filters()).counts  # as a visitor's page run asks
        assert built == ["overview", "screen"]  # found ready: nothing built for the visitor
        data = "城市,指标,月份,数值,单位\n灵武市,pm25,2020-03,77,ug/m3\n".encode()
        assert uploads.ingest_file(path, data, "march.csv", local_operator()).batch_id is not None
        assert wait_until(lambda: len(built) == 4)  # the new version's, nobody asking
        cache.overview(None)
        cache.screen(None, cache.Filters())
        time.sleep(0.5)  # a few more turns of the watcher: the same version is not built again
        assert built == ["overview", "screen"] * 2
    finally:
        stop.set()
        watcher.join()
