"""The spoken form: how a piece of Chinese text is read aloud in Mandarin.

``to_spoken(text)`` returns a :class:`Spoken`: the text to say, cut into
:class:`Piece` objects that each remember the source span they came from, so
the speech layer can highlight (and resume at) the exact place in the article
while the voice reads "二零二二年" for "2022 年".  Chinese characters pass
through unchanged; the pinyin layer turns them into tone-numbered syllables
later.  Only numbers, symbols, Latin text and punctuation are rewritten.

Piece kinds
-----------
``zh``     Chinese to say: the source's own characters, or the reading of a
           number or symbol.  Phone numbers and long codes keep an ASCII
           space between digit groups ("幺三八 零零幺三 八零零零") so the
           voice pauses where a person would.
``latin``  English words for an English voice ("APP", "iPhone", "hello world";
           consecutive words are one piece, joined by single spaces).
``spell``  Letters said one by one: acronyms ("OCR", "AI", "DNA"), single
           letters, and consonant-only tokens in addresses ("www", "cn").
``pause``  Punctuation, kept as written ("，", "。", "”。", "……"), so the
           speech layer can tell a sentence end from a comma by the text.
           A pause whose text is a single space only separates two Latin or
           spelled pieces ("The OCR tool"); it is a word boundary, not a
           silence, and its source span may be empty.

Whitespace is never spoken: it belongs to no piece ("现有 2007 位" →
现有 / 两千零七 / 位).  Every other source character lies in exactly one piece.

Rules (general, context by the words around a number; nothing is specific to
any article)
------------------------------------------------------------------------------
Quantities
    A plain integer is a cardinal: 2007 位 → 两千零七位, 40 多个 → 四十多个,
    10 → 十, 100000 → 十万, 1,335 万 → 一千三百三十五万 (thousands separators
    dropped).  两 versus 二 is decided in :mod:`reader.text.spoken_numbers`;
    a bare 2 becomes 两 only before a measure word (2 个 → 两个, 2 万 → 两万,
    2 小时 → 两小时) but stays 二 before the traditional weights 斤/两/钱.
Ordinals and calendar words
    After 第/初/周/星期/礼拜, and before 月 (1–12), 日 (1–31) or 号, the
    number is read with 二 and no 两: 第 2 → 第二, 2 月 → 二月, 2 号线 → 二号线.
Years
    Four digits before 年 are a year, read digit by digit: 2016 年 →
    二零一六年, 1980 年代 → 一九八零年代; fewer digits before 年 are a
    duration (3 年 → 三年, 100 年 → 一百年) unless 公元 precedes.  A
    four-digit number before 年 is a length of time instead when the words
    say so: 年来/年间/年之久/年多/年余/年的历史… after it (1000 年来 →
    一千年来), or 历经/长达/有/约… before it (历经 1000 年).  Before
    年前/年后 a number from 1900 to 2100 is a year ("2030 年前实现" =
    before 2030) and any other a length (1000 年前 → 一千年前, 5000 年前).
    Otherwise 1000–2100 is a year (公元 1000 年, 2022 年底), and a larger
    number only with a calendar word after 年 (3000 年 1 月, 3000 年代):
    "3000 年" alone is read 三千年, the likelier meaning.  A bare
    19xx/20xx is also a year when it stands before a word that is not a
    measure word ("2022 上海落叶艺术公益展", "2022 全球减贫伙伴研讨会" →
    二零二二, "2022 是不平凡的一年"), before a closing bracket or quote
    ("《行动 2022》"), or after 截至/截止/自/从/于 at the end of a clause
    ("截至 2022，").  Before a measure word (2007 位, 2000 多人, 1998 元) or a
    word that follows amounts (到/至/增/减/升/降/左右/以上/以下…: "从 2000
    增加到 3000 人", "2000 左右") it is a quantity; so is a 19xx/20xx at the
    end of a clause with no such word before it ("总数达 2022。").  A season
    or school year before 赛季/学年/财年/年度 is a year range: 2023/24 赛季 →
    二零二三至二四赛季.  A two-digit number before 后 is a generation: 80 后 →
    八零后, 95后 → 九五后.
Codes read digit by digit
    Phone numbers (mobile 1[3-9]x xxxx xxxx, 0-prefixed landlines with area
    code, 400/800 numbers, +86) say 1 as 幺 and keep their grouping.  A number
    after 电话/手机/热线/拨打/客服/… is a phone number too (拨打 110 →
    幺幺零), and so is a number of three to five digits before 报警/急救/
    火警/热线/电话/… (110 报警 → 幺幺零报警, 12345 热线).  After
    邮编/编号/号码/代码/账号/卡号/尾号/航班/房间/验证码/… a
    number is a code, digit by digit with 一.  The keyword must be right
    before the number, joined at most by 号/码, a colon, 是/为 or a space
    ("房间号 302" → 三零二, but "房间里有 20 个人" → 二十).  Numbers with a
    leading zero (007), 13 or more digits written without thousands
    separators (bank cards, in groups of four; ID numbers as 6-8-4), and
    18-character ID numbers ending in X are codes as well.  IP addresses and
    version numbers are read digit by digit with 点 (192.168.1.1 →
    一九二点一六八点一点一, v2.0.1 → V 二点零点一, the "v" spelled); after
    版本/version a decimal is a version too (版本 10.1 → 一零点一).
Decimals, fractions, signs
    1.1 亿元 → 一点一亿元; 3/4 → 四分之三 (a fraction has at most three
    digits over at most four; 2023/24 is not one); 1½ → 一又二分之一;
    -3.5 → 负三点五; +5 → 正五; ±0.5 → 正负零点五; a negative temperature
    is 零下 (-5℃ → 零下五摄氏度).
Percent and per-mille
    22.5% → 百分之二十二点五, 5‰ → 千分之五, 3‱ → 万分之三.
Dates and times
    2022-01-28, 2022/1/28, 2022.1.28 → 二零二二年一月二十八日; 2022-01 →
    二零二二年一月.  12:30 → 十二点三十分, 8:05 → 八点零五分, 2:00 → 两点,
    12:30:15 → 十二点三十分十五秒.
Score and ratio versus time
    ``a:b`` is a time when a ≤ 24 and b is two digits ≤ 59, unless a score or
    ratio word is near (比分/战胜/击败/比例/比率/比值, 以 or 比 just
    before; 战胜/击败/获胜/取胜/负/落败/… just after): then it is 比
    (3:2 → 三比二, 比分 12:10 → 十二比十).  Anything else with a colon between
    numbers is a ratio: 16:9 → 十六比九, 1:1000 → 一比一千, a map scale
    1:50000 → 一比五万.
Ranges
    A hyphen, tilde or dash between two numbers is 至: 2022-2023 年 →
    二零二二至二零二三年 (the word after the range decides for both ends),
    10~20 → 十至二十, 10-20 个 → 十至二十个, 10%-20% → 百分之十至百分之二十,
    10-20% → 百分之十至百分之二十 (the right end's % counts for both);
    also after a unit: 10 月 8 日-10 日 → 十月八日至十日, 10元~20元.
    With a score word nearby it is 比 (比分 3-2).
Money
    ¥13.5 → 十三点五元, $5 → 五美元, €, £, HK$ → 港元, US$, ₩, ₹, ₽ and the
    codes RMB/CNY/USD/EUR/HKD/JPY/GBP; a following 万/亿 goes before the
    currency (¥1.1亿 → 一点一亿元).  13.50元 → 十三点五零元 (as written).
Units and symbols
    25kg → 二十五千克, 5km → 五千米, km/h → 千米每小时, m² / m2 / ㎡ → 平方米,
    38°C / 38℃ → 三十八摄氏度, 45° → 四十五度, 5元/斤 → 五元每斤, a decade
    1990s → 一九九零年代, the ratio sign 3∶2 → 三比二; data sizes
    stay spelled (128GB → 一百二十八 GB).  +, ×, ÷, =, <, >, ≤, ≥, ≈, & are
    said (互联网+ → 互联网加); other symbols become pauses.
Latin text
    All-capital words of up to five letters are spelled (OCR, AI, DNA), except
    acronyms that Chinese and English speakers say as words (APP, NASA,
    COVID, …; see ``WORD_ACRONYMS``); other words are ``latin``.  Digits
    glued to letters are a model or code: up to two digits as a number
    (G20 → G 二十, COVID-19 → COVID 十九, PM2.5 → PM 二点五), longer or
    zero-led ones digit by digit (A380 → A 三八零, nihao00 → nihao 零零).
    We chose to say the word part of nihao00 as a word rather than spelling
    n-i-h-a-o: a listener recognises "nihao" at once, and the digits after it
    are said in Chinese, as a Chinese reader would.
URLs and e-mail addresses
    Words for an English voice, consonant clusters spelled, digits in
    Chinese, and the punctuation said: 点 for ".", 斜杠 for "/", at for "@",
    "://" → 冒号双斜杠 (www.example.com → www 点 example 点 com).
Full-width digits and letters (２０２２, ＡＩ) are read like ASCII ones;
circled and parenthesised list numbers and Roman numerals are numbers
(①首先 → 一首先, 第Ⅱ期 → 第二期); Chinese numerals (二〇二二) pass through
untouched.  A + or - right after a number and a space is an operator, not a
sign, when a space follows it too (1 + 1 = 2 → 一加一等于二); a minus glued to
its digits there (" -5") is a sign (12:30 -5 → 十二点三十分负五) unless an
"=" follows in the clause (5 -3 = 2 → 五减三等于二).  A minus between two
numbers with "=" after them is 减, not a range (1 - 1 = 0 → 一减一等于零).
No. / № before a number
    Read as the number and 号, the way Chinese readers say it: No.1 → 一号,
    NO. 12 → 十二号, №3 → 三号 (a zero-led number digit by digit: no.05 →
    零五号).  We chose 一号 over "number one" so the reading stays in the
    Chinese voice and matches 1号 written in Chinese.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from reader.text.spoken_numbers import (
    group_digits,
    read_decimal,
    read_digits,
    read_integer,
)

PieceKind = Literal["zh", "latin", "spell", "pause"]

__all__ = ["WORD_ACRONYMS", "Piece", "PieceKind", "Spoken", "spoken_text", "to_spoken"]


@dataclass(frozen=True, slots=True)
class Piece:
    """One stretch of what is said, and the source span ``[start, end)`` it came from.

    A ``spell`` piece holds the characters as written ("OCR", "www"): say each
    one by itself.  A ``latin`` piece is words for an English voice.
    """

    text: str
    start: int
    end: int
    kind: PieceKind


@dataclass(frozen=True)
class Spoken:
    """What to say for a text, with a map from spoken positions back to the source.

    ``start``/``end`` are the source span of the whole input (``base`` and
    ``base + len(text)``), so an empty result still knows where it is.
    """

    text: str
    pieces: list[Piece]
    start: int = 0
    end: int = 0
    # Caches, built on first use and swapped in whole (safe if two threads race).
    _starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _ends: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    def _spoken_starts(self) -> list[int]:
        starts = self._starts
        if starts is None or len(starts) != len(self.pieces):
            starts = []
            pos = 0
            for piece in self.pieces:
                starts.append(pos)
                pos += len(piece.text)
            object.__setattr__(self, "_starts", starts)
        return starts

    def source_offset(self, spoken_index: int) -> int:
        """The source offset of the character at ``spoken_index`` of :attr:`text`.

        Inside a piece whose text is a rewrite ("两千零七" for "2007") the
        position is spread proportionally over the piece's source span, so the
        map is monotonic and always inside the piece.  Indexes past the end give
        the end of the last piece; negative ones the start of the first.
        """
        pieces = self.pieces
        if not pieces:
            return self.start
        if spoken_index >= len(self.text):
            return pieces[-1].end
        if spoken_index < 0:
            spoken_index = 0
        starts = self._spoken_starts()
        k = bisect.bisect_right(starts, spoken_index) - 1
        piece = pieces[k]
        offset = spoken_index - starts[k]
        size = len(piece.text)
        span = piece.end - piece.start
        if size == span:
            return piece.start + offset
        return piece.start + offset * span // size

    def spoken_offset(self, source_offset: int) -> int:
        """The first spoken index at or after ``source_offset`` (the inverse map).

        Speech that starts from a caret uses it: a caret on a space or inside
        "2007" starts at the reading of the number.
        """
        starts = self._spoken_starts()
        ends = self._ends
        if ends is None or len(ends) != len(self.pieces):
            ends = [p.end for p in self.pieces]
            object.__setattr__(self, "_ends", ends)
        k = bisect.bisect_right(ends, source_offset)
        while k < len(self.pieces) and not self.pieces[k].text:
            k += 1
        if k >= len(self.pieces):
            return len(self.text)
        piece = self.pieces[k]
        if source_offset <= piece.start:
            return starts[k]
        size = len(piece.text)
        span = piece.end - piece.start
        inside = source_offset - piece.start
        return starts[k] + (inside if size == span else -(-inside * size // span))


# --------------------------------------------------------------------------- tables

#: Upper-case acronyms said as a word, not letter by letter.
WORD_ACRONYMS = frozenset(
    {
        "APP", "NASA", "NATO", "UNESCO", "UNICEF", "COVID", "OPEC", "ASEAN", "FIFA",
        "SARS", "MERS", "AIDS", "LASER", "RADAR", "SCUBA", "WIFI", "EXPO", "IKEA",
        "OK", "LOGO", "JPEG", "EMAIL", "APEC", "INTERPOL", "OPPO",
    }
)  # fmt: skip

_LATIN_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿ"

#: unit symbol -> (reading, kind); "spell" units are left for the English voice.
_UNITS: dict[str, tuple[str, PieceKind]] = {
    "km/h": ("千米每小时", "zh"), "kg": ("千克", "zh"), "mg": ("毫克", "zh"),
    "μg": ("微克", "zh"), "ug": ("微克", "zh"), "g": ("克", "zh"), "t": ("吨", "zh"),
    "km": ("千米", "zh"), "cm": ("厘米", "zh"), "mm": ("毫米", "zh"), "μm": ("微米", "zh"),
    "um": ("微米", "zh"), "nm": ("纳米", "zh"), "m": ("米", "zh"),
    "µg": ("微克", "zh"), "µm": ("微米", "zh"),
    "km²": ("平方千米", "zh"), "km2": ("平方千米", "zh"), "m²": ("平方米", "zh"),
    "m2": ("平方米", "zh"), "cm²": ("平方厘米", "zh"), "cm2": ("平方厘米", "zh"),
    "mm²": ("平方毫米", "zh"), "m³": ("立方米", "zh"), "m3": ("立方米", "zh"),
    "cm³": ("立方厘米", "zh"), "cm3": ("立方厘米", "zh"),
    "㎡": ("平方米", "zh"), "㎢": ("平方千米", "zh"), "㎥": ("立方米", "zh"),
    "㎞": ("千米", "zh"), "㎏": ("千克", "zh"), "㎎": ("毫克", "zh"), "㎝": ("厘米", "zh"),
    "㎜": ("毫米", "zh"), "㎖": ("毫升", "zh"), "㏄": ("毫升", "zh"),
    "mL": ("毫升", "zh"), "ml": ("毫升", "zh"), "L": ("升", "zh"), "l": ("升", "zh"),
    "h": ("小时", "zh"), "min": ("分钟", "zh"), "ms": ("毫秒", "zh"), "s": ("秒", "zh"),
    "Hz": ("赫兹", "zh"), "kHz": ("千赫", "zh"), "MHz": ("兆赫", "zh"), "GHz": ("吉赫", "zh"),
    "W": ("瓦", "zh"), "kW": ("千瓦", "zh"), "MW": ("兆瓦", "zh"), "GW": ("吉瓦", "zh"),
    "kWh": ("千瓦时", "zh"), "kW·h": ("千瓦时", "zh"), "V": ("伏", "zh"), "kV": ("千伏", "zh"),
    "mA": ("毫安", "zh"), "mAh": ("毫安时", "zh"), "dB": ("分贝", "zh"),
    "kcal": ("千卡", "zh"), "cal": ("卡", "zh"), "mmHg": ("毫米汞柱", "zh"),
    "px": ("像素", "zh"), "mph": ("英里每小时", "zh"), "ft": ("英尺", "zh"),
    "lb": ("磅", "zh"), "lbs": ("磅", "zh"), "oz": ("盎司", "zh"), "ha": ("公顷", "zh"),
    "KB": ("KB", "spell"), "MB": ("MB", "spell"), "GB": ("GB", "spell"),
    "TB": ("TB", "spell"), "Mbps": ("Mbps", "spell"), "Gbps": ("Gbps", "spell"),
    "kbps": ("kbps", "spell"),
}  # fmt: skip
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))

_CURRENCY_SUFFIX = {
    "USD": "美元", "RMB": "元", "CNY": "元", "EUR": "欧元", "HKD": "港元",
    "JPY": "日元", "GBP": "英镑",
}  # fmt: skip
_CURRENCY_PREFIX = {
    "$": "美元", "US$": "美元", "HK$": "港元", "NT$": "新台币", "NZ$": "新西兰元",
    "A$": "澳元", "C$": "加元", "S$": "新加坡元", "¥": "元", "￥": "元", "€": "欧元",
    "£": "英镑", "₩": "韩元", "₹": "卢比", "₽": "卢布", **_CURRENCY_SUFFIX,
}  # fmt: skip

_VULGAR = {
    "½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5),
    "⅖": (2, 5), "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8),
    "⅜": (3, 8), "⅝": (5, 8), "⅞": (7, 8), "⅐": (1, 7), "⅑": (1, 9), "⅒": (1, 10),
}  # fmt: skip
_VULGAR_CLASS = "".join(_VULGAR)

_SYMBOLS: dict[str, tuple[str, PieceKind]] = {
    "+": ("加", "zh"), "×": ("乘", "zh"), "÷": ("除以", "zh"), "=": ("等于", "zh"),
    "≈": ("约等于", "zh"), "≠": ("不等于", "zh"), "<": ("小于", "zh"), ">": ("大于", "zh"),
    "≤": ("小于等于", "zh"), "≥": ("大于等于", "zh"), "&": ("和", "zh"),
    "@": ("at", "latin"), "±": ("正负", "zh"), "℃": ("摄氏度", "zh"), "℉": ("华氏度", "zh"),
}  # fmt: skip
# Symbols that get their own alternative (so a punctuation run never swallows them).
_SYM_CLASS = r"+×÷=≈≠<>≤≥&@±%‰‱°℃℉/~～\-−#*^|\\_$¥￥€£₩₹₽"

# Full-width ASCII look-alikes read as ASCII; one character for one, so offsets hold.
_FULLWIDTH = {0xFF10 + i: 0x30 + i for i in range(10)}
_FULLWIDTH.update({0xFF21 + i: 0x41 + i for i in range(26)})
_FULLWIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_FULLWIDTH.update(
    {ord(a): ord(b) for a, b in zip("％．：∶／－＋＄＠＆＝＜＞", "%.::/-+$@&=<>", strict=True)}
)

# --------------------------------------------------------------------------- regexes

_URL_BODY = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9/_=#&~\-]"
_TLD = r"(?:com|net|org|cn|edu|gov|io|info|biz|hk|tw|uk|jp|de|fr|ru|me|tv|cc|co|app|ai)"
_MD = r"(?:0?[1-9]|1[0-2])"
_DD = r"(?:0?[1-9]|[12][0-9]|3[01])"
_END = r"(?![0-9]|\.[0-9])"

_MASTER = re.compile(
    rf"""
    (?P<ws>\s+)
   |(?P<email>[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{{2,}}(?![A-Za-z0-9]))
   |(?P<url>(?:https?|ftp)://{_URL_BODY}
        |www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/(?:{_URL_BODY})?)?
        |(?<![A-Za-z0-9.])[A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.{_TLD}(?![A-Za-z0-9\-])(?:/(?:{_URL_BODY})?)?)
   |(?P<money>(?:(?:HK|US|NT|NZ|A|C|S)?\$|[¥￥€£₩₹₽]|(?:RMB|CNY|USD|EUR|HKD|JPY|GBP))(?=[ ]?[-−+]?[0-9]))
   |(?P<phone>(?<![0-9])(?:
        (?:\+86[ \-]?)?1[3-9][0-9](?:[ \-]?[0-9]{{4}}){{2}}
       |\+86[ \-]?[1-9][0-9]{{1,2}}[ \-]?[0-9]{{7,8}}
       |(?:\(0[0-9]{{2,3}}\)|（0[0-9]{{2,3}}）|0[0-9]{{2,3}})[ \-]?[0-9]{{7,8}}(?:-[0-9]{{1,5}})?
       |[48]00[ \-]?[0-9]{{3}}[ \-]?[0-9]{{4}}
       )(?![0-9]))
   |(?P<idcard>(?<![0-9])[0-9]{{17}}[Xx](?![A-Za-z0-9]))
   |(?P<season>(?<![0-9.])(?:19|20)[0-9]{{2}}[/\-](?:(?:19|20)[0-9]{{2}}|[0-9]{{2}})(?=[ ]?(?:赛季|学年|财年|年度)))
   |(?P<date>(?<![0-9.])[0-9]{{4}}(?:-{_MD}-{_DD}|/{_MD}/{_DD}|\.{_MD}\.{_DD}){_END}
        |(?<![0-9.])[0-9]{{4}}[-/](?:0[1-9]|1[0-2])(?![0-9]|[-/][0-9]))
   |(?P<ip>(?<![0-9.])(?:[0-9]{{1,3}}\.){{3}}[0-9]{{1,3}}{_END})
   |(?P<version>(?<![A-Za-z0-9])[vV][0-9]+(?:\.[0-9]+)*{_END}
        |(?<![0-9.])[0-9]+(?:\.[0-9]+){{2,}}{_END})
   |(?P<clock>(?<![0-9.:])[0-9]{{1,3}}(?:\.[0-9]+)?:[0-9]{{1,9}}(?:\.[0-9]+)?(?::[0-9]{{1,2}})?(?![0-9]|:[0-9]))
   |(?P<num>(?:(?<![0-9A-Za-z.%])(?<![0-9][\u4e00-\u9fff℃°‰ ])[-−+±](?=[0-9]))?[0-9])
   |(?P<vulgar>[{_VULGAR_CLASS}])
   |(?P<enclosed>[\u2160-\u217f\u2460-\u249b\u24f5-\u24fe\u2776-\u2793])
   |(?P<numero>(?:(?<![A-Za-z])(?:No|NO|no)\.|№)[ ]?(?=[0-9]))
   |(?P<latin>[{_LATIN_LETTERS}])
   |(?P<sym>[{_SYM_CLASS}])
   |(?P<punct>[^\w\s{_SYM_CLASS}{_VULGAR_CLASS}]+)
    """,
    re.VERBOSE,
)

# Where the master pattern may match: anything but the common Han blocks.  The
# commonest cases (Chinese punctuation, whitespace) are settled here, without
# trying every alternative of the master pattern: none of these characters can
# start a number, an address or a word.
_CANDIDATE = re.compile(
    r"(?P<p>[，。、；：:！？“”‘’《》…—·,;.!?)）\"]+)|(?P<w>\s+)|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)
# Only texts with one of these need the full-width translation (a 1M-character pass).
_NEEDS_FULLWIDTH = re.compile(r"[０-９Ａ-Ｚａ-ｚ％．／－＋＄＠＆＝＜＞∶]|[0-9]：[0-9]")

_EXPR = re.compile(
    rf"""
    (?P<sign>[-−+±])?
    (?P<int>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])|[0-9]+)
    (?:\.(?P<dec>[0-9]+))?
    (?:(?<![0-9]{{4}})/(?P<den>[0-9]{{1,4}})(?![0-9]|[./][0-9]) | (?P<vf>[{_VULGAR_CLASS}]))?
    (?: [ ]?(?P<pct>[%‰‱])
      | [ ]?(?P<deg>°C|°F|℃|℉|°)
      | [ ]?(?P<unit>{_UNIT_ALT})(?:/(?P<per>{_UNIT_ALT}))?(?![A-Za-z0-9])
      | [ ]?(?P<cur>USD|RMB|CNY|EUR|HKD|JPY|GBP)(?![A-Za-z])
    )?
    """,
    re.VERBOSE,
)
# A space before the separator only counts when one follows it too ("45° -5℃" is no range).
_RANGE_SEP = re.compile(
    r"(?:[ ](?=[-~～—–−]{1,2}[ ])|(?=[-~～—–−]))(?P<sep>[-~～—–−]{1,2})[ ]?(?=[-−+]?[0-9])"
)
_MONEY_SYM = re.compile(r"(?:(?:HK|US|NT|NZ|A|C|S)?\$|[¥￥€£₩₹₽]|RMB|CNY|USD|EUR|HKD|JPY|GBP)[ ]?")
_MULTIPLIER = re.compile(r"[ ]?(万亿|千万|百万|亿|万|千|百)")
_CLOCK = re.compile(
    r"(?P<h>[0-9]+)(?:\.(?P<hd>[0-9]+))?:(?P<m>[0-9]+)(?:\.(?P<md>[0-9]+))?(?::(?P<s>[0-9]+))?"
)
_LATIN_RUN = re.compile(
    rf"[{_LATIN_LETTERS}]+(?:['’\-][{_LATIN_LETTERS}]+)*"
    rf"(?:[ \t]+[{_LATIN_LETTERS}]+(?:['’\-][{_LATIN_LETTERS}]+)*)*"
)
_LATIN_WORD = re.compile(rf"[{_LATIN_LETTERS}]+(?:['’\-][{_LATIN_LETTERS}]+)*")
_ATTACHED = re.compile(r"-?(?P<int>[0-9]+)(?:\.(?P<dec>[0-9]+))?(?![0-9])")
_VOWEL = re.compile(r"[aeiouyAEIOUYà-ÿÀ-ß]")
_ADDRESS_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+|://|.", re.S)

# Context: the text just before a number (search at the end of a short window)...
# Only a few linking characters may stand between the keyword and the number
# ("电话：", "手机号 ", "编号为"), so "房间里有 20 个人" is not a room number.
_LINK = r"[号码]?[ ：:是为（(]{0,3}$"
_PHONE_BEFORE = re.compile(
    r"(?:电话|手机|热线|传真|拨打|致电|呼叫|联系方式|客服|(?<![A-Za-z])(?:[Tt]el|TEL|[Pp]hone))"
    + _LINK
)
# A short service number names what it calls: 110 报警, 120 急救, 12345 热线.
_PHONE_AFTER = re.compile(
    r"[ ]?(?:报警|报案|急救|火警|求救|求助|电话|热线|专线|接警|出警|指挥中心|急救中心|服务台|客服)"
)
_CODE_BEFORE = re.compile(
    r"(?:邮编|邮政编码|编号|编码|代码|代号|账号|帐号|账户|卡号|工号|学号|证号|号码|车牌|车次|航班|"
    r"房间|房号|门牌|验证码|密码|尾号|单号|订单号|序列号|型号|批号|货号|(?<![A-Za-z])(?:ID|QQ))"
    + _LINK
)
_VERSION_BEFORE = re.compile(r"(?:版本|(?<![A-Za-z])(?:[Vv]ersion|[Vv]er\.?))" + _LINK)
_ORDINAL_BEFORE = re.compile(r"(?:第|初|周|星期|礼拜)[ ]?$")
_YEAR_BEFORE = re.compile(r"(?:公元前?|截至|截止|自|从|于|始于|成立于)[ ]?$")
_ERA_BEFORE = re.compile(r"公元前?[ ]?$")
_SCORE_BEFORE = re.compile(
    r"(?:比分|战胜|击败|比例|比率|比值)[^0-9。！？，,\n]{0,4}$|(?:^|[^可所难得予加])以[ ]?$|比[ ]?$"
)
# ... and just after it (already stripped of spaces).
_SCORE_AFTER = re.compile(
    r"(?:战胜|击败|取胜|获胜|胜出|胜|负于|告负|落败|逆转|赢|输|的比分|的比例)"
)
# Measure words and units: after them a bare 2 is 两 (2 个 → 两个).
_MEASURE = (
    r"个|位|名|人|款|条|件|次|家|所|座|台|辆|架|艘|只|头|匹|张|本|册|部|篇|首|份|间|套|层|户|"
    r"元|块|角|毛|分|万|亿|千|百|岁|周岁|年|天|周|倍|成|项|种|类|批|支|枝|根|颗|粒|片|盒|瓶|杯|碗|"
    r"桶|袋|包|箱|米|克|吨|亩|公里|公斤|公顷|千米|千克|平方|立方|小时|分钟|秒|点|圈|趟|遍|场|轮|例|"
    r"起|宗|笔|双|对|组|队|群|句|段|页|章|节|集|季|美元|欧元|英镑|港元|日元|韩元|英里|海里|辈|代|"
    r"星期|扇|道|声|口|棵|朵"
)
_LIANG_AFTER = re.compile(rf"(?:{_MEASURE}|届)")
# After these a 19xx/20xx is an amount, not a year (2007 位, 2000 多人, 2000 美元);
# 届 and 级 are missing on purpose: 2022 届毕业生 is a year.
_QUANTITY_AFTER = re.compile(
    rf"(?:{_MEASURE}|多|余|来|斤|两|钱|度|摄氏度|华氏度|英尺|英寸|毫|厘|微|纳|瓦|千瓦|伏|赫兹|字)"
)
_CLOSERS = "》」』”’）)]〉】"
# Words that follow a quantity, not a year ("从 2000 增加到 3000", "2000 左右").
_QUANTITY_VERB = re.compile(r"(?:到|至|增|减|升|降|涨|跌|变|翻|左右|上下|以上|以下|以内|之)")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# --------------------------------------------------------------------------- numbers


def _after(t: str, end: int) -> str:
    """A few characters after ``end``, spaces skipped: the word a number modifies."""
    return t[end : end + 8].lstrip(" \t")


def _before(t: str, start: int) -> str:
    return t[max(0, start - 12) : start]


def _sign_word(sign: str | None, temperature: bool) -> str:
    if not sign:
        return ""
    if sign in "-−":
        return "零下" if temperature else "负"
    return "正负" if sign == "±" else "正"


def _code(digits: str, *, yao: bool = False) -> str:
    """Digit by digit; long codes in groups a listener can follow (an ID card as 6-8-4)."""
    if len(digits) < 13:
        return read_digits(digits, yao=yao)
    groups = [digits[:6], digits[6:14], digits[14:]] if len(digits) == 18 else group_digits(digits)
    return " ".join(read_digits(g, yao=yao) for g in groups)


#: After "N年": the N years are a length of time, not a calendar year.
_DURATION_AFTER_YEAR = re.compile(
    r"(?:来|间|之久|多|余|有余|历史|的历史|左右|上下|以上|以内|之内|光景|时间|的时间)"
)
#: After "N年": before or after it; a year or a length depending on N.
_RELATIVE_AFTER_YEAR = re.compile(r"(?:前|后|以前|以后|之前|之后)")
#: After "N年": what only a calendar year has (3000年1月, 3000年代, 3000年初…).
_CALENDAR_AFTER_YEAR = re.compile(
    r"(?:[0-9一二三四五六七八九十]+月|度|代|初|底|末|春|夏|秋|冬|中|上半年|下半年|元旦|起|以来)"
)
#: Before "N年": words that measure a length of time (历经 1000 年, 长达 1000 年).
_DURATION_BEFORE = re.compile(
    r"(?:历经|经过|经历|长达|持续|用了|花了|需要|需|近|约|大约|超过|将近|已有|有|达|整整|跨越)[ ]?$"
)


def _year_digits(digits: str, before: str, after: str) -> bool:
    """Is a four-digit number before 年 a calendar year (said digit by digit)?

    ``after`` starts with 年.  A length of time (年来, 年间, 年之久, 年多, …,
    or a measuring word before: 历经, 长达, 有…) is a cardinal.  Before
    年前/年后 a number from 1900 to 2100 is a year ("2030 年前实现" = before
    2030), any other a length ("1000 年前" = a thousand years ago).  Otherwise
    a number from 1000 to 2100 is a year, and a larger one only with a
    calendar word after 年 (3000 年 1 月, 3000 年代): "3000 年" alone is read
    三千年, the likelier meaning.
    """
    value = int(digits)
    rest = after[1:].lstrip(" ")
    calendar = bool(_CALENDAR_AFTER_YEAR.match(rest))
    if _DURATION_AFTER_YEAR.match(rest) and not rest.startswith("以来"):
        return False
    if _RELATIVE_AFTER_YEAR.match(rest):
        return 1900 <= value <= 2100
    if _DURATION_BEFORE.search(before) and not calendar:
        return False
    return value <= 2100 or calendar


def _plain_integer(digits: str, raw: str, before: str, after: str) -> str:
    """Read a bare integer by its context (see the module docstring)."""
    n = len(digits)
    if n > 1 and raw[0] == "0":
        return read_digits(digits)
    if _PHONE_BEFORE.search(before) or (3 <= n <= 5 and _PHONE_AFTER.match(after)):
        return _code(digits, yao=True)
    if _CODE_BEFORE.search(before) or (n >= 13 and "," not in raw):
        return _code(digits)
    head = after[:1]
    if head == "年":
        if _ERA_BEFORE.search(before) and n >= 2:
            return read_digits(digits)
        if n == 4 and _year_digits(digits, before, after):
            return read_digits(digits)
        return "两" if digits == "2" else read_integer(digits)
    if n == 2 and head == "后":  # a generation: 80后 八零后, 95后 九五后
        return read_digits(digits)
    value = int(digits)
    if (head == "月" and 1 <= value <= 12 and not after.startswith("月份以")) or head == "号":
        return read_integer(digits, liang=False)
    if head == "日" and 1 <= value <= 31:
        return read_integer(digits, liang=False)
    if _ORDINAL_BEFORE.search(before):
        return read_integer(digits, liang=False)
    if n == 4 and 1900 <= value <= 2099 and "," not in raw:
        if not head:
            if _YEAR_BEFORE.search(before):
                return read_digits(digits)
        elif head in _CLOSERS:
            return read_digits(digits)
        elif _is_cjk(head) and not _QUANTITY_AFTER.match(after) and not _QUANTITY_VERB.match(after):
            return read_digits(digits)
        elif not _is_cjk(head) and not head.isalnum() and _YEAR_BEFORE.search(before):
            return read_digits(digits)
    if digits == "2":
        if _LIANG_AFTER.match(after) and not after.startswith(("斤", "两", "钱")):
            return "两"
        return "二"
    return read_integer(digits)


def _expr_pieces(
    t: str,
    m: re.Match[str],
    base: int,
    out: list[Piece],
    *,
    before: str,
    after: str,
    percent: bool = False,
    temperature: bool = False,
) -> None:
    """Append the pieces for one number expression matched by ``_EXPR``."""
    raw = m.group("int")
    digits = raw.replace(",", "")
    dec = m.group("dec")
    den = m.group("den")
    vf = m.group("vf")
    pct = m.group("pct")
    deg = m.group("deg")
    unit = m.group("unit")
    cur = m.group("cur")
    start = m.start()
    is_temp = temperature or (deg is not None and deg != "°")
    sign = _sign_word(m.group("sign"), is_temp)

    if den is not None:
        over = read_integer(den, liang=False)
        if den in ("100", "1000", "10000"):
            over = over[1:]  # 1/100 → 百分之一, not 一百分之一
        number = over + "分之" + read_decimal(digits, dec, liang=False)
    elif dec is not None and _VERSION_BEFORE.search(before):
        number = read_digits(digits) + "点" + read_digits(dec)
    elif dec is not None:
        number = read_decimal(digits, dec)
        if vf:
            number += "又" + _vulgar(vf)
    elif vf is not None:
        number = read_integer(digits, liang=False) + "又" + _vulgar(vf)
    elif pct or deg:
        number = read_integer(digits, liang=not deg) if digits != "2" else "二"
    elif unit == "s" and len(digits) == 4 and digits.endswith("0") and 1000 <= int(digits) <= 2099:
        number, unit = read_digits(digits) + "年代", None  # 1990s → 一九九零年代
    elif unit or cur:
        number = (
            "两" if digits == "2" and (cur or _UNITS[unit][1] == "zh") else read_integer(digits)
        )
    else:
        number = _plain_integer(digits, raw, before, after)

    if pct:
        prefix = {"%": "百分之", "‰": "千分之", "‱": "万分之"}[pct]
        out.append(Piece(sign + prefix + number, base + start, base + m.end(), "zh"))
        return
    if percent:  # the left end of "10-20%": 百分之十至百分之二十
        number = "百分之" + number
    suffix = deg or unit or cur
    if not suffix:
        out.append(Piece(sign + number, base + start, base + m.end(), "zh"))
        return
    key = "deg" if deg else "unit" if unit else "cur"
    s_start, s_end = m.span(key)
    number_end = (
        m.end("vf") if vf else m.end("den") if den else m.end("dec") if dec else m.end("int")
    )
    out.append(Piece(sign + number, base + start, base + number_end, "zh"))
    if deg:
        word = {"°C": "摄氏度", "℃": "摄氏度", "°F": "华氏度", "℉": "华氏度"}.get(deg, "度")
        out.append(Piece(word, base + s_start, base + s_end, "zh"))
    elif unit:
        reading, kind = _UNITS[unit]
        per = m.group("per")
        if per:
            per_reading, per_kind = _UNITS[per]
            if kind == per_kind == "zh":
                out.append(
                    Piece(reading + "每" + per_reading, base + s_start, base + m.end(), "zh")
                )
            else:
                u_end = m.end("unit")
                out.append(Piece(reading, base + s_start, base + u_end, kind))
                out.append(Piece("每", base + u_end, base + u_end + 1, "zh"))
                out.append(Piece(per_reading, base + u_end + 1, base + m.end(), per_kind))
        else:
            out.append(Piece(reading, base + s_start, base + s_end, kind))
    else:
        out.append(Piece(_CURRENCY_SUFFIX[cur], base + s_start, base + s_end, "zh"))


def _vulgar(ch: str) -> str:
    num, den = _VULGAR[ch]
    return read_integer(str(den), liang=False) + "分之" + read_integer(str(num), liang=False)


def _range_right(t: str, end: int) -> tuple[re.Match[str], re.Match[str]] | None:
    """If a range separator and a plain number follow ``end``: (separator, number)."""
    r = _RANGE_SEP.match(t, end)
    if r is None or (r.group("sep") in "-−" and _EQUATION_AHEAD.match(t, r.end())):
        return None  # "1 - 1 = 0" is a subtraction, not a range
    m2 = _EXPR.match(t, r.end())
    if m2 is None:
        return None
    nxt = _MASTER.match(t, r.end())
    if nxt is None or nxt.lastgroup != "num":
        return None
    return r, m2


def _h_num(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    m = _EXPR.match(t, i)
    if m is None:  # a lone sign the lookahead let through; cannot happen, but be safe
        out.append(Piece(src[i], base + i, base + i + 1, "pause"))
        return i + 1
    before = _before(t, i)
    right = _range_right(t, m.end())
    if right is None:
        _expr_pieces(t, m, base, out, before=before, after=_after(t, m.end()))
        return m.end()
    r, m2 = right
    after = _after(t, m2.end())
    plain_left = not any(m.group(g) for g in ("pct", "deg", "unit", "cur", "den", "dec"))
    percent = plain_left and m2.group("pct") == "%"
    temperature = plain_left and m2.group("deg") in ("°C", "℃", "°F", "℉")
    _expr_pieces(
        t, m, base, out, before=before, after=after, percent=percent, temperature=temperature
    )
    score = (
        plain_left
        and not m2.group("dec")
        and (_SCORE_BEFORE.search(before) or _SCORE_AFTER.match(after))
    )
    out.append(Piece("比" if score else "至", base + r.start("sep"), base + r.end("sep"), "zh"))
    return r.end()  # the right end is read on its own, with its own context


def _h_vulgar(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    out.append(Piece(_vulgar(t[i]), base + i, base + i + 1, "zh"))
    return i + 1


def _enclosed_value(ch: str) -> int | None:
    """①→1, ⑴→1, ⒈→1, Ⅱ→2, ⅻ→12, ❶→1; None for the rest of those blocks."""
    code = ord(ch)
    for first, last in ((0x2460, 0x2473), (0x2474, 0x2487), (0x2488, 0x249B)):
        if first <= code <= last:
            return code - first + 1
    for first, last in ((0x2160, 0x216B), (0x2170, 0x217B)):  # Roman numerals 1-12
        if first <= code <= last:
            return code - first + 1
    for first in (0x24F5, 0x2776, 0x2780, 0x278A):  # double-circled and dingbat 1-10
        if first <= code <= first + 9:
            return code - first + 1
    return None


def _h_enclosed(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    """List markers and Roman numerals: ① → 一, 第Ⅱ期 → 第二期."""
    value = _enclosed_value(t[i])
    if value is None:
        out.append(Piece(src[i], base + i, base + i + 1, "zh"))
    else:
        out.append(Piece(read_integer(str(value), liang=False), base + i, base + i + 1, "zh"))
    return i + 1


def _h_money(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    sym = _MONEY_SYM.match(t, i)
    assert sym is not None
    currency = _CURRENCY_PREFIX[sym.group().strip()]
    m = _EXPR.match(t, sym.end())
    if m is None:
        out.append(Piece(src[i : sym.end()], base + i, base + sym.end(), "pause"))
        return sym.end()
    end = m.end("vf") if m.group("vf") else m.end("dec") if m.group("dec") else m.end("int")

    def amount(mm: re.Match[str]) -> str:
        digits = mm.group("int").replace(",", "")
        if mm.group("dec"):
            text = read_decimal(digits, mm.group("dec"))
        else:
            text = "两" if digits == "2" else read_integer(digits)
        return _sign_word(mm.group("sign"), False) + text

    text = amount(m)
    r = _RANGE_SEP.match(t, end)
    if r:
        sym2 = _MONEY_SYM.match(t, r.end())
        m2 = _EXPR.match(t, sym2.end() if sym2 else r.end())
        if m2 is not None:
            text += "至" + amount(m2)
            end = m2.end("dec") if m2.group("dec") else m2.end("int")
    mult = _MULTIPLIER.match(t, end)
    if mult:
        text += mult.group(1)
        end = mult.end()
    out.append(Piece(text + currency, base + i, base + end, "zh"))
    return end


def _h_clock(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    m = _CLOCK.match(t, i)
    assert m is not None
    h, mi, s = m.group("h"), m.group("m"), m.group("s")
    before = _before(t, i)
    after = _after(t, m.end())
    is_time = (
        not m.group("hd")
        and not m.group("md")
        and len(h) <= 2
        and int(h) <= 24
        and len(mi) == 2
        and int(mi) <= 59
        and (s is None or (len(s) == 2 and int(s) <= 59))
        and not _SCORE_BEFORE.search(before)
        and not _SCORE_AFTER.match(after)
    )
    if is_time:
        text = ("两" if int(h) == 2 else read_integer(h, liang=False)) + "点"
        if mi != "00" or (s and s != "00"):
            text += (
                ("零" if mi[0] == "0" and mi != "00" else "") + read_integer(mi, liang=False) + "分"
            )
        if s and s != "00":
            text += ("零" if s[0] == "0" else "") + read_integer(s, liang=False) + "秒"
        end = m.end()
    else:
        end = m.end("md") if m.group("md") else m.end("m")
        text = (
            read_decimal(h, m.group("hd"), liang=False)
            + "比"
            + read_decimal(mi, m.group("md"), liang=False)
        )
    out.append(Piece(text, base + i, base + end, "zh"))
    return _range_to(t, end, base, out)


def _range_to(t: str, end: int, base: int, out: list[Piece]) -> int:
    """After a date or time: a following "-"/"~" before another number is 至."""
    r = _RANGE_SEP.match(t, end)
    if r is None:
        return end
    out.append(Piece("至", base + r.start("sep"), base + r.end("sep"), "zh"))
    return r.end()


_DATE_PARTS = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})(?:([-/.])([0-9]{1,2}))?")


def _h_date(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    m = _DATE_PARTS.match(t, i)
    assert m is not None
    out.append(Piece(read_digits(m.group(1)) + "年", base + i, base + m.end(2), "zh"))
    month_end = m.end(4) if m.group(4) else m.end(3)
    out.append(
        Piece(
            read_integer(m.group(3), liang=False) + "月", base + m.start(3), base + month_end, "zh"
        )
    )
    if m.group(5):
        day = read_integer(m.group(5), liang=False)
        out.append(Piece(day + "日", base + m.start(5), base + m.end(5), "zh"))
    return _range_to(t, m.end(), base, out)


def _h_season(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    """2023/24 赛季 → 二零二三至二四赛季 (a season or school year, not a fraction)."""
    first, sep, second = t[i : i + 4], i + 4, t[i + 5 : i + 9].rstrip("/-")
    second = second if len(second) == 4 and second.isdigit() else t[i + 5 : i + 7]
    out.append(Piece(read_digits(first), base + i, base + sep, "zh"))
    out.append(Piece("至", base + sep, base + sep + 1, "zh"))
    end = sep + 1 + len(second)
    out.append(Piece(read_digits(second), base + sep + 1, base + end, "zh"))
    return end


def _h_phone(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    end = _MASTER.match(t, i).end()  # type: ignore[union-attr]
    raw = t[i:end]
    groups: list[str] = []
    for chunk in re.split(r"[ \-()（）]+", raw):
        if not chunk:
            continue
        if chunk.startswith("+"):
            groups.append("加" + read_digits(chunk[1:], yao=True))
        elif len(chunk) == 11 and chunk[0] == "1":
            groups.extend(read_digits(g, yao=True) for g in (chunk[:3], chunk[3:7], chunk[7:]))
        elif len(chunk) >= 10 and chunk[0] == "0":  # area code glued to the number
            cut = 3 if chunk[1] in "12" else 4
            groups.extend(read_digits(g, yao=True) for g in (chunk[:cut], chunk[cut:]))
        else:
            groups.append(read_digits(chunk, yao=True))
    out.append(Piece(" ".join(groups), base + i, base + end, "zh"))
    return end


def _h_idcard(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    digits = t[i : i + 17]
    text = " ".join(read_digits(g) for g in (digits[:6], digits[6:14], digits[14:]))
    out.append(Piece(text, base + i, base + i + 17, "zh"))
    out.append(Piece("X", base + i + 17, base + i + 18, "spell"))
    return i + 18


def _h_ip(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    end = _MASTER.match(t, i).end()  # type: ignore[union-attr]
    out.append(
        Piece("点".join(read_digits(p) for p in t[i:end].split(".")), base + i, base + end, "zh")
    )
    return end


def _h_version(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    end = _MASTER.match(t, i).end()  # type: ignore[union-attr]
    start = i
    if t[i] in "vV":
        out.append(Piece("V", base + i, base + i + 1, "spell"))
        start = i + 1
    text = "点".join(read_digits(p) for p in t[start:end].split("."))
    out.append(Piece(text, base + start, base + end, "zh"))
    return end


# --------------------------------------------------------------------------- latin


def _add_word(out: list[Piece], piece: Piece) -> None:
    """Append a latin/spell piece; two such pieces in a row get a " " pause between them.

    Without it "The OCR tool" would come out as "TheOCRtool" in ``Spoken.text``;
    the space's source span is whatever lies between the two (often nothing).
    """
    if out and out[-1].kind in ("latin", "spell") and out[-1].end <= piece.start:
        out.append(Piece(" ", out[-1].end, piece.start, "pause"))
    out.append(piece)


def _latin_kind(word: str) -> PieceKind:
    letters = word.replace("-", "").replace("'", "").replace("’", "")
    if letters.isupper():
        if letters in WORD_ACRONYMS or len(letters) > 5:
            return "latin"
        return "spell"
    if len(letters) == 1 or not _VOWEL.search(letters):
        return "spell"
    return "latin"


def _h_latin(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    run = _LATIN_RUN.match(t, i)
    assert run is not None
    words: list[tuple[int, int]] = []
    for w in _LATIN_WORD.finditer(t, i, run.end()):
        if words:  # stop before a word that starts an address or e-mail
            nxt = _MASTER.match(t, w.start())
            if nxt is None or nxt.lastgroup != "latin":
                break
        words.append(w.span())
    end = words[-1][1]
    kinds = [_latin_kind(t[a:b]) for a, b in words]
    if len(words) > 1 and "latin" in kinds:
        # inside an English phrase, "a" and "I" are words, not letters to spell
        kinds = [
            "latin" if k == "spell" and (b - a == 1 and t[a] in "aAI") else k
            for k, (a, b) in zip(kinds, words, strict=True)
        ]
    k = 0
    while k < len(words):
        a, b = words[k]
        if kinds[k] == "latin":
            j = k
            while j + 1 < len(words) and kinds[j + 1] == "latin":
                j += 1
            b = words[j][1]
            text = " ".join(t[x:y] for x, y in words[k : j + 1])
            _add_word(out, Piece(text, base + a, base + b, "latin"))
            k = j + 1
        else:
            _add_word(out, Piece(t[a:b], base + a, base + b, "spell"))
            k += 1
    # digits glued to the last word: a model number or code
    if end < len(t) and (t[end].isdigit() or (t[end] == "-" and t[end + 1 : end + 2].isdigit())):
        d = _ATTACHED.match(t, end)
        if d is not None and d.group("int").isascii():
            digits, dec = d.group("int"), d.group("dec")
            if dec is not None:
                text = read_decimal(digits, dec, liang=False)
            elif len(digits) <= 2 and digits[0] != "0":
                text = read_integer(digits, liang=False)
            else:
                text = read_digits(digits)
            out.append(Piece(text, base + d.start(), base + d.end(), "zh"))
            end = d.end()
    return end


_ADDRESS_WORDS = {
    ".": "点", "/": "斜杠", "://": "冒号双斜杠", ":": "冒号", "-": "横杠", "_": "下划线",
    "?": "问号", "=": "等于", "&": "和", "#": "井号", "%": "百分号", "~": "波浪号",
    "+": "加", ",": "逗号", ";": "分号", "!": "叹号", "(": "左括号", ")": "右括号",
    "[": "左方括号", "]": "右方括号", "'": "单引号", "*": "星号", "$": "美元符号",
}  # fmt: skip


def _h_address(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    end = _MASTER.match(t, i).end()  # type: ignore[union-attr]
    for tok in _ADDRESS_TOKEN.finditer(t, i, end):
        s = tok.group()
        a, b = tok.span()
        if s.isalpha():
            _add_word(out, Piece(s, base + a, base + b, _latin_kind(s)))
        elif s.isdigit():
            out.append(Piece(read_digits(s), base + a, base + b, "zh"))
        elif s == "@":
            _add_word(out, Piece("at", base + a, base + b, "latin"))
        else:
            out.append(Piece(_ADDRESS_WORDS.get(s, s), base + a, base + b, "zh"))
    return end


# --------------------------------------------------------------------------- symbols


def _h_numero(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    """No.1 / NO. 5 / №3 → 一号 / 五号 / 三号 (the sign read as 号, after the number)."""
    mark_end = _MASTER.match(t, i).end()  # type: ignore[union-attr]
    d = _ATTACHED.match(t, mark_end)
    assert d is not None  # the pattern's lookahead saw a digit
    digits = d.group("int")
    number = read_digits(digits) if digits[0] == "0" and len(digits) > 1 else None
    if d.group("dec") is not None:
        number = read_decimal(digits, d.group("dec"), liang=False)
    number = number or read_integer(digits, liang=False)
    out.append(Piece(number + "号", base + i, base + d.end(), "zh"))
    return d.end()


#: An "=" later in the same clause: the text is arithmetic ("5 -3 = 2").
_EQUATION_AHEAD = re.compile(r"[^。！？，,；;：:\n]*?[=≈]")


def _h_sym(t: str, src: str, i: int, base: int, out: list[Piece]) -> int:
    ch = t[i]
    if (
        ch in "-−"
        and t[max(0, i - 2) : i].rstrip(" ")[-1:].isdigit()
        and t[i + 1 : i + 3].lstrip(" ")[:1].isdigit()
        and _EQUATION_AHEAD.match(t, i + 1)
    ):
        out.append(Piece("减", base + i, base + i + 1, "zh"))  # "1 - 1 = 0", "5-3=2"
        return i + 1
    if (
        ch in "-−"
        and i >= 2
        and t[i - 1] == " "
        and t[i - 2].isdigit()
        and i + 1 < len(t)
        and t[i + 1].isdigit()
    ):
        # " -5" right after a number and a space (the number pattern's
        # look-behind leaves it here, for "1 - 1"): glued to its digits it
        # is a sign ("12:30 -5", "¥13.5 -5 ℃"), unless the clause is an
        # equation ("5 -3 = 2", handled just above).
        m = _EXPR.match(t, i)
        if m is not None:
            _expr_pieces(t, m, base, out, before=_before(t, i), after=_after(t, m.end()))
            return m.end()
    if (
        ch in "-~～−"
        and _UNIT_RANGE_BEFORE.search(t, max(0, i - 3), i)
        and _DIGIT_NEXT.match(t, i + 1)
    ):
        # "8日-10日", "10元~20元": a range whose left end ended with its unit
        out.append(Piece("至", base + i, base + i + 1, "zh"))
        return i + 1
    if ch == "/" and i > 0 and _is_cjk(t[i - 1]) and _RATE_BEFORE.search(t, max(0, i - 6), i):
        nxt = t[i + 1 : i + 2]
        if _is_cjk(nxt):
            out.append(Piece("每", base + i, base + i + 1, "zh"))
            return i + 1
        u = _UNIT_AFTER_SLASH.match(t, i + 1)
        if u:
            reading, kind = _UNITS[u.group()]
            out.append(Piece("每", base + i, base + i + 1, "zh"))
            out.append(Piece(reading, base + i + 1, base + u.end(), kind))
            return u.end()
    if ch in _SYMBOLS:
        text, kind = _SYMBOLS[ch]
        out.append(Piece(text, base + i, base + i + 1, kind))
    elif ch == "°":
        out.append(Piece("度", base + i, base + i + 1, "zh"))
    else:
        out.append(Piece(src[i], base + i, base + i + 1, "pause"))
    return i + 1


_RATE_BEFORE = re.compile(r"[0-9][^0-9]{0,3}$")
_UNIT_RANGE_BEFORE = re.compile(r"[0-9][\u4e00-\u9fff℃°‰][ ]?$")
_DIGIT_NEXT = re.compile(r"[ ]?[0-9]")
_UNIT_AFTER_SLASH = re.compile(rf"(?:{_UNIT_ALT})(?![A-Za-z0-9])")

_HANDLERS = {
    "num": _h_num,
    "latin": _h_latin,
    "sym": _h_sym,
    "money": _h_money,
    "clock": _h_clock,
    "date": _h_date,
    "season": _h_season,
    "phone": _h_phone,
    "idcard": _h_idcard,
    "ip": _h_ip,
    "version": _h_version,
    "url": _h_address,
    "email": _h_address,
    "vulgar": _h_vulgar,
    "enclosed": _h_enclosed,
    "numero": _h_numero,
}


# --------------------------------------------------------------------------- API


def to_spoken(text: str, base: int = 0) -> Spoken:
    """The spoken form of ``text``; piece offsets are ``base`` + offsets in ``text``."""
    t = text.translate(_FULLWIDTH) if _NEEDS_FULLWIDTH.search(text) else text
    out: list[Piece] = []
    n = len(t)
    pos = gap = 0
    candidate = _CANDIDATE.search
    match = _MASTER.match
    while pos < n:
        c = candidate(t, pos)
        if c is None:
            break
        i = c.start()
        fast = c.lastgroup
        if fast is not None:
            if i > gap:
                out.append(Piece(text[gap:i], base + gap, base + i, "zh"))
            end = c.end()
            if fast == "p":
                out.append(Piece(text[i:end], base + i, base + end, "pause"))
            pos = gap = end
            continue
        m = match(t, i)
        if m is None:  # kana, Greek, "_"…: said as they are, with the Chinese around them
            pos = i + 1
            continue
        if i > gap:
            out.append(Piece(text[gap:i], base + gap, base + i, "zh"))
        kind = m.lastgroup
        if kind == "ws":
            end = m.end()
        elif kind == "punct":
            end = m.end()
            out.append(Piece(text[i:end], base + i, base + end, "pause"))
        else:
            end = _HANDLERS[kind](t, text, i, base, out)  # type: ignore[index]
        pos = gap = end
    if gap < n:
        out.append(Piece(text[gap:], base + gap, base + n, "zh"))
    return Spoken("".join([p.text for p in out]), out, base, base + n)


def spoken_text(text: str) -> str:
    """Only the string to say (convenience for scripts and tests)."""
    return to_spoken(text).text
