"""Plain-text layouts: where paragraphs end, what is joined, which line is the title.

Table-driven: each case is an input text and the title and blocks the importer
must make of it.  The rules under test are those of
:func:`reader.library.repair.unwrap_lines`:

* a line that ends a sentence (。！？…, also with closing quotes: ！” 。」 』)
  ends its paragraph;
* a short first line without final punctuation, followed by body lines, is
  the title;
* only lines that reach the run's wrap width (near-equal width) and stop
  mid-sentence are joined: Chinese without a space, Latin with one;
* an indented line (``　　``) starts a paragraph;
* the ambiguous case, a line at the wrap width that happens to end at 。 in
  the middle of a paragraph: joined where blank lines or indents mark the
  paragraphs, otherwise it ends the paragraph (split at a sentence boundary).

The hard-wrapped cases wrap real text (the bundled articles) with a wrapper
that measures terminal columns, keeps Latin words whole and follows the
kinsoku rules (no 。，” at the start of a line, no “ at the end), at 20, 35 and
40 columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.importers import import_file
from reader.library.repair import RepairReport, blocks_from_text, ends_sentence, repair
from tests.library import fixtures as fx

Block = tuple[str, str]  # (kind, text); kind "h1" for the title heading, "h2", "p"


def layout(text: str) -> tuple[str, list[Block]]:
    """``(title, blocks)`` the repair pipeline makes of a plain text."""
    drafts, _ = repair(blocks_from_text(text))
    assert len(drafts) == 1, [d.title for d in drafts]
    (draft,) = drafts
    kinds = {"paragraph": "p", "caption": "caption"}
    return draft.title, [
        (kinds.get(kind) or f"h{level}", text) for kind, level, text in draft.parts
    ]


# --------------------------------------------------------------------------- table

NEWS = fx.paragraphs(fx.bundled(1))  # the audit's news_lines.txt: 5 paragraphs

CASES: list[tuple[str, str, str, list[Block]]] = [
    (
        "one paragraph per line with a title (web copy)",
        "新闻标题\n第一段的内容在这里，讲了一个故事。\n第二段开始了，他说：“你好。”\n"
        "第三段很短。\n第四段也很短。\n",
        "新闻标题",
        [
            ("h1", "新闻标题"),
            ("p", "第一段的内容在这里，讲了一个故事。"),
            ("p", "第二段开始了，他说：“你好。”"),
            ("p", "第三段很短。"),
            ("p", "第四段也很短。"),
        ],
    ),
    (
        "real article, one paragraph per line, lines of very different length",
        "落叶艺术展\n" + "\n".join(NEWS) + "\n",
        "落叶艺术展",
        [("h1", "落叶艺术展"), *[("p", p) for p in NEWS]],
    ),
    (
        "final punctuation with closing quotes and brackets ends a paragraph",
        "对话\n他问：“你去哪儿？”\n她说：“回家！”\n「好吧。」\n『也好。』\n"
        "他想了很久……\n“走吧。”\n",
        "对话",
        [
            ("h1", "对话"),
            ("p", "他问：“你去哪儿？”"),
            ("p", "她说：“回家！”"),
            ("p", "「好吧。」"),
            ("p", "『也好。』"),
            ("p", "他想了很久……"),
            ("p", "“走吧。”"),
        ],
    ),
    (
        "lines of almost the same length, all ending a sentence, are not a wrap",
        "标题\n这是第一段文字，长度和第二段差不多。\n这是第二段文字，长度和第一段差不多。\n"
        "这是第三段文字，长度也和前面差不多。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "这是第一段文字，长度和第二段差不多。"),
            ("p", "这是第二段文字，长度和第一段差不多。"),
            ("p", "这是第三段文字，长度也和前面差不多。"),
        ],
    ),
    (
        "a short line in the middle stays a line of its own, not glued to the next",
        "标题\n第一段的文字写完了。\n一、背景\n第二段的文字也写完了。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "第一段的文字写完了。"),
            ("p", "一、背景"),
            ("p", "第二段的文字也写完了。"),
        ],
    ),
    (
        "verse: short lines are lines, and a line ending in a comma is no title",
        "静夜思\n床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。\n",
        "静夜思",
        [
            ("h1", "静夜思"),
            ("p", "床前明月光，"),
            ("p", "疑是地上霜。"),
            ("p", "举头望明月，"),
            ("p", "低头思故乡。"),
        ],
    ),
    (
        "full-width paragraph indents, one paragraph per line",
        "第一章 风起\n　　第一段的内容在这里，讲了一个故事。\n　　第二段开始了，他说：“你好。”\n"
        "　　第三段很短。\n",
        "第一章 风起",
        [
            ("h1", "第一章 风起"),
            ("p", "第一段的内容在这里，讲了一个故事。"),
            ("p", "第二段开始了，他说：“你好。”"),
            ("p", "第三段很短。"),
        ],
    ),
    (
        "a title centred with spaces above paragraphs that all start with 　　",
        "        落叶艺术展\n　　记者获悉，这是第一段。\n　　第二段也写完了。\n",
        "落叶艺术展",
        [("h1", "落叶艺术展"), ("p", "记者获悉，这是第一段。"), ("p", "第二段也写完了。")],
    ),
    (
        "every line starts with 　　: every line is a paragraph, even without a final stop",
        "　　第一段写了两个逗号，一个在这里，却没有写句号\n　　第二段写完了。\n"
        "　　第三段也写完了。\n",
        "",
        [
            ("p", "第一段写了两个逗号，一个在这里，却没有写句号"),
            ("p", "第二段写完了。"),
            ("p", "第三段也写完了。"),
        ],
    ),
    (
        "indents mark paragraphs: lines between them go on, whatever their width",
        "标题\n　　这一段的第一行写得比较长，\n然后换了行，\n还没有写完。\n"
        "　　第二段一行就写完了。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "这一段的第一行写得比较长，然后换了行，还没有写完。"),
            ("p", "第二段一行就写完了。"),
        ],
    ),
    (
        "an indented line starts a paragraph even after a line without final punctuation",
        "标题\n　　第一段写了两个逗号，一个在这里，却没有写句号就换了一段\n　　第二段。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "第一段写了两个逗号，一个在这里，却没有写句号就换了一段"),
            ("p", "第二段。"),
        ],
    ),
    (
        "hard wrap at 20 columns, Latin words joined with a space",
        "The quick brown fox\njumps over the lazy\ndog and runs away.\n",
        "",
        [("p", "The quick brown fox jumps over the lazy dog and runs away.")],
    ),
    (
        "one English paragraph per line with a title",
        "Title\nFirst paragraph is here.\nSecond paragraph is here.\n",
        "Title",
        [("h1", "Title"), ("p", "First paragraph is here."), ("p", "Second paragraph is here.")],
    ),
    (
        "a dash cut in two by a character-count wrapper is joined without a space",
        "这是一个很长的句子，说到\n这里的时候用了个破折号—\n—然后接着说完了。\n",
        "",
        [("p", "这是一个很长的句子，说到这里的时候用了个破折号——然后接着说完了。")],
    ),
    # The ambiguous case: a line at the wrap width that ends at 。 mid-paragraph.
    (
        "ambiguous, blank lines between paragraphs: the 。 at the margin is a wrap",
        "标题\n\n第一段第一行写满了十二个字。\n第二行接着写，还没有写完呢\n写完了。\n\n第二段。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "第一段第一行写满了十二个字。第二行接着写，还没有写完呢写完了。"),
            ("p", "第二段。"),
        ],
    ),
    (
        "ambiguous, indents mark paragraphs: the 。 at the margin is a wrap",
        "标题\n　　第一段第一行写满了十个字\n字。第二行接着写，没有写完\n写完了。\n　　第二段。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "第一段第一行写满了十个字字。第二行接着写，没有写完写完了。"),
            ("p", "第二段。"),
        ],
    ),
    (
        "ambiguous, no blank lines and no indents: a sentence end at a line end "
        "ends the paragraph (split at the sentence, never inside it)",
        "标题\n第一段的第一行写满了十四个字\n第一段第二行刚好在句号结束。\n"
        "第二行之后还有第三行的文字。\n只是短一点。\n第二段。\n",
        "标题",
        [
            ("h1", "标题"),
            ("p", "第一段的第一行写满了十四个字第一段第二行刚好在句号结束。"),
            ("p", "第二行之后还有第三行的文字。"),
            ("p", "只是短一点。"),
            ("p", "第二段。"),
        ],
    ),
    (
        "ambiguous, a first line as wide as the wrap that stops mid-sentence is "
        "read as wrapped text, not as a title",
        "第一行没有标点而且和下面一样宽\n第二行接着写下去，到这里才结束\n了。\n",
        "",
        [("p", "第一行没有标点而且和下面一样宽第二行接着写下去，到这里才结束了。")],
    ),
]


@pytest.mark.parametrize(
    ("text", "title", "blocks"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_layout(text: str, title: str, blocks: list[Block]) -> None:
    assert layout(text) == (title, blocks)


def test_the_audit_file_is_no_longer_one_glued_paragraph() -> None:
    """The audit's reproduction: the title is a heading and nothing is rejoined."""
    report = RepairReport()
    blocks = blocks_from_text("落叶艺术展\n" + "\n".join(NEWS) + "\n", report)
    drafts, report = repair(blocks, report=report)
    assert drafts[0].title == "落叶艺术展"
    assert "wraps" not in report.counts and "cuts" not in report.counts
    assert not any(text.startswith("落叶艺术展记者") for _, _, text in drafts[0].parts)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "utf-16", "utf-16-le", "big5"])
def test_one_paragraph_per_line_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    text = "简体标题\n银行行长在长治市发表讲话。他说，2022年的利润增长了22.5%。\n第二段：会议召开了。\n"
    if encoding == "big5":
        text = "繁體標題\n銀行行長在長治市發表講話。他說，利潤增長了。\n第二段：會議召開了。\n"
    path = tmp_path / f"lines-{encoding}.txt"
    path.write_bytes(text.replace("\n", "\r\n" if encoding == "gbk" else "\n").encode(encoding))
    (article,) = import_file(path).articles
    lines = text.splitlines()
    assert article.title == lines[0]
    assert fx.paragraphs(article) == lines[1:]
    assert article.blocks[0].kind == "heading"


# --------------------------------------------------------------------------- real hard wraps

_NO_START = set("，。、；：？！”’」』）》…,.;:?!)")
_NO_END = set("“‘「『（《")


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def gbk_bytes(text: str) -> int:
    return len(text.encode("gbk"))


def wrap(paragraph: str, width: int, measure: Callable[[str], int] = columns) -> list[str]:
    """Wrap like an editor: by ``measure``, Latin words whole, kinsoku rules.

    A closing mark that would start a line takes the character before it
    along (and any closing marks before that); an opening mark never ends a
    line.
    """
    lines: list[str] = []
    current = ""
    for unit in re.findall(r"[!-~]+| |.", paragraph):
        if unit in (" ", "\t"):
            current += " " if current else ""
            continue
        if current.strip() and measure(current.rstrip() + unit) > width:
            current = current.rstrip()
            cut = len(current)
            if unit[0] in _NO_START:
                cut -= 1
                while cut > 1 and current[cut] in _NO_START:
                    cut -= 1
            while cut > 1 and current[cut - 1] in _NO_END:
                cut -= 1
            lines.append(current[:cut].rstrip())
            current = current[cut:].lstrip() + unit
        else:
            current += unit
    if current.strip():
        lines.append(current.rstrip())
    return lines


def full(line: str, width: int) -> bool:
    """The line runs to the margin (within one wide character)."""
    return columns(line) > width - 3


ARTICLES = [fx.bundled(i) for i in range(3)]
WIDTHS = [20, 35, 40]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("index", range(3))
@pytest.mark.parametrize("style", ["blank lines", "indents"])
def test_hard_wrapped_articles_come_back_exactly(index: int, width: int, style: str) -> None:
    """Paragraphs marked by blank lines or by 　　 indents: every paragraph comes
    back whole, even where a wrap fell right after a full stop; the wrapped
    title is the title."""
    article = ARTICLES[index]
    paragraphs = fx.paragraphs(article)
    if style == "blank lines":
        text = "\n\n".join("\n".join(wrap(p, width)) for p in [article.title, *paragraphs])
    else:
        text = "\n".join(
            [*wrap(article.title, width), *("\n".join(wrap("　　" + p, width)) for p in paragraphs)]
        )
    report = RepairReport()
    drafts, _ = repair(blocks_from_text(text + "\n", report))
    (draft,) = drafts
    assert draft.title == article.title
    assert [t for k, _, t in draft.parts if k == "paragraph"] == paragraphs
    assert report.counts["wraps"] > 0


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("index", range(3))
def test_hard_wrapped_articles_without_blank_lines_or_indents(index: int, width: int) -> None:
    """Only a short line marks a paragraph end: no paragraph is merged, no
    sentence is cut; a paragraph is split only after a line that ends a
    sentence at the margin (the documented ambiguous case).  The title is found
    when its last line stops short of the margin; one as wide as the wrap is
    read as the start of the text."""
    article = ARTICLES[index]
    paragraphs = fx.paragraphs(article)
    title_lines = wrap(article.title, width)
    lines = [*title_lines, *(line for p in paragraphs for line in wrap(p, width))]
    title, blocks = layout("\n".join(lines) + "\n")
    got = [text for kind, text in blocks if kind == "p"]
    if full(title_lines[-1], width):
        assert title == "" and got[0].startswith(article.title)
        got[0] = got[0][len(article.title) :]
    else:
        assert title == article.title
    assert "".join(got) == "".join(paragraphs)
    # Every original paragraph boundary is kept ...
    starts = {0}
    for p in paragraphs:
        starts.add(max(starts) + len(p))
    got_starts = {0}
    for p in got:
        got_starts.add(max(got_starts) + len(p))
    assert starts <= got_starts
    # ... and an extra one falls only at the end of a line that ends a
    # sentence (a wrap right after a full stop), never inside a sentence.
    flat = "".join(paragraphs)
    line_ends = set()
    for p in paragraphs:
        start = flat.index(p)
        for line in wrap(p, width):
            start = flat.index(line.strip(), start) + len(line.strip())
            line_ends.add(start)
    for extra in got_starts - starts:
        assert extra in line_ends and ends_sentence(flat[:extra])


def test_an_unwrapped_title_above_text_wrapped_at_20_columns() -> None:
    """One line wider than the wrap (a title typed above pasted text) does not hide it."""
    article = ARTICLES[0]
    paragraphs = fx.paragraphs(article)
    text = "\n\n".join([article.title, *("\n".join(wrap(p, 20)) for p in paragraphs)])
    title, blocks = layout(text + "\n")
    assert title == article.title
    assert [t for k, t in blocks if k == "p"] == paragraphs


@pytest.mark.parametrize("width", [40, 76])
def test_old_bbs_text_wrapped_by_gbk_bytes(tmp_path: Path, width: int) -> None:
    """Old e-texts were wrapped at a byte count in GBK (“ and ” take two)."""
    article = ARTICLES[1]
    paragraphs = fx.paragraphs(article)
    text = "\r\n\r\n".join(
        "\r\n".join(wrap(p, width, gbk_bytes)) for p in [article.title, *paragraphs]
    )
    path = tmp_path / "bbs.txt"
    path.write_bytes(text.encode("gbk"))
    (got,) = import_file(path).articles
    assert got.title == article.title
    assert fx.paragraphs(got) == paragraphs


# --------------------------------------------------------------------------- Markdown


def test_markdown_is_not_touched_by_the_plain_text_rules(tmp_path: Path) -> None:
    """Markdown keeps CommonMark's meaning: lines without a blank line between
    them are one paragraph, whatever punctuation ends them."""
    path = tmp_path / "note.md"
    path.write_text(
        "# 标题\n\n第一段的第一行，\n接着写第二行。\n第二句在第三行。\n\n第二段。\n",
        encoding="utf-8",
    )
    (article,) = import_file(path).articles
    assert article.title == "标题"
    assert fx.paragraphs(article) == ["第一段的第一行，接着写第二行。第二句在第三行。", "第二段。"]


# --------------------------------------------------------------------------- property

_HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三"
_FINALS = ["。", "！", "？", "……", "。”", "！”", "？」", "。』", "…”"]
_SENTENCE = st.builds(
    lambda words, final: "，".join(words) + final,
    st.lists(st.text(_HAN, min_size=1, max_size=30), min_size=1, max_size=6),
    st.sampled_from(_FINALS),
)


@settings(max_examples=150, deadline=None)
@given(
    st.text(_HAN, min_size=1, max_size=20),
    st.lists(_SENTENCE, min_size=1, max_size=40),
)
def test_any_one_paragraph_per_line_text_keeps_its_title_and_lines(
    title: str, paragraphs: list[str]
) -> None:
    """Whatever the lengths, lines that all end a sentence are never joined,
    and the short first line is the title."""
    text = title + "\n" + "\n".join(paragraphs) + "\n"
    assert layout(text) == (title, [("h1", title), *(("p", p) for p in paragraphs)])


TALE = [
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was "
    "the age of foolishness, it was the epoch of belief, it was the epoch of incredulity.",
    "There were a king with a large jaw and a queen with a plain face, on the throne of "
    "England; there were a king with a large jaw and a queen with a fair face, on the "
    "throne of France.",
]


@pytest.mark.parametrize("width", [30, 40, 60, 72])
def test_english_wrapped_by_textwrap_with_blank_lines(width: int) -> None:
    """Ragged Latin lines (words kept whole) are a wrap; words join with one space."""
    import textwrap

    text = "A Tale of Two Cities\n\n" + "\n\n".join(textwrap.fill(p, width) for p in TALE)
    assert layout(text + "\n") == (
        "A Tale of Two Cities",
        [("h1", "A Tale of Two Cities"), *(("p", p) for p in TALE)],
    )
