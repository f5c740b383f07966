"""Traditional and Simplified script: one character for one, never changing a length.

Search finds either script with either (:mod:`reader.library.catalog` folds text and
query with :func:`fold_script`), and the voice reads a Traditional article with the
Simplified readings its dictionaries and polyphone model know
(:func:`fold_for_reading`, used by :mod:`reader.text.pinyin`): 銀行行長 is read
yínháng hángzhǎng, as 银行行长 is.  Both keep offsets: position *i* of the result is
position *i* of the text.  The table comes from OpenCC (t2s), one character at a time,
so a phrase conversion can never change a length.
"""

from __future__ import annotations

import re

#: The characters whose Traditional→Simplified conversion the script fold asks OpenCC
#: for: CJK extension A, the unified ideographs and the compatibility ideographs.  (Big5
#: and GB 18030's common Traditional characters are all here; the rare ones beyond the
#: BMP would cost more to look up than they find.)
_SCRIPT_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))

class _CharMap:
    """Replace characters by a table, touching only the characters that change.

    ``str.translate`` looks every character up in a dict; on Chinese text,
    where only a few punctuation marks change, a regular expression that finds
    just those (in C) is several times faster.  ``mapping`` is a function of
    one character (tried on the whole BMP) or the table itself.
    """

    def __init__(self, mapping) -> None:
        self.table: dict[str, str] = {}
        if isinstance(mapping, dict):
            self.table = {k: v for k, v in mapping.items() if k != v}
        else:
            for code in range(0x80, 0x10000):
                if not 0xD800 <= code <= 0xDFFF:
                    ch = chr(code)
                    mapped = mapping(ch)
                    if mapped != ch:
                        self.table[ch] = mapped
        ranges: list[list[int]] = []
        for code in sorted(map(ord, self.table)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        cls = "".join(
            re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in ranges
        )
        self.pattern = re.compile(f"[{cls}]" if cls else r"(?!)")
        self._replace = lambda m: self.table[m.group()]

    def __call__(self, text: str) -> str:
        return self.pattern.sub(self._replace, text)



def _converter_version() -> str:
    """``opencc-<version>``, or ``none`` when no converter is installed (no script fold then)."""
    global _CONVERTER_VERSION
    if _CONVERTER_VERSION is None:
        try:
            import opencc
        except ImportError:
            _CONVERTER_VERSION = "none"
        else:
            version = getattr(opencc, "__version__", "")
            if not version:
                from importlib.metadata import PackageNotFoundError
                from importlib.metadata import version as dist_version

                for dist in ("opencc", "opencc-python-reimplemented"):
                    try:
                        version = f"{dist}-{dist_version(dist)}"
                        break
                    except PackageNotFoundError:
                        continue
            _CONVERTER_VERSION = f"opencc-{version or 'unknown'}"
    return _CONVERTER_VERSION


def script_table() -> dict[str, str]:
    """Traditional → Simplified, one character to one character (臺 → 台, 銀 → 银).

    OpenCC's t2s conversion of every character of :data:`_SCRIPT_RANGES` on
    its own, in one call (each on its own line, so no phrase spans two).
    Only one-character results are kept, so folding never changes a text's
    length.  Empty without a converter: each script then finds only itself.
    """
    global _SCRIPT_TABLE
    if _SCRIPT_TABLE is None:
        table: dict[str, str] = {}
        if _converter_version() != "none":
            import opencc

            chars = [chr(c) for lo, hi in _SCRIPT_RANGES for c in range(lo, hi + 1)]
            converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
            if len(converted) == len(chars):  # else the converter joined lines: use nothing
                table = {
                    a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1
                }
        _SCRIPT_TABLE = table
    return _SCRIPT_TABLE


def fold_script(text: str) -> str:
    """``text`` with Traditional characters made Simplified; always the same length.

    What a match's offset is found in: positions in the result are positions
    in ``text`` (see :func:`matching_sentence`).
    """
    global _SCRIPT_FOLD
    if _SCRIPT_FOLD is None:
        _SCRIPT_FOLD = _CharMap(script_table())
    return _SCRIPT_FOLD(text)



def has_traditional(text: str) -> bool:
    """Whether :func:`fold_script` changes ``text``."""
    fold_script("")
    assert _SCRIPT_FOLD is not None
    return _SCRIPT_FOLD.pattern.search(text) is not None


_SCRIPT_FOLD: _CharMap | None = None
_READING_FOLD: _CharMap | None = None
_SCRIPT_TABLE: dict[str, str] | None = None
_CONVERTER_VERSION: str | None = None


def fold_for_reading(text: str) -> str:
    """``text`` with its Traditional-only characters made Simplified, for reading aloud.

    Unlike :func:`fold_script`, a character that Simplified writing also uses
    (it is in GB 2312: 乾 in 乾隆 qián, 於 the surname, 著) is left alone, since
    folding it (乾 → 干) would change how a Simplified text is read, and so is one
    whose usual reading its Simplified form lacks (閤 gé, not 合 hé).
    """
    global _READING_FOLD
    if text and _READING_FOLD is None:
        try:
            text.encode("gb2312")
            return text  # nothing outside Simplified's character set: no table needed yet
        except UnicodeEncodeError:
            pass
    if _READING_FOLD is None:
        from pypinyin.pinyin_dict import pinyin_dict

        table = {}
        for traditional, simplified in script_table().items():
            try:
                traditional.encode("gb2312")
                continue
            except UnicodeEncodeError:
                pass
            # 閤 is gé (a side door) but folds to 合 hé: keep a character whose usual
            # reading its Simplified form does not have.
            own = pinyin_dict.get(ord(traditional), "").split(",")[0]
            if own and own not in pinyin_dict.get(ord(simplified), "").split(","):
                continue
            table[traditional] = simplified
        _READING_FOLD = _CharMap(table)
    return _READING_FOLD(text)
