"""The repair pipeline: its rules one by one, and properties over any input."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.repair import (
    RawBlock,
    blocks_from_text,
    ends_sentence,
    join_pair,
    normalize_width,
    repair,
    strip_controls,
    trailing_byline,
)


def run(text: str, **kwargs: object):  # type: ignore[no-untyped-def]
    drafts, report = repair(blocks_from_text(text), **kwargs)  # type: ignore[arg-type]
    return drafts, report


# --------------------------------------------------------------------------- rules


def test_join_pair_spacing() -> None:
    assert join_pair("听图购", "物；达摩院") == "听图购物；达摩院"
    assert join_pair("quick brown", "fox") == "quick brown fox"
    assert join_pair("为 12 省 100", "个县", spaced=True) == "为 12 省 100 个县"
    assert join_pair("为12省100", "个县", spaced=False) == "为12省100个县"
    assert join_pair("“上", "海领养日”", spaced=True) == "“上海领养日”"


def test_ends_sentence_allows_closing_quotes_and_bylines() -> None:
    assert ends_sentence("做点事儿。”")
    assert ends_sentence("欣赏影视艺术……")
    assert ends_sentence("间接受益数万人。(皮磊)")
    assert not ends_sentence("为盲校孩子提供有声杂志")
    assert not ends_sentence("个县(区)")
    assert trailing_byline("数万人。(皮磊)") == ("数万人。", "皮磊")
    assert trailing_byline("建设阿里巴巴(太行)数字") is None


def test_width_only_in_chinese_context() -> None:
    assert (
        normalize_width("近日,阿里巴巴;效果:帮助(太行)好?是!")[0]
        == "近日，阿里巴巴；效果：帮助（太行）好？是！"
    )
    assert normalize_width("12:30, 1,000 and http://x.org/?a=1 (ok)")[0] == (
        "12:30, 1,000 and http://x.org/?a=1 (ok)"
    )
    assert normalize_width("个县(区)1335 “联盟”,让")[0] == "个县（区）1335 “联盟”，让"


def test_strip_controls_removes_escapes_and_counts_them() -> None:
    text, removed = strip_controls("a\x1b[31mb\x1b[0m\x00c\u202ed\x9b1mE\tf")
    assert text == "abcdE f"
    assert removed == len("\x1b[31m\x1b[0m\x00\u202e\x9b1m")


def test_cut_paragraph_with_caption_between_the_halves() -> None:
    drafts, report = run(
        "标题在这里\n\n第一段完整的话。\n\n第二段说到一半的时候被\n\n\n\n图片说明文字\n\n切开了，然后继续。\n"
    )
    (draft,) = drafts
    assert draft.parts == [
        ("heading", 1, "标题在这里"),
        ("paragraph", 0, "第一段完整的话。"),
        ("paragraph", 0, "第二段说到一半的时候被切开了，然后继续。"),
        ("caption", 0, "图片说明文字"),
    ]
    assert report.counts["captions"] == 1 and report.counts["cuts"] == 1


def test_caption_marker_line_is_a_caption() -> None:
    (draft,), _ = run("标题\n\n正文第一段。\n\n图为志愿者在现场\n\n正文第二段。\n")
    assert ("caption", 0, "图为志愿者在现场") in draft.parts


def test_articles_split_after_byline_with_kicker_and_title() -> None:
    drafts, report = run(
        "引题一\n\n主标题一\n\n正文一。(张三)\n\n引题二\n\n主标题二\n\n正文二。(李四)\n"
    )
    assert [(d.title, d.subtitle, d.author) for d in drafts] == [
        ("主标题一", "引题一", "张三"),
        ("主标题二", "引题二", "李四"),
    ]
    assert drafts[0].parts == [
        ("heading", 1, "主标题一"),
        ("heading", 2, "引题一"),
        ("paragraph", 0, "正文一。"),
    ]
    assert report.counts["articles"] == 2 and report.counts["bylines"] == 2


def test_headline_after_blank_lines_starts_a_story_after_a_page_break_a_section() -> None:
    stories, _ = run("标题一\n\n第一篇的正文。\n\n\n\n标题二\n\n第二篇的正文。\n")
    assert [(d.title, d.parts[1:]) for d in stories] == [
        ("标题一", [("paragraph", 0, "第一篇的正文。")]),
        ("标题二", [("paragraph", 0, "第二篇的正文。")]),
    ]
    paged = "书名\n\n第一页的正文。\n\f小节标题\n\n第二页的正文。\n"
    (one,), _ = run(paged)
    assert ("heading", 2, "小节标题") in one.parts and one.title == "书名"
    two, _ = run(paged, split=True)
    assert [d.title for d in two] == ["书名", "小节标题"]


def test_a_short_cut_paragraph_start_is_not_a_headline() -> None:
    (draft,), _ = run("标题\n\n上一段。\n\n据团队负责人\n\n介绍，今年开始。\n")
    assert draft.parts[-1] == ("paragraph", 0, "据团队负责人介绍，今年开始。")


def test_leading_byline_line_becomes_author() -> None:
    (draft,), report = run("一个标题\n\n记者 王小明\n\n正文。\n")
    assert draft.author == "王小明"
    assert all("王小明" not in text for _, _, text in draft.parts)
    assert report.moved == ["记者 王小明"]


def test_sure_blocks_are_never_joined_or_reclassified() -> None:
    blocks = [
        RawBlock("heading", "标题", 1, sure=True),
        RawBlock("paragraph", "代码块没有句号", sure=True),
        RawBlock("paragraph", "另一段。"),
    ]
    (draft,), _ = repair(blocks)
    assert draft.parts == [
        ("heading", 1, "标题"),
        ("paragraph", 0, "代码块没有句号"),
        ("paragraph", 0, "另一段。"),
    ]


def test_hard_wrap_keeps_paragraph_breaks_at_short_lines_and_indents() -> None:
    text = (
        "　　这是第一段的第一行文字很长很长很长\n这是第一段的第二行。\n"
        "　　这是第二段的第一行文字很长很长很长\n这是第二段结束了。\n"
    )
    (draft,), _ = run(text)
    assert [t for k, _, t in draft.parts if k == "paragraph"] == [
        "这是第一段的第一行文字很长很长很长这是第一段的第二行。",
        "这是第二段的第一行文字很长很长很长这是第二段结束了。",
    ]


def test_rich_markup_survives_repair_literally() -> None:
    (draft,), _ = run("[bold]粗体[/bold]和[link=http://a.b]链接[/link]。\n")
    assert draft.parts == [("paragraph", 0, "[bold]粗体[/bold]和[link=http://a.b]链接[/link]。")]


def test_opencc_conversion_is_optional_and_reported() -> None:
    (plain,), _ = run("漢字與簡體。\n")
    assert plain.parts[0][2] == "漢字與簡體。"
    (simple,), report = run("漢字與簡體。\n", convert="t2s")
    assert simple.parts[0][2] == "汉字与简体。"
    assert report.counts["opencc"] == 4


# --------------------------------------------------------------------------- properties

_PIECES = st.one_of(
    st.sampled_from(
        list(
            "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三"
        )
    ),
    st.sampled_from(list("。，、；：？！“”（）,.;:()?!…——")),
    st.sampled_from(["\n", "\n\n", "\n\n\n\n", " ", "\f", "　"]),
    st.sampled_from(["2022", "100", " 12 ", "OCR", "nihao00", "[bold]", "[/]", "[link=x]"]),
    st.sampled_from(["\x1b[31m", "\x1b[0m", "\x1b]0;t\x07", "\x00", "\x07", "\u202e", "\x9b2J"]),
    st.sampled_from(["(皮磊)", "（李庆）", "记者 王小明", "图为", "▲"]),
    st.text(max_size=3),
)
TEXTS = st.lists(_PIECES, max_size=60).map("".join)
_NARROW = str.maketrans("，；：？！（）", ",;:?!()")


def _chars(text: str) -> str:
    return "".join(text.split()).translate(_NARROW)


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.booleans())
def test_repair_never_crashes_loses_or_reorders_text(text: str, split: bool) -> None:
    report_blocks = blocks_from_text(text)
    drafts, report = repair(report_blocks, split=split)
    kept = _chars(strip_controls(text)[0])
    out_all = "".join(t for d in drafts for _, _, t in d.parts)
    # Nothing lost: every kept character is in the body or moved to an author.
    assert Counter(_chars(out_all + "".join(report.moved))) == Counter(kept)
    # Nothing reordered, except the documented moves: captions go after the
    # paragraph they interrupted and a kicker goes after its title.
    body = "".join(
        t
        for d in drafts
        for k, level, t in d.parts
        if k != "caption" and not (k == "heading" and level == 2 and t == d.subtitle)
    )
    assert _is_subsequence(_chars(body), kept)
    for d in drafts:
        for kind, _, part in d.parts:
            assert part == part.strip() and "\n" not in part
            if kind == "caption":
                assert _chars(part) in kept
        assert "\x1b" not in d.title + d.author + d.subtitle


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_text_repairs_without_error(text: str) -> None:
    import unicodedata

    drafts, _ = repair(blocks_from_text(text))
    for draft in drafts:
        for _, _, part in draft.parts:
            assert not any(unicodedata.category(ch) == "Cc" for ch in part)


def test_book_text_one_paragraph_per_indented_line_with_chapters() -> None:
    text = (
        "红楼梦\n\n第一回　甄士隐梦幻识通灵\n\n"
        "　　此开卷第一回也。作者自云：因曾历过一番梦幻之后。\n"
        "　　故曰“甄士隐”云云。\n"
        "第二回　贾夫人仙逝扬州城\n"
        "　　却说封肃因听见公差传唤，忙出来\n陪笑启问。\n"
    )
    (book,), report = run(text)
    assert book.title == "红楼梦" and not book.subtitle
    assert book.parts[1:] == [
        ("heading", 2, "第一回 甄士隐梦幻识通灵"),
        ("paragraph", 0, "此开卷第一回也。作者自云：因曾历过一番梦幻之后。"),
        ("paragraph", 0, "故曰“甄士隐”云云。"),
        ("heading", 2, "第二回 贾夫人仙逝扬州城"),
        ("paragraph", 0, "却说封肃因听见公差传唤，忙出来陪笑启问。"),
    ]
    assert report.counts["headings"] == 2
    chapters, _ = run(text, split=True)
    assert [d.title for d in chapters] == ["红楼梦", "第二回 贾夫人仙逝扬州城"]


def test_the_first_paragraph_of_a_text_can_be_cut_too() -> None:
    first = "这是没有标题的文本的第一段，它写得很长很长，长到不可能是一个标题的地步，然后被"
    (draft,), _ = run(f"{first}\n\n切开了。\n\n第二段。\n")
    assert draft.parts == [("paragraph", 0, first + "切开了。"), ("paragraph", 0, "第二段。")]


def test_headlines_may_hold_commas_and_colons() -> None:
    (draft,), _ = run("专访：视障工程师\n\n你好，叶小姐\n\n正文第一段。\n")
    assert (draft.title, draft.subtitle) == ("专访：视障工程师", "你好，叶小姐")


def test_a_single_article_takes_its_first_headline_line_as_the_title() -> None:
    """A librarian's file: title first, subtitle below (the document convention)."""
    (draft,), _ = run("测试GBK标题\n\n落叶艺术公益展\n\n正文第一段。\n\n正文第二段。\n")
    assert (draft.title, draft.subtitle) == ("测试GBK标题", "落叶艺术公益展")
    assert draft.parts[:2] == [("heading", 1, "测试GBK标题"), ("heading", 2, "落叶艺术公益展")]
    (three,), _ = run("主标题\n\n副标题一\n\n副标题二\n\n正文。（张三）\n")
    assert (three.title, three.subtitle, three.author) == ("主标题", "副标题一 副标题二", "张三")


def test_a_newspaper_page_takes_the_line_after_the_kicker_as_the_title() -> None:
    """Stories cut at story boundaries: kicker (引题) above, main title, deck (副题) below."""
    page = "引题一\n\n主题一\n\n副题一\n\n正文一。(张三)\n\n引题二\n\n主题二\n\n正文二。(李四)\n"
    drafts, _ = run(page)
    assert [(d.title, d.subtitle) for d in drafts] == [
        ("主题一", "引题一 副题一"),
        ("主题二", "引题二"),
    ]
    # Blank lines after a finished story separate stories as a byline does.
    gaps, _ = run("引题一\n\n主题一\n\n正文一。\n\n\n\n引题二\n\n主题二\n\n正文二。\n")
    assert [(d.title, d.subtitle) for d in gaps] == [("主题一", "引题一"), ("主题二", "引题二")]


def test_articles_cut_only_by_split_are_documents() -> None:
    """Chapters that ``split`` separates are not a newspaper page: first line is the title."""
    book = "书名\n\n副书名\n\n第一页的正文。\n\f小节标题\n\n小节副标题\n\n第二页的正文。\n"
    drafts, _ = run(book, split=True)
    assert [(d.title, d.subtitle) for d in drafts] == [
        ("书名", "副书名"),
        ("小节标题", "小节副标题"),
    ]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_width_normalization_changes_only_the_seven_marks(text: str) -> None:
    wide, changed = normalize_width(text)
    assert len(wide) == len(text)
    diffs = [(a, b) for a, b in zip(text, wide, strict=True) if a != b]
    assert len(diffs) == changed
    assert all(
        b == {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}[a]
        for a, b in diffs
    )
    assert normalize_width(wide)[0] == wide  # idempotent


_BLOCKS = st.lists(
    st.builds(
        RawBlock,
        kind=st.sampled_from(["paragraph", "paragraph", "heading", "caption"]),
        text=TEXTS,
        level=st.integers(0, 6),
        gap=st.integers(0, 4),
        page_break=st.booleans(),
        sure=st.booleans(),
        role=st.sampled_from(["", "", "", "title", "subtitle", "author"]),
        continues=st.booleans(),
        captionable=st.booleans(),
        may_be_heading=st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BLOCKS, st.booleans())
def test_repair_of_any_blocks_from_any_format_keeps_text_in_order(
    blocks: list[RawBlock], split: bool
) -> None:
    kept = _chars("".join(strip_controls(b.text)[0] for b in blocks))
    drafts, report = repair(blocks, split=split)
    out_all = "".join(t for d in drafts for _, _, t in d.parts)
    assert Counter(_chars(out_all + "".join(report.moved))) == Counter(kept)
    body = "".join(
        t
        for d in drafts
        for k, level, t in d.parts
        if k != "caption" and not (k == "heading" and level == 2 and t == d.subtitle)
    )
    assert _is_subsequence(_chars(body), kept)
