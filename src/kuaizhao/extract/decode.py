"""Bytes to text for Chinese pages, recording which charset was used and why.

Order: a source's override, a BOM, then what the page declares (HTTP header, then <meta>). A
declaration is checked against the bytes: Chinese portals often declare gb2312 and send UTF-8, or
declare gb2312 and use GBK/GB18030-only characters. When nothing is declared, charset-normalizer
reads the whole document, because a prefix is often pure ASCII markup.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Every GB family name is decoded as GB18030, a strict superset: pages labelled gb2312 routinely
# contain GBK characters (镕, 堃, 珺) that a gb2312 decoder turns into U+FFFD.
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
          "csgb2312": "gb18030", "hz-gb-2312": "gb18030", "chinese": "gb18030", "cp936": "gb18030",
          "big5": "big5hkscs", "ascii": "utf-8", "us-ascii": "utf-8", "iso-8859-1": "cp1252",
          "latin1": "cp1252", "latin-1": "cp1252"}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str
    reason: str


def normalise_charset(name: str) -> str | None:
    """A Python codec name for a declared charset, widened where browsers widen; None if unknown."""
    name = name.strip().strip("\"'").lower()
    name = _WIDEN.get(name, name)
    try:
        return _WIDEN.get(codecs.lookup(name).name, codecs.lookup(name).name)
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None) -> tuple[str | None, str]:
    """The charset the response declares, and where: ('gb18030', 'http header') or (None, '')."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (codec := normalise_charset(m.group(1))):
            return codec, "http header"
    meta = _META_CHARSET.search(body[:16384])
    if meta and (codec := normalise_charset(meta.group(1).decode("ascii", "replace"))):
        return codec, "meta"
    return None, ""


def decode(body: bytes, content_type: str | None = None, override: str | None = None) -> Decoded:
    """Decode an HTML body, then audit the result for mojibake; never raises."""
    first = _decode(body, content_type, override)
    return first if first.reason == "source override" else audit(body, first)


def _decode(body: bytes, content_type: str | None, override: str | None) -> Decoded:
    if override and (codec := normalise_charset(override)):
        return Decoded(body.decode(codec, "replace"), codec, "source override")
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom):].decode(codec, "replace"), codec, "byte order mark")

    declared, where = declared_charset(body, content_type)
    utf8 = _strict(body, "utf-8")
    if declared == "utf-8" and utf8 is not None:
        return Decoded(utf8, "utf-8", f"declared in {where}")
    if declared and declared != "utf-8":
        if utf8 is not None and not body.isascii():
            # Valid multi-byte UTF-8 is almost never an accident in GBK text.
            return Decoded(utf8, "utf-8", f"declared {declared} in {where}, but the bytes are UTF-8")
        text = _strict(body, declared)
        if text is not None:
            return Decoded(text, declared, f"declared in {where}")
        return Decoded(body.decode(declared, "replace"), declared, f"declared in {where}; invalid bytes replaced")
    if utf8 is not None:
        return Decoded(utf8, "utf-8", "undeclared; valid UTF-8")

    # One step over the whole body: charset-normalizer's default samples 512-byte chunks, and the
    # chunks of a Chinese page are often all markup.
    best = from_bytes(
        body, steps=1, chunk_size=max(len(body), 1), cp_isolation=["gb18030", "big5", "utf_8", "cp1252"]
    ).best()
    if best is not None:
        codec = normalise_charset(best.encoding) or "gb18030"
        why = f"declared utf-8 in {where}, but the bytes are not UTF-8" if declared == "utf-8" else "undeclared"
        return Decoded(body.decode(codec, "replace"), codec, f"{why}; detected by charset-normalizer")
    return Decoded(body.decode("gb18030", "replace"), "gb18030", "undeclared; undetectable, assumed GB18030")


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# --- the mojibake audit -----------------------------------------------------------------------

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]")
_MANGLED = "锟斤拷"  # UTF-8 replacement characters read as GBK: the page was mangled before we saw it


def _common(codec: str, first: range, second: range) -> frozenset[str]:
    chars = set()
    for hi in first:
        for lo in second:
            try:
                chars.add(bytes((hi, lo)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


# The characters ordinary text is made of: GB2312 level 1 (the 3,755 most used simplified
# characters) and Big5's frequent block (5,401 traditional ones). Correctly decoded Chinese is
# almost entirely these; UTF-8 read as GBK, or GBK read as Big5, is not.
_COMMON = (_common("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
           | _common("big5", range(0xA4, 0xC7), range(0x40, 0xFF)))


def plausibility(text: str) -> float:
    """Share of common characters among the Chinese characters of `text` (1.0 without any)."""
    sample = _CJK_RUN.findall(text[:40000])[:4000]
    if len(sample) < 50:
        return 1.0
    return sum(1 for c in sample if c in _COMMON) / len(sample)


def _badness(text: str) -> float:
    replaced = text.count("\ufffd") / max(len(text), 1)
    return 20 * replaced + (1 - plausibility(text))


def audit(body: bytes, decoded: Decoded) -> Decoded:
    """Re-decode when the text looks wrong: replacement characters, or implausible characters."""
    text = decoded.text
    replaced = text.count("\ufffd")
    suspicious = replaced > max(3, len(text) // 200) or plausibility(text) < 0.8
    if not suspicious:
        if _MANGLED in text:
            return Decoded(text, decoded.charset, decoded.reason + "; contains 锟斤拷 (mangled before capture)")
        return decoded
    best, best_badness = decoded, _badness(text)
    for codec in ("utf-8", "gb18030", "big5hkscs"):
        if codec == decoded.charset:
            continue
        candidate = body.decode(codec, "replace")
        badness = _badness(candidate)
        if badness < best_badness - 0.05:
            best, best_badness = Decoded(candidate, codec, ""), badness
    if best is decoded:
        return Decoded(text, decoded.charset, decoded.reason + "; mojibake suspected, no better charset found")
    why = f"{decoded.reason}, but the text was implausible: re-decoded as {best.charset} by the mojibake audit"
    return Decoded(best.text, best.charset, why)
