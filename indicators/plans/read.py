"""Read a plan document as published: .txt / .html (UTF-8 or GBK), .docx, .pdf (its text layer).

The text returned is the document's own text: nothing is rewritten (normalisation happens later, beside
it), only page furniture of a saved web page — navigation, breadcrumbs, share and print links, footers —
is left out, so that a quote cut from this text is verbatim.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from indicators.errors import DabiaoError, PlanUnreadable
from indicators.ingest.encoding import decode

_DROPPED_TAGS = (
    "head",
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "select",
)
_FURNITURE_ATTR = re.compile(
    r"nav|menu|footer|header|breadcrumb|crumb|sidebar|share|toolbar|copyright|topbar|bottom|login|search",
    re.IGNORECASE,
)
_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
)
# Lines of a saved page that are furniture, not the document (kept short on purpose: a sentence never matches)
_FURNITURE_LINE = re.compile(
    r"^\s*(?:[-*>»·|][^。，,；;：:]{0,60}|.{0,12}(?:首页|主页|返回顶部|打印本页|关闭窗口|分享到|扫一扫|收藏|"
    r"上一篇|下一篇|字体|字号|【大|浏览次数|访问量|当前位置|您的位置|网站地图|联系我们|版权所有).{0,20})\s*$"
)
_SENTENCE_END = "。；;！!？?：:）)」』”"


def _unreadable(zh: str, en: str) -> PlanUnreadable:
    return PlanUnreadable(f"无法读取规划文件：{zh}", f"cannot read the plan document: {en}")


def _decode(data: bytes) -> str:
    try:
        return decode(data)[0]
    except DabiaoError:
        raise _unreadable("既不是 UTF-8 也不是 GBK/GB18030 编码", "neither UTF-8 nor GBK/GB18030") from None


def drop_furniture(text: str) -> str:
    """The lines of a text that are the document: navigation and page furniture lines left out."""
    kept = [line.rstrip() for line in text.splitlines() if not _FURNITURE_LINE.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def html_text(data: bytes) -> str:
    import lxml.html  # only when an HTML document is read

    try:
        root = lxml.html.document_fromstring(_decode(data))
    except (ValueError, lxml.etree.ParserError):
        raise _unreadable("不是有效的 HTML", "not valid HTML") from None
    for el in list(root.iter(*_DROPPED_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        attrs = f"{el.get('id', '')} {el.get('class', '')}"
        if _FURNITURE_ATTR.search(attrs) and el.tag not in ("body", "html"):
            el.drop_tree()
    for el in root.iter("td", "th"):  # cells apart by tabs, as a Word table reads (plans/tables.py)
        el.tail = "\t" + (el.tail or "")
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    return drop_furniture(root.text_content())


def docx_text(data: bytes) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise _unreadable("不是有效的 Word (.docx) 文件", "not a valid Word (.docx) file") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip()


def pdf_text(data: bytes) -> str:
    # PDFium (pypdfium2) reads CID fonts that pypdf and pdfminer decode wrongly or not at all (fpdf2's
    # subset fonts among them), so one reader serves the PDFs Word, WPS and report tools write.
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise _unreadable("不是有效的 PDF 文件", "not a valid PDF file") from None
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    lines = [line.rstrip() for page in pages for line in page.splitlines()]
    # A PDF breaks lines where the page is full, not where a sentence ends: join them again.
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1] and not joined[-1].endswith(tuple(_SENTENCE_END)) and line.strip():
            joined[-1] += line.strip()
        else:
            joined.append(line)
    text = "\n".join(joined).strip()
    if not text:
        raise _unreadable(
            "PDF 没有文字层（扫描件需先识别文字）", "the PDF has no text layer (a scan needs OCR)"
        )
    return text


def read_bytes(data: bytes, name: str) -> str:
    """The text of a plan document; `name` (the file name) tells its format along with its first bytes."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF-"):
        text = pdf_text(data)
    elif data.startswith(b"PK\x03\x04"):
        if suffix not in ("", ".docx"):
            raise _unreadable(f"不支持的格式 {suffix}", f"unsupported format {suffix}")
        text = docx_text(data)
    elif suffix in (".doc", ".wps", ".xls", ".xlsx", ".ppt") or b"\x00" in data[:1024]:
        raise _unreadable(
            f"不支持的格式 {suffix or '二进制文件'}，请另存为 .docx、.pdf、.html 或 .txt",
            f"unsupported format {suffix or 'binary file'}: save it as .docx, .pdf, .html or .txt",
        )
    elif suffix in (".html", ".htm") or re.match(rb"\s*(<!doctype html|<html)", data[:512], re.IGNORECASE):
        text = html_text(data)
    else:
        text = drop_furniture(_decode(data))
    if not text.strip():
        raise _unreadable("文件中没有文字", "the document holds no text")
    return text


def read_path(path: str | Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise _unreadable(f"{path}：{exc.strerror}", f"{path}: {exc.strerror}") from None
    return read_bytes(data, str(path))
