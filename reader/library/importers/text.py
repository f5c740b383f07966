"""Plain text: encoding detection and decoding.

Detection order: a byte-order mark; strict UTF-8; then charset-normalizer's
best guess checked against a plausibility score (how much of the decoded text
is common Chinese, ASCII, whitespace or CJK punctuation), with GB18030, Big5
and BOM-less UTF-16 as the candidates it is compared with.  The score is what
tells GBK from Big5 on short files where statistics alone cannot: a wrong guess
decodes to kana, box drawing, Hangul or private-use characters.
"""

from __future__ import annotations

import codecs
import unicodedata

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

#: Names charset-normalizer (and users) give, mapped to the codec we decode with.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "big5hkscs": "big5hkscs",
    "cp950": "big5",
    "utf_8": "utf-8",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "ascii": "utf-8",
}


class UndecodableText(ValueError):
    """No encoding gives plausible text.

    ``code`` says which case it is, for a translated message:
    ``"undecodable"`` (nothing fits), ``"wrong_encoding"`` (not the encoding
    given), ``"unknown_encoding"`` (no such encoding name), ``"bad_bom"``.
    """

    def __init__(self, message: str, *, code: str = "undecodable", **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


def canonical(name: str) -> str:
    """A codec name we can decode with, from a user's or a detector's name."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UndecodableText(
            f"unknown encoding {name!r}", code="unknown_encoding", encoding=name
        ) from None
    return _ALIASES.get(info.name.replace("-", "_"), info.name)


def plausibility(text: str) -> float:
    """Share of characters a real Chinese or Latin text is made of."""
    if not text:
        return 0.0
    good = 0.0
    for ch in text:
        code = ord(ch)
        if (
            0x4E00 <= code <= 0x9FFF
            or 0x20 <= code < 0x7F
            or ch in "\n\r\t\f"
            or 0x3000 <= code <= 0x303F
            or 0xFF01 <= code <= 0xFF5E
            or 0x2010 <= code <= 0x2027
        ):
            good += 1
        elif 0xA0 <= code <= 0x24F and unicodedata.category(ch).startswith("L"):
            # Western accented letters are likelier than Central European ones.
            good += 1 if code <= 0xFF else 0.9
    return good / len(text)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding name)``; raises :class:`UndecodableText`."""
    if encoding:
        codec = canonical(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise UndecodableText(
                f"not valid {encoding} (byte {exc.start}: {data[exc.start : exc.start + 4]!r})",
                code="wrong_encoding",
                encoding=encoding,
                offset=exc.start,
            ) from None
        return text.lstrip("\ufeff"), codec
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec.replace("-sig", "")), codec
            except UnicodeDecodeError:
                raise UndecodableText(
                    f"starts with a {codec} byte-order mark but is not {codec}",
                    code="bad_bom",
                    encoding=codec,
                ) from None
    if b"\x00" not in data[:4096]:  # NULs in text mean UTF-16, even if valid UTF-8
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates: list[str] = []
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None:
            candidates.append(canonical(best.encoding))
    except Exception:  # detection is only a hint
        pass
    candidates += ["gb18030", "big5", "utf-16-le", "utf-16-be", "cp1252"]
    scored: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(dict.fromkeys(candidates)):
        if codec.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((plausibility(text), -rank, codec, text))
    if not scored:
        raise UndecodableText("not text in any known encoding (try --encoding)", code="undecodable")
    score, _, codec, text = max(scored)
    if score < 0.85:
        raise UndecodableText(
            f"undecodable text (best guess {codec} looks wrong; try --encoding)",
            code="undecodable",
            guess=codec,
        )
    return text, codec
