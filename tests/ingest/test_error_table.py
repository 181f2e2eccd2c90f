"""The upload page's problem table (issue 14, item 6): the sentence first, its code small after it."""

from __future__ import annotations

import re

from indicators.ingest import errors as ue
from indicators.ingest import text as upload_text

BAD = ue.UploadError("not_a_number", 3, "数值", "第 3 行：数值“<b>abc</b>”不是数字", "row 3: not a number")


def test_the_sentence_comes_first_and_the_code_is_small_after_it():
    page = upload_text.errors_html([BAD], "zh")
    (cell,) = re.findall(r"<td>([^<]*(?:&lt;[^<]*)*<small[^>]*>[^<]*</small>)</td>", page)
    sentence, code = cell.split("<small", 1)
    assert "不是数字" in sentence and "not_a_number" in code  # the code after the sentence, in <small>
    assert "<th>代码</th>" not in page  # no column of codes in place of a sentence
    assert "&lt;b&gt;abc&lt;/b&gt;" in page and "<b>abc" not in page  # what the file says, as text


def test_in_english_the_english_sentence():
    page = upload_text.errors_html([BAD], "en")
    assert "row 3: not a number <small class='code'>not_a_number</small>" in page
    assert "<th>Message</th>" in page
