"""The briefing book as a reader gets it: the PDF's text (pdftotext) and fonts (pdffonts), hand-built data."""

from __future__ import annotations

import subprocess

from test_meeting import ADMIN, AS_OF, FIRST, FOREST, LINGWU_STAFF, upload

from indicators import store
from indicators.meeting import briefing, notes, snapshots

NOTE = "造林季推迟，预计9月回到序时；下一节点：8月完成补植"


def text_of(pdf) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_briefing_book_holds_the_note_both_statuses_the_as_of_month_and_page_numbers(tmp_path):
    path = tmp_path / "briefing.duckdb"
    store.init(path)
    upload(path, FIRST)
    snapshots.create(path, ADMIN, "六月调度会", AS_OF)
    notes.add_note(path, LINGWU_STAFF, FOREST, NOTE)
    upload(path, [("2019-06", 13.0)], "revision.csv")
    snapshots.create(path, ADMIN, "七月调度会", AS_OF)

    out = tmp_path / "briefing.pdf"
    pages = briefing.write(path, "七月调度会", out)
    text = text_of(out)
    flat = "".join(text.split())  # table cells wrap: compare without the layout's spaces and line breaks
    assert pages == 2 + 5  # cover, summary, one page per city
    assert "七月调度会" in text and "灵武市" in text and "Lingwu" in text
    assert "2019-06" in text  # the as-of month of each city, on the cover
    assert "严重滞后" in flat and "offtrack" in flat  # the status now …
    assert "原序时推进wasonschedule" in flat  # … and before, since the previous snapshot
    assert "↓灵武市森林覆盖率：↗序时推进→✕严重滞后" in flat  # summary: turned worse, with its arrow
    # the note's cell wraps beside the next column's: its lines are read in turn with that column's
    assert "造林季推迟，预计9月回到序时；下一节点" in flat and "8月完成补植（小王）" in flat
    assert "第1页/page1of7" in flat and "第7页/page7of7" in flat
    # Lingwu's only item behind: needed is the gap to the path (a level indicator has no remaining average)
    assert "序时应达15.3714" in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded


def test_the_first_snapshot_has_no_changes_to_list(tmp_path):
    path = tmp_path / "first.duckdb"
    store.init(path)
    upload(path, FIRST)
    snapshots.create(path, ADMIN, "首次", AS_OF)
    out = tmp_path / "first.pdf"
    briefing.write(path, "首次", out)
    flat = "".join(text_of(out).split())
    assert "这是第一次快照" in flat and "Thefirstsnapshot" in flat
    assert "没有滞后、严重滞后或未完成的目标" in flat  # Lingwu's page: nothing behind
