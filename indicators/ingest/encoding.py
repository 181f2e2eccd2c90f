"""Decode an uploaded text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.

UTF-8 is strict enough that a file that decodes as UTF-8 is UTF-8. GB18030 is not: almost any byte string
decodes, so a Latin-1 or Big5 file would come out as nonsense Chinese. A GB18030 decoding is therefore
accepted only when its non-ASCII characters look like the Chinese staff write — mostly GB2312 (the common
characters and the usual punctuation), or characters GB18030 needs four bytes for (µ, ³, rare names), which
a mis-decoding almost never produces — and when charset-normalizer (a maintained detector) also finds a GB
encoding the most plausible one (a Latin-1 or Big5 file it tells apart is refused). A line that is UTF-8
inside a GB file (one row pasted from another system) is refused naming the line, and so is UTF-16 without
a byte-order mark. Anything else is rejected with the reason, never guessed.
"""

from __future__ import annotations

import re

import charset_normalizer

from indicators.ingest import errors as ue

# A GB18030 decoding with more than this share of unusual non-ASCII characters is taken for a wrong guess.
MAX_UNUSUAL_SHARE = 0.2
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# GB2312 rows that Chinese tables use: A1 punctuation, A2 numerals (①, Ⅲ), A3 full-width ASCII, A6 Greek (μ).
_USUAL_SYMBOL_ROWS = frozenset({0xA1, 0xA2, 0xA3, 0xA6})
_GB = frozenset({"gb2312", "gbk", "gb18030", "hz"})
_DETECTOR_BYTES = 1 << 18  # charset-normalizer looks at this much of the file
_CJK_IN_UTF8 = re.compile(r"[\u0800-\uffff]")


def _usual(ch: str) -> bool:
    o = ord(ch)
    if o <= 0xFF or 0x2100 <= o <= 0x218F or 0x3300 <= o <= 0x33FF:  # Latin-1 signs, ℃ Ⅲ, ㎡ ㎎
        return True
    if 0xE000 <= o <= 0xF8FF:  # private use: GBK's user-defined areas, never real text
        return False
    try:
        two = ch.encode("gb2312")
    except UnicodeEncodeError:
        # outside GB2312: a GBK extension character (two bytes, what mis-decodings produce) or a
        # character only GB18030 has (four bytes, written on purpose)
        return len(ch.encode("gb18030")) == 4
    return two[0] >= 0xB0 or two[0] in _USUAL_SYMBOL_ROWS


def looks_chinese(text: str) -> bool:
    """True when the non-ASCII characters of a GB18030 decoding look like real Chinese text."""
    seen: dict[str, bool] = {}
    unusual = total = 0
    for ch in _NON_ASCII.findall(text):
        usual = seen.get(ch)
        if usual is None:
            usual = seen[ch] = _usual(ch)
        total += 1
        unusual += not usual
    return unusual <= MAX_UNUSUAL_SHARE * total


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name); raises upload_errors.Unusable("encoding") rather than guess."""
    if looks_utf16(data):
        raise ue.Unusable(ue.error("encoding", template="encoding_utf16"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "gb18030":
            return text, encoding
        _refuse_utf8_lines(data)
        if looks_chinese(text) and _detector_agrees(data):
            return text, _narrowest(text)
    raise ue.Unusable(ue.error("encoding"))


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: mostly ASCII text, so one byte of every pair is NUL."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 4:
        return False
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    return max(even, odd) >= 0.3 * pairs and min(even, odd) <= 0.05 * pairs


def _refuse_utf8_lines(data: bytes) -> None:
    """A file that is not UTF-8 as a whole but has a line that is (with characters GB text would almost
    never form): a row pasted from a UTF-8 system into a GBK file, to be stored as mojibake otherwise."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _CJK_IN_UTF8.search(text):
            raise ue.Unusable(ue.error("encoding", template="encoding_mixed", line=number))


def _detector_agrees(data: bytes) -> bool:
    """charset-normalizer finds a GB encoding at least as plausible as any other (a Latin-1, Windows-1252
    or Big5 file that decodes as GB18030 by accident is told apart)."""
    sample = data[:_DETECTOR_BYTES]
    if len(data) > len(sample) and b"\n" in sample:
        sample = sample[: sample.rfind(b"\n") + 1]
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return False
    least = min(m.chaos for m in matches)
    return any(m.encoding in _GB and m.chaos <= least for m in matches)


def _narrowest(text: str) -> str:
    """Name GBK when every character fits GBK (what Excel writes), GB18030 otherwise."""
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return "gb18030"
    return "gbk"
