"""Property tests: any text, any width, any options — the layout keeps its promises."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.layout import LayoutOptions, layout_block
from reader.layout.wrap import CLOSING, OPENING

ALPHABET = "银行发布了报告中国人一二三，。、；：？！“”《》（）……——abcXYZ0129 ,.!?()"

texts = st.text(alphabet=ALPHABET, min_size=0, max_size=80)
options = st.builds(
    LayoutOptions,
    width=st.integers(2, 40),
    letter_spacing=st.booleans(),
    indent=st.integers(0, 6),
)


def fake_readings(text: str):
    return [(("zhuang" if i % 3 else "a") + "", 1 + i % 5) if "\u4e00" <= ch <= "\u9fff" else None
            for i, ch in enumerate(text)]


@settings(max_examples=300, deadline=None)
@given(text=texts, opts=options, ruby=st.booleans(), prefix=st.integers(0, 5))
def test_layout_invariants(text, opts, ruby, prefix):
    full = "前" * prefix + text
    start, end = prefix, len(full)
    if ruby:
        opts = LayoutOptions(opts.width, opts.letter_spacing, opts.indent, pinyin="all")
    readings = fake_readings(text) if ruby else None
    lines = layout_block(full, start, end, opts, None, readings)
    assert lines and lines[0].start == start and lines[-1].end == end
    for a, b in itertools.pairwise(lines):
        assert a.end == b.start and a.start < a.end
    drawn = [c.offset for line in lines for c in line.cells if not c.text.isspace()]
    assert drawn == [i for i in range(start, end) if not full[i].isspace()]
    for i, line in enumerate(lines):
        if opts.width >= 6 + opts.indent or (i > 0 and opts.width >= 6):
            assert line.width <= opts.width
        for c1, c2 in zip(line.cells, line.cells[1:], strict=False):
            assert c2.col >= c1.col + c1.width
        cols = {c.offset: c.col for c in line.cells}
        for r in line.ruby:
            assert r.col == cols[r.offset]
        for r1, r2 in zip(line.ruby, line.ruby[1:], strict=False):
            assert r1.col + r1.width < r2.col


phrases = st.lists(
    st.tuples(
        st.sampled_from(["", "“", "《", "（"]),
        st.text(alphabet="一二三四五六七八九十", min_size=1, max_size=4),
        st.sampled_from(["", "”", "》", "）"]),
        st.sampled_from(["", "，", "。", "、", "！"]),
    ).map("".join),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=phrases, width=st.integers(8, 30), spacing=st.booleans())
def test_kinsoku_holds_on_realistic_punctuation(text, width, spacing):
    """With at most one bracket and one mark around each phrase, every glued unit fits."""
    lines = layout_block(text, 0, len(text), LayoutOptions(width=width, letter_spacing=spacing))
    for i, line in enumerate(lines):
        glyphs = [c.text for c in line.cells]
        assert glyphs
        if i > 0:
            assert glyphs[0] not in CLOSING, [ln.text for ln in lines]
        if i < len(lines) - 1:
            assert glyphs[-1] not in OPENING, [ln.text for ln in lines]
