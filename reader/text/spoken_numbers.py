"""Reading Arabic numerals aloud in Mandarin: cardinals, digit strings, decimals.

Hand-written rather than ``cn2an`` because cn2an never says 两 (2007 →
二千零七, 2000 → 二千) and offers no digit-by-digit reading with 幺; the rules
here are small enough to state in full.

两 versus 二 inside a cardinal (``liang=True``, the quantity reading):

* a leading 2 on the 千 place is 两: 2000 → 两千, 2,500 → 两千五百,
  12,000 → 一万两千 (the leading digit of a 万 or 亿 section counts too);
* a leading 2 on the 百 place of the whole number is 两: 200 → 两百,
  250 → 两百五十 (两百 is what broadcasters and most speakers say; 二百 is
  equally correct but sounds bookish, and the bare 二百五 is a slur);
* a whole 万 or 亿 section that is just 2 at the head of the number is 两:
  20,000 → 两万, 2亿 → 两亿;
* everywhere else 2 is 二: 12 → 十二, 20 → 二十, 1,200 → 一千二百,
  22 → 二十二, and a bare 2 is 二 (the caller turns it into 两 when a measure
  word follows: 2 个 → 两个).

With ``liang=False`` (ordinals, dates, codes, scores) every 2 is 二:
第 200 → 第二百, 2 月 → 二月.

A leading 10–19 drops the 一 (10 → 十, 15 → 十五, 100,000 → 十万) but a 十 in
the middle keeps it (110 → 一百一十, 10,010 → 一万零一十).
"""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_DIGIT_TABLE = str.maketrans("0123456789", DIGITS)
_YAO_TABLE = str.maketrans("0123456789", "零幺二三四五六七八九")
_PLACES = ("千", "百", "十", "")
_SECTION_UNITS = ("", "万", "亿", "万亿")

#: Longer integers than this are read digit by digit (they are codes, not amounts).
MAX_CARDINAL_DIGITS = 16


def read_digits(digits: str, *, yao: bool = False) -> str:
    """One Chinese digit per Arabic digit; ``yao`` says 1 as 幺 (phone numbers)."""
    return digits.translate(_YAO_TABLE if yao else _DIGIT_TABLE)


def _read_section(sec: str, *, head: bool, liang: bool, unit: str) -> str:
    """Read one four-digit section (``sec`` is zero-padded to 4)."""
    out: list[str] = []
    zero = False
    lead = True
    for i, ch in enumerate(sec):
        d = ord(ch) - 48
        place = _PLACES[i]
        if d == 0:
            if not lead:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        if lead and head and d == 1 and place == "十":
            word = ""
        elif (
            lead
            and d == 2
            and liang
            and (place == "千" or (head and (place == "百" or (place == "" and unit))))
        ):
            word = "两"
        else:
            word = DIGITS[d]
        out.append(word + place)
        lead = False
    return "".join(out)


def read_integer(digits: str, *, liang: bool = True) -> str:
    """The cardinal reading of a string of ASCII digits (leading zeros ignored)."""
    s = digits.lstrip("0")
    if not s:
        return "零"
    n = len(s)
    if n > MAX_CARDINAL_DIGITS:
        return read_digits(digits)
    first = n % 4 or 4
    sections = [s[:first].rjust(4, "0")] + [s[i : i + 4] for i in range(first, n, 4)]
    count = len(sections)
    out: list[str] = []
    started = False
    zero_pending = False
    for idx, sec in enumerate(sections):
        unit = _SECTION_UNITS[count - 1 - idx]
        if sec == "0000":
            if started:
                zero_pending = True
            continue
        if started and (zero_pending or sec[0] == "0"):
            out.append("零")
        zero_pending = False
        out.append(_read_section(sec, head=not started, liang=liang, unit=unit) + unit)
        started = True
    return "".join(out)


def read_decimal(integer: str, fraction: str | None, *, liang: bool = True) -> str:
    """``integer.fraction``: the integer as a cardinal, the fraction digit by digit.

    The integer part never says a bare 两 (2.5 → 二点五), but keeps 两 on a
    leading 百/千 (2000.5 → 两千点五).  Trailing zeros are read as written
    (13.50 → 十三点五零): the listener hears exactly what the page says.
    """
    head = read_integer(integer, liang=liang)
    if fraction is None:
        return head
    return head + "点" + read_digits(fraction)


def group_digits(digits: str, size: int = 4) -> list[str]:
    """Cut a long digit string into groups a listener can follow (from the left)."""
    return [digits[i : i + size] for i in range(0, len(digits), size)]
