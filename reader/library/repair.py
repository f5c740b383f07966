"""One repair pipeline for every import format.

Importers turn a file into a flat list of :class:`RawBlock` (paragraphs,
headings and captions in reading order, plus what the layout told them: how
many blank lines came before a block, whether a page break did).  Structured
formats (docx, HTML, Markdown, EPUB) mark the kinds they know for sure; plain
text and PDF give only unsure paragraphs and the repair pipeline works out the
rest.  :func:`repair` then rebuilds clean articles and reports every step it
took, so a librarian can see what was changed and why.

The rules, all general (none knows about a particular file):

* **Control characters and terminal escapes** (ANSI CSI/OSC/DCS/APC/PM/SOS
  sequences, 7- and 8-bit, other C0/C1 controls, bidirectional overrides,
  zero-width spaces and stray BOMs) are removed: they are invisible, can
  reprogram a terminal, and mean nothing when read aloud.  Tabs become spaces.
* **Rich/Textual markup** such as ``[bold]`` or ``[link=…]`` is ordinary text
  here and is kept literally; the UI must always display article text escaped.
* **Hard wraps** (plain text, :func:`unwrap_lines`): inside a run of
  non-blank lines, only lines that reach the run's wrap width (the width most
  of its lines reach, in characters, terminal columns or GBK bytes) and stop
  mid-sentence are wrapped and joined (:func:`join_pair`: no space in
  Chinese, one between Latin words; a number or Latin word cut by a
  character-count wrapper in a Chinese text is joined without a space).  A
  line that ends a sentence (。！？…, also with closing quotes: ！” 。」) ends
  its paragraph, as does a line that stops short of the wrap width (a title,
  a heading, the last line of a paragraph) and a line before an indented one
  (``　　``).  So a file with one paragraph per line, the usual layout of text
  copied from the web, keeps its paragraphs, and its short first line stays
  on its own to become the title.  A full-width line that ends at a full stop
  is joined only where blank lines or indents mark the paragraphs; see
  :func:`unwrap_lines` for that choice.  PDF, whose layout measures the
  margin, uses :func:`unwrap`: there a break is a paragraph break only if
  the line ends a sentence and either the next line is indented or the line
  is clearly shorter than the wrap width.
* **Cut paragraphs**: a paragraph that does not end a sentence (no final
  punctuation, allowing closing quotes/brackets after it) is continued by the
  next paragraph even across blank lines or page breaks, unless the layout
  shows it ends there (``RawBlock.ends``: in plain text, a line inside a run
  that stops short of the wrap width, or comes before an indented line).
* **Captions**: a short line with no sentence punctuation standing between the
  two halves of a cut paragraph is a photo caption; so is a short line that
  starts with a caption marker (图：, 图为, 图片, ▲, Figure 1. …).  A caption is
  placed after the paragraph it interrupted.
* **Headlines and article boundaries**: at the start of the text, after a
  paragraph that ends with a byline in parentheses, or after two or more blank
  lines (or a page break) following a finished paragraph, a run of one to three
  short lines without final punctuation followed by a paragraph is a headline.
  It starts a new article, except after a mere page break, where it is a
  section heading (a new article only with ``split``).
* **Which headline line is the title** depends on what the file is, decided
  once per file (per EPUB chapter with ``split``):

  - *A newspaper page*: the file was cut into two or more articles at story
    boundaries (a byline in parentheses, or blank lines after a finished
    paragraph).  Chinese newspapers print a kicker (引题) above the main title
    (主题) and sometimes a deck (副题) below it: with two lines the first is
    the kicker (stored as ``subtitle``) and the second the title; with three
    the middle one is the title and the others the subtitle.  The bundled
    seed is such a page.
  - *A document* (everything else: one article from plain text, Markdown,
    Word, PDF…, or articles that only ``split``, chapter headings or declared
    headings separated): the first line is the title and the lines after it
    are the subtitle, as a librarian's file is written.

  Headlines a format declares (``<h1>``, a Word title style) are not affected.
* **Chapter headings** (第一章, 第二回, 序言, Chapter 3 …) on a short line of
  their own are section headings wherever they stand (new articles with
  ``split``), and never part of a headline.
* **Bylines**: a trailing ``(name)`` / ``（name）`` after a finished sentence at
  the end of an article becomes its author and leaves the text; so does a short
  line such as ``记者 张三`` or ``作者：张三`` before the first paragraph.
* **Sure blocks** (headings, list items, table cells and code that the format
  declared) are never joined or reclassified.
* **Punctuation width**: half-width ``, ; : ? !`` and parentheses in Chinese
  context become full-width (``，；：？！（）``); nothing else in the text is
  changed (spaces between Chinese and digits/Latin are kept as they are).
* **Traditional ↔ Simplified** conversion with OpenCC, only when asked.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from reader.library.article import is_cjk

RawKind = Literal["paragraph", "heading", "caption"]

#: Lines at most this many characters long may be headlines or captions.
SHORT_LINE = 40
#: A headline has at most this many lines.
MAX_HEADLINE_LINES = 3

# --------------------------------------------------------------------------- controls

_ESCAPE_RE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]                 # CSI: colours, cursor moves
    | \x9b[0-?]*[ -/]*[@-~]                   # 8-bit CSI
    | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC: titles, hyperlinks
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?     # 8-bit OSC
    | \x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?  # DCS, PM, APC, SOS
    | [\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?  # 8-bit DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]                         # other escapes (charset, keypad…)
    | \x1b                                    # a lone ESC
    """,
    re.VERBOSE,
)
#: Invisible format characters that only confuse a reader or a terminal.
_INVISIBLE = dict.fromkeys(
    [
        0x200B,
        0xFEFF,
        0x200E,
        0x200F,
        0x061C,
        0x00AD,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    None,
)


#: Anything strip_controls might change (newline and form feed aside).
_SUSPECT_RE = re.compile(
    "[\x00-\x09\x0b\x0d-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f"
    "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")  # exactly the Cc category


def strip_controls(text: str, *, keep: str = "\n\f") -> tuple[str, int]:
    """Remove terminal escape sequences and control characters.

    Returns the clean text and how many characters were removed.  Tabs become
    spaces; line and paragraph separators (U+2028/9) become newlines; the
    characters in ``keep`` (newline and form feed, which mark lines and pages)
    stay.
    """
    if not _SUSPECT_RE.search(text) and ("\f" in keep or "\f" not in text):
        return text, 0
    before = len(text)
    text = _ESCAPE_RE.sub("", text)
    text = text.replace("\t", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    text = _CONTROL_RE.sub(lambda m: m.group() if m.group() in keep else "", text)
    return text, before - len(text)


# --------------------------------------------------------------------------- joins

_ALNUM = re.compile(r"[A-Za-z0-9]")
_SPACED_RE = re.compile(r"[\u3400-\u9fff] [A-Za-z0-9]|[A-Za-z0-9] [\u3400-\u9fff]")
_TIGHT_RE = re.compile(r"[\u3400-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u3400-\u9fff]")


_HAN_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def spaced_style(text: str) -> bool:
    """True when the text puts a space between Chinese and Latin letters or digits."""
    return len(_SPACED_RE.findall(text)) > len(_TIGHT_RE.findall(text))


#: Quotation marks and brackets looked through to find what a join joins.
_JOIN_MARKS = "“”‘’\"'「」『』（）()《》〈〉【】"


def join_pair(left: str, right: str, *, spaced: bool = False) -> str:
    """Join two pieces of one paragraph that a wrap or a cut separated.

    No space between Chinese characters (also when quotation marks stand
    between them: "益起动”" + "“公益宝贝") or at an em dash (—— cut in two), one
    between Latin words (as :func:`reader.library.article.join_lines`); between
    a Chinese character and a Latin letter or digit, a space only if the
    document writes them that way (``spaced``), so "…为 12 省 100" + "个县"
    keeps the house style "100 个县".
    """
    left = left.rstrip()
    right = right.lstrip()
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    inner_a = left.rstrip(_JOIN_MARKS)[-1:] or a
    inner_b = right.lstrip(_JOIN_MARKS)[:1] or b
    if is_cjk(a) or is_cjk(b) or "—" in (a, b) or is_cjk(inner_a) or is_cjk(inner_b):
        if spaced and ((_is_han(a) and _ALNUM.match(b)) or (_ALNUM.match(a) and _is_han(b))):
            return left + " " + right
        return left + right
    return left + " " + right


# --------------------------------------------------------------------------- sentences

_CLOSERS = "”’」』）)》〉】〗]\"'"
_FINAL = set("。！？!?…；;：:.．")
#: Marks that end or join sentences: a title or caption has none of them
#: (commas and colons are allowed: "你好，叶小姐", "专访：某某").
_SENTENCE_PUNCT = set("。！？!?；;")
_BYLINE_RE = re.compile(
    r"(?P<before>[。！？!?…．.”’」』])\s*[（(](?P<name>[^（）()。！？!?，,；;\n]{1,24})[)）]\s*$"
)
_LEADING_BYLINE_RE = re.compile(
    r"^(?:本报记者|特约记者|记者|通讯员|作者|撰文|文|文字)\s*[:：/｜|]?\s*"
    r"(?P<name>[\u3400-\u9fff·]{2,4}(?:[ 、，,][\u3400-\u9fff·]{2,4}){0,3})$"
)
#: Chapter and part headings of books: always headings, never headline parts.
_CHAPTER_RE = re.compile(
    r"^(?:第\s*[0-9０-９一二三四五六七八九十百千零〇两]+\s*[章回节卷部篇集幕]"
    r"|(?:chapter|part|book)\s+[0-9ivxlc]+\b|序章|序言|楔子|引子|尾声|后记|番外)",
    re.IGNORECASE,
)
_CAPTION_MARK_RE = re.compile(
    r"^(?:图\s*[0-9一二三四五六七八九十]*\s*[：:为|｜丨]|图片|图注|题图|上图|下图|左图|右图|照片"
    r"|[▲△▼▽]|(?:Figure|Fig\.|Photo|Image)\s*[0-9]*\s*[.:：])"
)


def ends_sentence(text: str) -> bool:
    """True if the paragraph ends a sentence (closing quotes/brackets allowed after)."""
    text = text.rstrip()
    if _BYLINE_RE.search(text):
        return True
    stripped = text.rstrip(_CLOSERS + " ")
    if not stripped:
        return bool(text)
    return stripped[-1] in _FINAL


def trailing_byline(text: str) -> tuple[str, str] | None:
    """``(text without the byline, name)`` if the paragraph ends with ``(name)``."""
    match = _BYLINE_RE.search(text)
    if not match:
        return None
    return text[: match.start("before") + 1].rstrip(), match.group("name").strip()


def is_short_line(text: str) -> bool:
    """A line short enough, and free enough of sentence punctuation, to be a title."""
    text = text.strip()
    if not text or len(text) > SHORT_LINE:
        return False
    if any(ch in _SENTENCE_PUNCT for ch in text):
        return False
    if sum(ch in "，," for ch in text) > 1:  # two clauses or more: prose, not a title
        return False
    if text[-1] in "，,、":  # a clause that goes on (a line of verse), not a title
        return False
    return not ends_sentence(text)


# --------------------------------------------------------------------------- width

_WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def _chinese(ch: str) -> bool:
    return bool(ch) and (is_cjk(ch) or ch in "“”‘’…—")


def normalize_width(text: str) -> tuple[str, int]:
    """Half-width ``, ; : ? ! ( )`` in Chinese context → full-width.

    A mark is in Chinese context when the character before it is Chinese
    (a Han character or Chinese punctuation), or the one after it is and the
    one before is not a Latin letter or digit (so ``12:30``, ``1,000`` and
    ``http://`` stay).  A pair of parentheses is converted together, when the
    character before the opening one is Chinese or the text inside has Chinese.
    """
    total = 0
    while True:  # a converted mark can put its neighbour in Chinese context
        text, changed = _widen_once(text)
        total += changed
        if not changed:
            return text, total


def _widen_once(text: str) -> tuple[str, int]:
    if not _WIDE_RE.search(text):
        return text, 0
    changed = 0
    if "(" in text or ")" in text:
        text, changed = _widen_parentheses(text)
    converted: set[int] = set()

    def widen(match: re.Match[str]) -> str:
        i = match.start()
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if (
            _chinese(prev)
            or (i - 1) in converted
            or (_chinese(nxt) and not (prev and _ALNUM.match(prev)))
        ):
            converted.add(i)
            return _WIDE[match.group()]
        return match.group()

    text = _PUNCT_RE.sub(widen, text)
    return text, changed + len(converted)


_WIDE_RE = re.compile(r"[,;:?!()]")
_PUNCT_RE = re.compile(r"[,;:?!]")


def _widen_parentheses(text: str) -> tuple[str, int]:
    chars = list(text)
    changed = 0
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    positions = [m.start() for m in re.finditer(r"[()]", text)]
    for i in positions:
        if chars[i] == "(":
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
    paired = {i for pair in pairs for i in pair}
    for open_i, close_i in pairs:
        before = chars[open_i - 1] if open_i else ""
        if _chinese(before) or any(_is_han(c) for c in chars[open_i + 1 : close_i]):
            chars[open_i], chars[close_i] = "（", "）"
            changed += 2
    for i in positions:
        if i in paired:
            continue
        before = chars[i - 1] if i else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if _chinese(before) or (_chinese(after) and not _ALNUM.match(before or " ")):
            chars[i] = _WIDE[chars[i]]
            changed += 1
    return "".join(chars), changed


# --------------------------------------------------------------------------- model


@dataclass
class RawBlock:
    """One block as an importer saw it, before repair.

    ``gap`` is the number of blank lines before the block (a large number at
    the start of the file); ``page_break`` says a page ended just before it;
    ``sure`` says the format itself declared the kind (a Word heading style,
    an HTML ``<h1>``), so the heuristics leave it alone.
    """

    kind: RawKind
    text: str
    level: int = 0
    gap: int = 1
    page_break: bool = False
    sure: bool = False
    role: str = ""  # "title", "subtitle" or "author" when the format says so
    #: The layout says this block continues the previous paragraph (a PDF page
    #: that starts mid-paragraph), even if that one seemed to end a sentence.
    continues: bool = False
    #: The short-line caption rule may apply (not where the layout already
    #: told captions apart, as in PDF, whose boxes are arbitrary fragments).
    captionable: bool = True
    #: The block may be a headline or heading (PDF: only print larger than
    #: the body text may).
    may_be_heading: bool = True
    #: The layout shows the paragraph ends here even without final
    #: punctuation (plain text: a line that stops short of the wrap width, or
    #: before an indented line), so the cut rule must not continue it.
    ends: bool = False


@dataclass
class Draft:
    """One repaired article before it becomes an :class:`Article`."""

    title: str = ""
    subtitle: str = ""
    author: str = ""
    parts: list[tuple[RawKind, int, str]] = field(default_factory=list)


@dataclass
class RepairReport:
    """What the pipeline did: counts per step, in pipeline order."""

    counts: dict[str, int] = field(default_factory=dict)
    #: Text that left the body for the metadata (bylines), in order.
    moved: list[str] = field(default_factory=list)

    def add(self, step: str, count: int = 1) -> None:
        if count:
            self.counts[step] = self.counts.get(step, 0) + count

    def steps(self) -> list[str]:
        """One human-readable line per step that changed something."""
        return [f"{_STEP_TEXT.get(name, name)}: {count}" for name, count in self.counts.items()]


_STEP_TEXT = {
    "controls": "control characters and terminal escapes removed",
    "wraps": "hard-wrapped lines rejoined",
    "cuts": "paragraphs cut across blank lines or pages rejoined",
    "captions": "captions recognised",
    "headlines": "headlines recognised",
    "headings": "section headings recognised",
    "bylines": "bylines recognised as author",
    "articles": "articles found",
    "width": "punctuation marks made full-width",
    "opencc": "characters converted by OpenCC",
    "headers": "running headers, footers and page numbers removed",
}


# --------------------------------------------------------------------------- plain text


def blocks_from_text(text: str, report: RepairReport | None = None) -> list[RawBlock]:
    """Cut plain text into unsure paragraphs, undoing hard wraps.

    Blank lines separate groups; a form feed marks a page break.  Inside a group
    the wrap rule of the module docstring decides where paragraphs end.
    """
    report = report if report is not None else RepairReport()
    text, removed = strip_controls(text)
    report.add("controls", removed)
    # The house style (a space between Chinese and digits or not) is the
    # file's, not one paragraph's: a short paragraph has too few examples.
    spaced = spaced_style(text)
    blocks: list[RawBlock] = []
    group: list[str] = []
    gap = 1000
    page_break = False
    pending_gap = 1000
    pending_break = False

    def flush() -> None:
        nonlocal pending_gap, pending_break
        if not group:
            return
        paragraphs = unwrap_lines(group, report, spaced=spaced, start=not blocks)
        for i, (para, ends) in enumerate(paragraphs):
            blocks.append(
                RawBlock(
                    "paragraph",
                    para,
                    gap=pending_gap if i == 0 else 0,
                    page_break=pending_break if i == 0 else False,
                    ends=ends,
                )
            )
        group.clear()
        pending_gap, pending_break = 0, False

    for raw_line in text.split("\n"):
        pages = raw_line.split("\f")
        for k, piece in enumerate(pages):
            if k > 0:
                flush()
                page_break = True
            line = piece.rstrip()
            if not line.strip():
                if k == len(pages) - 1:
                    flush()
                    gap += 1
                continue
            if not group:
                pending_gap = gap if blocks else 1000
                pending_break = page_break
                gap, page_break = 0, False
            group.append(line)
    flush()
    return blocks


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000"))


def _indent_columns(line: str) -> int:
    """Leading indentation in columns: a full-width space ``　`` counts two.

    One stray space is no indent (a character-count wrapper that cut just
    before a space leaves one); a paragraph indent is at least two columns.
    """
    body = line.lstrip(" \u3000")
    lead = line[: len(line) - len(body)]
    return len(lead) + lead.count("\u3000")


def _starts_paragraph(line: str, base: int) -> bool:
    """An indent that starts a paragraph: full-width spaces (``　　``, the Chinese
    paragraph indent, a strong signal even when every line has it), or at
    least two columns more than the run's least indentation."""
    return line.startswith("\u3000") or _indent_columns(line) >= base + 2


#: A wrap width below this many columns (8 Chinese characters) is not a wrap:
#: lines that short are verse, lists or headings, each a line of its own.
MIN_WRAP_COLUMNS = 16


#: Wide and fullwidth characters (East Asian Width W/F: Han, kana, Hangul,
#: CJK and fullwidth punctuation, most emoji), two terminal columns each.
_WIDE_CHARS_RE = re.compile(
    "[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe"
    "\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5"
    "\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c"
    "\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55"
    "\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f"
    "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
    "\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0002fffd\U00030000-\U0003fffd]"
)


#: Characters beyond ASCII that take one column (“ ” … — · é): few in a text,
#: so counting them is cheaper than counting the wide ones.
_NARROW_NON_ASCII_RE = re.compile("[^\x00-\x7f" + _WIDE_CHARS_RE.pattern[1:])


def _columns(text: str) -> int:
    """Terminal columns (as wcwidth counts them): wide characters take two."""
    return _double_byte(text) - len(_NARROW_NON_ASCII_RE.findall(text))


def _double_byte(text: str) -> int:
    """Columns as a GBK/Big5 editor counts them: every non-ASCII character takes two."""
    return 2 * len(text) - len(text.encode("ascii", "ignore"))


#: The ways a wrapper measures a line: characters (Python ``textwrap``,
#: "every N characters" tools), terminal columns, GBK bytes (old BBS texts).
_MEASURES = (len, _columns, _double_byte)


#: Opening marks a wrapper will not leave at the end of a line, and closing
#: marks it will not put at the start of one (kinsoku, 禁则): both travel
#: to the next line with the character they belong to.
_NO_END = "“‘「『（《〈【〔([{"
_NO_START = "，。、；：？！”’」』）》〉】〕…—,.;:?!)]}%"
_CLUSTER_RE = re.compile(f"[{re.escape(_NO_END)}]*(?:[!-~]+|.)[{re.escape(_NO_START)}]*")


def _wrap_width(widths: list[int], reaches: list[int], hang: int) -> int | None:
    """The wrap width of a run: the width the most lines reach (at least two).

    ``widths`` and ``reaches`` are those of the lines followed by another.  A
    line of width ``w`` whose next line starts with something that would have
    made it ``reach`` wide fits a wrap width ``W`` with ``w <= W + hang`` and
    ``reach >= W``: it stopped because that did not fit.  The width that fits
    the most lines (the widest of equals) is the wrap width, so one line
    wider than the rest (a title typed above pasted text, a long URL) does not
    hide it.  None when no width fits two lines: nothing shows a wrap.
    """
    by_width = sorted(widths)
    by_reach = sorted(r + 1 for r in reaches)
    best: tuple[int, int] | None = None
    for wrap in set(widths):
        # Lines narrow enough, less those that would still have had room.
        count = bisect.bisect_right(by_width, wrap + hang) - bisect.bisect_right(by_reach, wrap)
        if count >= 2 and (best is None or (count, wrap) > best):
            best = (count, wrap)
    return best[1] if best else None


def _measure_lines(lines: list[str], measure) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    """Each line's width, and (all but the last) how wide it would have been
    with what starts the next line on it: one character, or a Latin word and
    its space, with the opening marks before it and the closing marks after
    it that a wrapper keeps with it (``少。”``)."""
    widths = [measure(line) for line in lines]
    reaches = []
    for i in range(len(lines) - 1):
        nxt = lines[i + 1].lstrip(" \u3000")
        cluster = _CLUSTER_RE.match(nxt)
        unit = measure(cluster.group()) if cluster else 0
        if cluster and cluster.group()[-1:].isascii() and cluster.group()[:1].isalnum():
            unit += 1  # the space before a Latin word
        reaches.append(widths[i] + unit)
    return widths, reaches


def _min_wrap(measure) -> int:  # type: ignore[no-untyped-def]
    return MIN_WRAP_COLUMNS if measure is not len else MIN_WRAP_COLUMNS // 2


def _full_lines(lines: list[str], measure) -> list[bool]:  # type: ignore[no-untyped-def]
    """Which lines (all but the last) reach the wrap width under one measure.

    A line reaches the wrap width (:func:`_wrap_width`) when what starts the
    next line would not have fitted after it: one character, or a Latin word
    and its space, together with the opening marks before it and the closing
    marks after it that a wrapper keeps with it (``少。”``), with one column
    to spare.  A line more than one wide character wider than the wrap width
    is no wrapped line (a title above pasted text, a URL).  In a run of two
    lines nothing can show the width: the first line reaches it if it is the
    wider.
    """
    widths, reaches = _measure_lines(lines, measure)
    wide = measure("字")
    wrap = _wrap_width(widths[:-1], reaches, wide)
    if wrap is None and len(lines) == 2:
        wrap = max(widths)
    if wrap is None or wrap < _min_wrap(measure):
        return [False] * (len(lines) - 1)
    return [
        reach + 1 > wrap and width <= wrap + wide
        for width, reach in zip(widths, reaches, strict=False)
    ]


def unwrap_lines(
    lines: list[str], report: RepairReport, *, spaced: bool | None = None, start: bool = False
) -> list[tuple[str, bool]]:
    """Paragraphs from one run of non-blank lines of plain text.

    Returns ``(paragraph, ends)`` pairs; ``ends`` says the layout shows the
    paragraph ends there even if it has no final punctuation (a title, a
    heading, a line of verse), so the cut rule must leave it alone.

    The rules (plain text; PDF, whose layout measures the margin, uses
    :func:`unwrap`):

    * A line **reaches the wrap width** when what starts the next line would
      not have fitted after it at the width most lines of the run reach (see
      :func:`_full_lines`), measured in characters, terminal columns or GBK
      bytes (whichever explain the run).  A line that stops short of it ends
      its paragraph: in a
      hard-wrapped text only a paragraph's last line is short, and in a file
      with one paragraph per line, titles and headings are short.
    * A line that reaches the wrap width and stops mid-sentence (no final
      punctuation) is **wrapped**: it is joined with the next line.
    * A line that reaches the wrap width and ends a sentence (。！？… and
      their combinations with closing quotes and brackets, ！” 。」; also ；
      and ： that end list items and lines introducing a quotation) is
      ambiguous.  It is joined only when the layout marks paragraphs some
      other way: every line of the run but the last reaches the width and
      most stop mid-sentence (one hard-wrapped paragraph; blank lines
      separate paragraphs), or the paragraph starts with an indent (below).
      Otherwise the line ends its paragraph: a sentence end at the end of a
      line is a paragraph end.  The price, in a hard-wrapped text with
      neither blank lines nor indents between paragraphs, is that a
      paragraph whose wrap fell right after a full stop is split there, at a
      sentence boundary, never mid-sentence; the other choice would merge
      every paragraph that ends at the margin into the next, which happens
      more often (the bundled articles wrapped at every even width from 18
      to 80 columns: 63 such merges against 42 such splits).  In a file with
      one paragraph per line every line ends a sentence, so nothing is
      joined.
    * At the start of the text (``start``), a short first line without final
      punctuation is the title if it is centred (indented deeper than any
      other line), or stops short of the wrap width, or is the only line at
      the wrap width that stops mid-sentence and the next line ends a
      sentence (nothing but the title itself shows a wrap).  It ends there,
      even above paragraphs that all start with an indent, and takes no part
      in finding the wrap width.  A first line at the wrap width of wrapped
      lines under it is read as wrapped text: an untitled text whose first
      line has no full stop is likelier than a title exactly as wide as the
      wrap.
    * An indented next line (full-width spaces ``　　``, or two or more spaces
      beyond the run's least indentation) always starts a new paragraph, and
      so does a chapter heading on either side.  Inside a paragraph that starts with
      such an indent, a line that does not end a sentence goes on to the
      next line whatever its width, and a line that reaches the wrap width
      goes on even after a full stop: the indents say where paragraphs start.
    """
    stripped = [line.strip() for line in lines]
    if len(lines) == 1:
        return [(stripped[0], False)]
    if spaced is None:
        spaced = spaced_style("".join(lines))
    sample = "".join(stripped)
    cjk_text = _HAN_RE.subn("", sample)[1] > len(sample) * 0.3
    ends = [ends_sentence(line) for line in stripped]
    # A wrapper that counts columns and one that counts characters disagree
    # on lines with digits, Latin words or quotation marks (one column or two).
    # Of the measures, those that explain the run about as well as the best
    # one does (most lines stopping mid-sentence at the wrap width) count.
    by_measure = [_full_lines(lines, measure) for measure in _MEASURES]
    mids = [sum(f and not e for f, e in zip(m, ends, strict=False)) for m in by_measure]
    chosen = [m for m, n in zip(by_measure, mids, strict=True) if n * 4 >= max(mids) * 3]
    full = [any(column) for column in zip(*chosen, strict=True)]
    mid = sum(f and not e for f, e in zip(full, ends, strict=False))
    at_stop = sum(f and e for f, e in zip(full, ends, strict=False))
    # Every line but the last reaches the width, mostly mid-sentence: the run
    # is one hard-wrapped paragraph (blank lines separate the paragraphs).
    one_paragraph = all(full) and mid >= 1 and mid >= at_stop
    base = min(_indent_columns(line) for line in lines)
    paragraphs: list[tuple[str, bool]] = []
    current = ""
    if start and is_short_line(stripped[0]):
        # The title: centred (indented deeper than any other line), or short
        # of the wrap width, or the only line at it that stops mid-sentence
        # with a finished sentence after it (then nothing else shows a wrap).
        centred = _indent_columns(lines[0]) > max(_indent_columns(line) for line in lines[1:])
        alone = ends[1] and not any(f and not e for f, e in zip(full[1:], ends[1:], strict=False))
        if centred or not full[0] or alone:
            # It takes no part in finding the wrap width of the text.
            return [(stripped[0], True), *unwrap_lines(lines[1:], report, spaced=spaced)]
    indented_para = False  # the current paragraph starts with an indent
    for i, line in enumerate(stripped):
        if not current:
            current = line
            indented_para = _starts_paragraph(lines[i], base)
        else:
            previous = stripped[i - 1]
            if (
                cjk_text
                and full[i - 1]
                and previous[-1:].isalnum()
                and line[:1].isalnum()
                and previous[-1:].isascii()
                and line[:1].isascii()
            ):
                # A character-count wrapper cut a number or a Latin word in two.
                current += line
            else:
                current = join_pair(current, line, spaced=spaced)
            report.add("wraps")
        if i + 1 == len(lines):
            break
        indented = _starts_paragraph(lines[i + 1], base)
        chapter = _CHAPTER_RE.match(line) or _CHAPTER_RE.match(stripped[i + 1])
        if indented or chapter:
            paragraphs.append((current, not ends[i]))
            current = ""
        elif indented_para and not ends[i]:
            continue  # indents mark where paragraphs start: this one goes on
        elif not full[i]:
            paragraphs.append((current, not ends[i]))
            current = ""
        elif ends[i] and not (one_paragraph or indented_para):
            paragraphs.append((current, False))
            current = ""
    if current:
        paragraphs.append((current, False))
    return paragraphs


def unwrap(
    lines: list[str],
    report: RepairReport,
    *,
    spaced: bool | None = None,
    short_lines: Sequence[bool] | None = None,
) -> list[str]:
    """Paragraphs from one run of lines of a PDF box (see the wrap rule).

    Plain text uses :func:`unwrap_lines`.  ``short_lines`` says which lines end before the right margin when the
    layout knows it (PDF); otherwise a line is short if it has clearly fewer
    characters than the longest.
    """
    if len(lines) == 1:
        return [lines[0].strip()]
    width = max(len(line.strip()) for line in lines)
    # Indented lines start paragraphs; if every line is indented, every line
    # that ends a sentence ends its paragraph ("one paragraph per line" files).
    base = min(_indent(line) for line in lines)
    if spaced is None:
        spaced = spaced_style("".join(lines))
    sample = "".join(lines)
    cjk_text = sum(map(_is_han, sample)) > len(sample) * 0.3
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not current:
            current = stripped
        else:
            previous = lines[i - 1]
            if (
                cjk_text
                and len(previous.strip()) >= width
                and previous[-1:].isalnum()
                and stripped[:1].isalnum()
                and previous[-1:].isascii()
                and stripped[:1].isascii()
            ):
                # A character-count wrapper cut a number or a Latin word in two.
                current += stripped
            else:
                current = join_pair(current, stripped, spaced=spaced)
            report.add("wraps")
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None:
            break
        indented = _indent(nxt) > base or base > 0
        if short_lines is not None:
            short = short_lines[i]
        else:
            short = len(stripped) < width * 0.8 or width < 12
        chapter = _CHAPTER_RE.match(stripped) or _CHAPTER_RE.match(nxt.strip())
        if (ends_sentence(stripped) and (indented or short)) or chapter:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


# --------------------------------------------------------------------------- pipeline


def repair(
    blocks: Sequence[RawBlock],
    *,
    split: bool = False,
    convert: str | None = None,
    report: RepairReport | None = None,
) -> tuple[list[Draft], RepairReport]:
    """Rebuild articles from raw blocks; every change is counted in the report.

    ``split`` makes every section headline start an article of its own;
    ``convert`` is an OpenCC configuration such as ``"t2s"`` or ``"s2t"``.
    """
    report = report if report is not None else RepairReport()
    cleaned: list[RawBlock] = []
    for block in blocks:
        text, removed = strip_controls(block.text, keep="\n")
        report.add("controls", removed)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = ""
        for line in lines:
            text = join_pair(text, line) if text else line
        if text:
            cleaned.append(_copy(block, text))
    if not cleaned:
        return [], report
    spaced = spaced_style("\n".join(b.text for b in cleaned))
    marked, newspaper = _mark_headlines(cleaned, split=split, report=report)
    joined = _join_cuts(marked, spaced=spaced, report=report)
    drafts = _assemble(joined, newspaper=newspaper, report=report)
    for draft in drafts:
        _finish(draft, convert=convert, report=report)
    report.add("articles", len(drafts))
    return drafts, report


def _copy(block: RawBlock, text: str) -> RawBlock:
    return RawBlock(
        block.kind,
        text,
        block.level,
        block.gap,
        block.page_break,
        block.sure,
        block.role,
        block.continues,
        block.captionable,
        block.may_be_heading,
        block.ends,
    )


def _copy_role(block: RawBlock, role: str) -> RawBlock:
    copy = _copy(block, block.text)
    copy.sure, copy.role = True, role
    return copy


@dataclass
class _Item:
    block: RawBlock
    start: bool = False  # starts a new article
    headline: list[str] = field(default_factory=list)  # headline lines if this starts one


def _mark_headlines(
    blocks: list[RawBlock], *, split: bool, report: RepairReport
) -> tuple[list[_Item], bool]:
    """Find headline runs and article starts before any joining can swallow them.

    Also says whether the text is a newspaper page: an article started at a
    story boundary (a byline or blank lines), which picks the headline
    convention (see the module docstring).
    """
    items: list[_Item] = []
    story_split = False
    i = 0
    prev: RawBlock | None = None  # last block that was not metadata
    body_seen = False  # the current article has a paragraph or caption
    titled = False  # the current article has a level-1 heading
    while i < len(blocks):
        block = blocks[i]
        if block.role == "author":
            items.append(_Item(block, start=not items))
            i += 1
            continue
        if not body_seen and not block.sure and _LEADING_BYLINE_RE.match(block.text):
            # "记者 张三" before the first paragraph: metadata, never body text.
            items.append(_Item(_copy_role(block, "author"), start=not items))
            i += 1
            continue
        after_byline = (
            prev is not None and prev.kind == "paragraph" and bool(trailing_byline(prev.text))
        )
        finished = prev is not None and (prev.kind != "paragraph" or ends_sentence(prev.text))
        boundary = (
            prev is None or after_byline or ((block.gap >= 2 or block.page_break) and finished)
        )
        boundary = boundary and not block.continues
        if block.sure and block.kind == "heading":
            new_article = body_seen and block.level <= 1 and (after_byline or split)
            items.append(_Item(block, start=new_article or not items))
            if new_article:
                body_seen = False
            titled = (titled and not new_article) or block.level <= 1
            prev = block
            i += 1
            continue
        if (
            not block.sure
            and block.kind == "paragraph"
            and block.may_be_heading
            and items
            and is_short_line(block.text)
            and _CHAPTER_RE.match(block.text)
        ):
            new_article = body_seen and split
            if new_article:
                items.append(
                    _Item(RawBlock("heading", block.text, 1, sure=True), True, [block.text])
                )
                report.add("headlines")
                body_seen, titled = False, True
            else:
                items.append(_Item(RawBlock("heading", block.text, 2, sure=True)))
                report.add("headings")
            prev = RawBlock("heading", block.text, 2)
            i += 1
            continue
        run: list[RawBlock] = []
        if boundary and not block.sure:
            j = i
            while (
                j < len(blocks)
                and len(run) < MAX_HEADLINE_LINES
                and not blocks[j].sure
                and blocks[j].kind == "paragraph"
                and blocks[j].may_be_heading
                and is_short_line(blocks[j].text)
                and not (run and _CHAPTER_RE.match(blocks[j].text))
                and not _CAPTION_MARK_RE.match(blocks[j].text)
                and not _LEADING_BYLINE_RE.match(blocks[j].text)
            ):
                run.append(blocks[j])
                j += 1
            followed = j < len(blocks) and not (
                blocks[j].kind == "paragraph"
                and not blocks[j].sure
                and is_short_line(blocks[j].text)
                and not _CHAPTER_RE.match(blocks[j].text)
                and not _LEADING_BYLINE_RE.match(blocks[j].text)
            )
            if not run or not followed:
                run = []
        if run:
            lines = [b.text for b in run]
            # Blank lines (not a mere page break) after a finished paragraph
            # separate stories, as a byline does.
            story_gap = block.gap >= 2 and finished
            new_article = body_seen and (after_byline or story_gap or split)
            story_split = story_split or (body_seen and (after_byline or story_gap))
            if new_article or not (body_seen or titled):
                items.append(
                    _Item(
                        RawBlock("heading", lines[0], 1, sure=True), new_article or not items, lines
                    )
                )
                report.add("headlines")
                body_seen, titled = False, True
            else:
                for line in lines:
                    items.append(_Item(RawBlock("heading", line, 2, sure=True)))
                    report.add("headings")
            prev = RawBlock("heading", run[-1].text, 2)
            i += len(run)
            continue
        items.append(_Item(block, start=not items))
        body_seen = True
        prev = block
        i += 1
    return items, story_split


def _join_cuts(items: list[_Item], *, spaced: bool, report: RepairReport) -> list[_Item]:
    """Rejoin paragraphs cut mid-sentence; pull out captions that interrupted them."""
    out: list[_Item] = []
    held: list[_Item] = []  # captions waiting for the end of the open paragraph
    open_para: _Item | None = None

    def close() -> None:
        nonlocal open_para
        out.extend(held)
        held.clear()
        open_para = None

    for index, item in enumerate(items):
        block = item.block
        if item.start or block.kind == "heading" or block.sure:
            if block.kind == "caption" and open_para is not None and not item.start:
                held.append(item)
                continue
            close()
            out.append(item)
            if (
                block.kind == "paragraph"
                and not block.sure
                and not block.ends
                and not ends_sentence(block.text)
            ):
                open_para = item  # an article's first paragraph can be cut too
            continue
        if (
            block.kind == "paragraph"
            and not block.sure
            and _CAPTION_MARK_RE.match(block.text)
            and (len(block.text) <= SHORT_LINE * 2)
        ):
            item = _Item(RawBlock("caption", block.text, sure=True))
            report.add("captions")
            if open_para is not None:
                held.append(item)
            else:
                out.append(item)
            continue
        if open_para is not None and block.kind == "paragraph":
            nxt = items[index + 1] if index + 1 < len(items) else None
            if (
                not block.sure
                and block.captionable
                and is_short_line(block.text)
                and nxt is not None
                and not nxt.start
                and nxt.block.kind == "paragraph"
            ):
                held.append(_Item(RawBlock("caption", block.text, sure=True)))
                report.add("captions")
                continue
            open_para.block.text = join_pair(open_para.block.text, block.text, spaced=spaced)
            report.add("cuts")
            if block.ends or ends_sentence(open_para.block.text):
                close()
            continue
        last = out[-1] if out and not held else None
        if (
            block.continues
            and last is not None
            and last.block.kind == "paragraph"
            and not last.block.sure
        ):
            last.block.text = join_pair(last.block.text, block.text, spaced=spaced)
            report.add("cuts")
            if not ends_sentence(last.block.text):
                open_para = last
            continue
        close()
        out.append(item)
        if block.kind == "paragraph" and not block.ends and not ends_sentence(block.text):
            open_para = item
    close()
    return out


def headline_parts(lines: Sequence[str], *, newspaper: bool) -> tuple[str, str]:
    """``(title, subtitle)`` from one to three headline lines (see the module docstring)."""
    if len(lines) == 1:
        return lines[0], ""
    if not newspaper:
        return lines[0], " ".join(lines[1:])
    if len(lines) == 2:
        return lines[1], lines[0]
    return lines[1], " ".join([lines[0], *lines[2:]])


def _assemble(items: list[_Item], *, newspaper: bool, report: RepairReport) -> list[Draft]:
    drafts: list[Draft] = []
    for item in items:
        block = item.block
        if item.start or not drafts:
            drafts.append(Draft())
        draft = drafts[-1]
        if item.headline:
            lines = item.headline
            draft.title, draft.subtitle = headline_parts(lines, newspaper=newspaper)
            draft.parts.append(("heading", 1, draft.title))
            if len(lines) >= 2:
                draft.parts.append(("heading", 2, draft.subtitle))
            continue
        if block.role == "title" and not draft.title:
            draft.title = block.text
        if block.role == "subtitle" and not draft.subtitle:
            draft.subtitle = block.text
        if block.role == "author":
            match = _LEADING_BYLINE_RE.match(block.text)
            name = match.group("name") if match else block.text.strip()
            draft.author = ", ".join(filter(None, [draft.author, name]))
            report.moved.append(block.text)
            report.add("bylines")
            continue
        draft.parts.append((block.kind, block.level, block.text))
    return drafts


def _finish(draft: Draft, *, convert: str | None, report: RepairReport) -> None:
    """Trailing byline → author, titles, punctuation width, optional OpenCC."""
    last = max((i for i, p in enumerate(draft.parts) if p[0] == "paragraph"), default=None)
    if last is not None:
        kind, level, text = draft.parts[last]
        found = trailing_byline(text)
        if found and draft.author in ("", found[1]):
            body, name = found
            draft.author = name
            report.moved.append(text[len(body) :])
            report.add("bylines")
            draft.parts[last] = (kind, level, body)
    if not draft.title:
        draft.title = next((t for k, _, t in draft.parts if k == "heading"), "")
    converter = _opencc(convert) if convert else None
    new_parts: list[tuple[RawKind, int, str]] = []
    for kind, level, text in draft.parts:
        text, changed = normalize_width(text)
        report.add("width", changed)
        if converter is not None:
            converted = converter.convert(text)
            report.add("opencc", sum(a != b for a, b in zip(text, converted, strict=False)))
            text = converted
        if text:
            new_parts.append((kind, level, text))
    draft.parts = new_parts
    for name in ("title", "subtitle", "author"):
        value, _ = normalize_width(getattr(draft, name))
        if converter is not None:
            value = converter.convert(value)
        setattr(draft, name, value)


@functools.lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    """One converter per configuration: loading its dictionaries takes a while."""
    from opencc import OpenCC

    return OpenCC(config)


def convert_chinese(text: str, config: str) -> str:
    """Traditional ↔ Simplified with an OpenCC configuration (``t2s``, ``s2t``…)."""
    return _opencc(config).convert(text)
