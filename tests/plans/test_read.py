"""Reading plan documents in every format they are published in; one small fixture per format, built here."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from indicators.errors import PlanUnreadable
from indicators.plans.extract import extract_file
from indicators.plans.read import read_bytes, read_path
from indicators.reporting.style import FONT_REGULAR, PDF_COLLECTION_INDEX

TARGET = "到2020年,受污染耕地安全利用率达到98%以上"


def test_txt_in_gbk_with_page_furniture_dropped(tmp_path, catalog):
    furniture = "- 网站首页\n- 政务公开\n>政务公开 >区政府文件\n首页\n"
    text = f"{furniture}某市行动方案(2019-2020年)\n{TARGET}。\n返回顶部\n"
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode("gbk"))
    assert read_path(path) == f"某市行动方案(2019-2020年)\n{TARGET}。"
    (c,) = extract_file(path, catalog.indicators)
    assert (c.quote, c.indicator, c.comparator, c.value) == (TARGET, "farmland_safe_use_rate", ">=", 98)


def test_html_keeps_the_article_and_drops_navigation_scripts_and_footer(tmp_path, catalog):
    html = (
        "<html><head><meta charset='utf-8'><title>方案</title>"
        "<script>var x = '达到99%';</script></head><body>"
        "<div class='nav'><a>首页</a><a>政务公开</a></div><header>某市人民政府网站</header>"
        "<div class='article'><h1>某市行动方案(2019-2020年)</h1><p>一、工作目标</p>"
        f"<p>{TARGET},污染地块安全利用率不低于90%。</p></div>"
        "<footer>版权所有 联系我们 电话12345</footer><div id='share-bar'>分享到 100%</div></body></html>"
    )
    path = tmp_path / "plan.html"
    path.write_text(html, encoding="utf-8")
    text = read_path(path)
    assert text.splitlines() == [
        "某市行动方案(2019-2020年)",
        "一、工作目标",
        f"{TARGET},污染地块安全利用率不低于90%。",
    ]
    found = extract_file(path, catalog.indicators)
    assert [(c.value, c.indicator) for c in found] == [
        (98, "farmland_safe_use_rate"),
        (90, "contaminated_land_safe_use_rate"),
    ]


def test_docx_paragraphs_and_tables_in_document_order(tmp_path, catalog):
    document = docx.Document()
    document.add_paragraph("某市行动方案(2019-2020年)")
    document.add_paragraph(f"{TARGET}。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "森林覆盖率达到45%。"
    table.rows[0].cells[1].text = "责任单位:市林业局"
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_path(path).splitlines()[-1] == "森林覆盖率达到45%。\t责任单位:市林业局"
    farmland, forest = extract_file(path, catalog.indicators)
    assert (farmland.value, forest.value, forest.indicator) == (98, 45, "forest_coverage")
    assert forest.responsible == ["市林业局"]


def test_pdf_text_layer_with_the_lines_the_page_broke_joined(tmp_path, catalog):
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", "", FONT_REGULAR, collection_font_number=PDF_COLLECTION_INDEX)
    pdf.set_font("cjk", size=12)
    pdf.cell(text="某市行动方案(2019-2020年)", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(text="到2020年,受污染耕地安全", new_x="LMARGIN", new_y="NEXT")  # the page broke the sentence
    pdf.cell(text="利用率达到98%以上。", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    assert read_path(path).splitlines() == ["某市行动方案(2019-2020年)", f"{TARGET}。"]
    (c,) = extract_file(path, catalog.indicators)
    assert (c.quote, c.value) == (TARGET, 98)


def _scanned_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()  # a page with no text: what a scan without OCR looks like to a reader
    pdf.rect(10, 10, 50, 50)
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"%PDF-1.4 not really a pdf", "plan.pdf", "not a valid PDF"),
        (_scanned_pdf(), "scan.pdf", "no text layer"),
        (b"PK\x03\x04 not a zip", "plan.docx", "not a valid Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "plan.doc", "unsupported format .doc"),
        ("Ceci n'est pas un plan: déjà vu, à côté".encode("latin-1"), "plan.txt", "neither UTF-8 nor GBK"),
        (b"   \n\n", "plan.txt", "holds no text"),
    ],
)
def test_unreadable_documents_are_refused_with_a_reason(data, name, says):
    with pytest.raises(PlanUnreadable) as info:
        read_bytes(data, name)
    assert info.value.code == "plan_unreadable"
    assert says in info.value.message("en")
    assert info.value.message("zh").startswith("无法读取规划文件")


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(PlanUnreadable):
        read_path(Path(tmp_path) / "nothing.txt")


def test_the_seed_documents_ship_in_the_repository():
    from indicators.paths import PLANS_DIR

    names = sorted(p.name for p in PLANS_DIR.glob("*.txt"))
    assert len(names) == 5, f"the seed plans are missing from {PLANS_DIR}"
    assert all(read_path(PLANS_DIR / n) for n in names)
