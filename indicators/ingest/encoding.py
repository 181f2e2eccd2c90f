"""Decode an uploaded text file: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.

UTF-8 is strict enough that a file that decodes as UTF-8 is UTF-8. GB18030 is not: almost any byte string
decodes, so a Latin-1 or Big5 file would come out as nonsense Chinese. A GB18030 decoding is therefore
accepted only when its non-ASCII characters look like the Chinese staff write — mostly GB2312 (the common
characters and the usual punctuation), or characters GB18030 needs four bytes for (µ, ³, rare names), which
a mis-decoding almost never produces. Anything else is rejected with the reason, never guessed.
"""

from __future__ import annotations

import re

from indicators.ingest import errors as ue

# A GB18030 decoding with more than this share of unusual non-ASCII characters is taken for a wrong guess.
MAX_UNUSUAL_SHARE = 0.2
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# GB2312 rows that Chinese tables use: A1 punctuation, A2 numerals (①, Ⅲ), A3 full-width ASCII, A6 Greek (μ).
_USUAL_SYMBOL_ROWS = frozenset({0xA1, 0xA2, 0xA3, 0xA6})


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
        if looks_chinese(text):
            return text, _narrowest(text)
    raise ue.Unusable(ue.error("encoding"))


def _narrowest(text: str) -> str:
    """Name GBK when every character fits GBK (what Excel writes), GB18030 otherwise."""
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return "gb18030"
    return "gbk"
