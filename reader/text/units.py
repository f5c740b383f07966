"""Units of an article (paragraph, heading, sentence, word, character) as offsets.

A :class:`Document` answers the three questions navigation asks — which unit
is at this offset, which is the next or previous one, and where am I — from
character offsets alone.  Blocks and sentences are computed up front (a regular
expression over the text, fast even for a book); words are segmented lazily,
one sentence at a time, so opening a 600,000-character book never waits for
jieba.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from reader.library.article import Block

UnitKind = Literal["paragraph", "heading", "sentence", "word", "char"]
UNIT_KINDS: tuple[UnitKind, ...] = ("paragraph", "heading", "sentence", "word", "char")

# A sentence ends at Chinese or Western end punctuation (runs of it, e.g. "？！"
# or "……"), plus any closing quotes and brackets that follow, so that
# “……。” stays one sentence.  A Western full stop only ends a sentence when
# followed by a space or the end, so 1.1 and e.g. "U.S.A" do not split.
_CLOSERS = "”’」』）)》〉】〕\"'"
_SENTENCE_END_RE = re.compile(
    rf"(?:[。！？!?]+|…{{2,}}|\.{{3,}}|(?<![0-9])\.(?=\s|$))[{re.escape(_CLOSERS)}]*"
)
_SPACE_RE = re.compile(r"\s+")
# A number or Latin word that jieba may cut into several tokens ("1,000,000" ->
# 1 , 000 , 000; "12:30"; "don't"; full-width "２０２２" one token per digit;
# "-5℃" -> - 5 ℃; "22.5%").
# Its tokens are joined into one word, so word movement says the whole number
# and a bookmark label is never cut inside it.
_ALNUM = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ"
_RUN_RE = re.compile(
    rf"(?:(?<![{_ALNUM}])[-−+±](?=[0-9０-９]))?"  # a sign: 气温-5℃ is 零下五摄氏度, not 五
    rf"[{_ALNUM}]+(?:(?:[.:．：][0-9０-９]+|,[0-9]{{3}}(?![0-9])|['’][A-Za-z]+|-[{_ALNUM}]+)[{_ALNUM}]*)*"
    r"(?:(?<=[0-9０-９])[%％℃℉‰‱°])?"  # and a unit sign that belongs to the number
)
#: how long a bookmark label may be (characters) before it is cut at a word boundary
LABEL_LIMIT = 30


@functools.lru_cache(maxsize=4096)
def is_punctuation(text: str) -> bool:
    """True when ``text`` holds nothing a voice would say: punctuation, spaces, silent marks.

    Word movement passes over such tokens, the way NVDA and Orca move from word
    to word: a stop on "，" or "”" would be heard as silence, as if the key did
    nothing.  The test is the spoken form itself (every piece a pause), so a
    symbol that *is* read ("+" 加, "℃" 摄氏度, "①" 一) stays a word, while "，",
    "——", "……", quote marks, "●" and "#" do not.  Letters, digits and Han
    characters always make a word.  Empty text is not punctuation.
    """
    if not text or any(ch.isalnum() for ch in text):
        return False
    from reader.text.spoken import to_spoken

    return all(piece.kind == "pause" for piece in to_spoken(text).pieces)


class Unit(NamedTuple):
    """A span of the article's text; ``index`` counts units of the same kind from 0."""

    kind: UnitKind
    start: int
    end: int
    index: int


@dataclass(frozen=True)
class Position:
    """Where a reader is, in the terms "where am I" speaks."""

    offset: int
    paragraph: int  # 1-based
    paragraphs: int
    sentence: int  # 1-based, within the paragraph
    sentences: int  # in the paragraph
    sentence_in_article: int  # 1-based
    sentences_in_article: int
    percent: int
    heading: str  # the nearest heading at or before the position ("" if none)

    def describe(self, lang: str = "zh") -> str:
        if lang == "en":
            return (
                f"paragraph {self.paragraph} of {self.paragraphs}, "
                f"sentence {self.sentence} of {self.sentences}, {self.percent} percent"
            )
        return (
            f"第{self.paragraph}段，共{self.paragraphs}段，"
            f"第{self.sentence}句，共{self.sentences}句，百分之{self.percent}"
        )


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _SENTENCE_END_RE.finditer(text, start, end):
        _append_trimmed(text, pos, match.end(), spans)
        pos = match.end()
    _append_trimmed(text, pos, end, spans)
    return spans


def _join_runs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (token spans in ``text``) with the tokens of one number or Latin run joined."""
    runs = [m.span() for m in _RUN_RE.finditer(text) if m.end() - m.start() > 1]
    if not runs:
        return spans
    out: list[tuple[int, int]] = []
    ri = 0
    for a, b in spans:
        while ri < len(runs) and runs[ri][1] <= a:
            ri += 1
        if (
            out
            and ri < len(runs)
            and runs[ri][0] <= out[-1][0]
            and b <= runs[ri][1]
            and out[-1][1] == a
        ):
            out[-1] = (out[-1][0], b)  # same run, touching: one word
        else:
            out.append((a, b))
    return out


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))


class Document:
    """The units of one text, found by offset.

    ``blocks`` are the article's blocks; every block is a paragraph unit
    (headings and captions included, so paragraph navigation visits them) and
    heading blocks are also heading units.
    """

    def __init__(self, text: str, blocks: Sequence[Block]) -> None:
        self.text = text
        self.blocks = list(blocks)
        self._para_starts = [b.start for b in self.blocks]
        self.headings = [i for i, b in enumerate(self.blocks) if b.kind == "heading"]
        self._sentences: list[tuple[int, int]] = []
        self._sentence_block: list[int] = []
        self._block_first_sentence: list[int] = []
        for bi, block in enumerate(self.blocks):
            self._block_first_sentence.append(len(self._sentences))
            for span in split_sentences(text, block.start, block.end):
                self._sentences.append(span)
                self._sentence_block.append(bi)
        self._sent_starts = [s for s, _ in self._sentences]
        self._words: dict[int, list[tuple[int, int]]] = {}

    @classmethod
    def from_article(cls, article: object) -> Document:
        return cls(article.text, article.blocks)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, unit: Unit | tuple[int, int]) -> str:
        if isinstance(unit, Unit):
            return self.text[unit.start : unit.end]
        return self.text[unit[0] : unit[1]]

    def count(self, kind: UnitKind) -> int:
        if kind == "paragraph":
            return len(self.blocks)
        if kind == "heading":
            return len(self.headings)
        if kind == "sentence":
            return len(self._sentences)
        raise ValueError(f"counting {kind} units would segment the whole text")

    def sentences(self) -> list[Unit]:
        return [Unit("sentence", s, e, i) for i, (s, e) in enumerate(self._sentences)]

    def paragraph(self, index: int) -> Unit:
        b = self.blocks[index]
        return Unit("paragraph", b.start, b.end, index)

    def sentence(self, index: int) -> Unit:
        s, e = self._sentences[index]
        return Unit("sentence", s, e, index)

    def words_in_sentence(self, index: int) -> list[tuple[int, int]]:
        """Word spans of one sentence (whitespace dropped), segmented on first use.

        Punctuation tokens are included (line wrapping and ``unit_at`` need
        them); :meth:`next`, :meth:`prev`, :meth:`first` and :meth:`last` step
        over them (see :func:`is_punctuation`).
        """
        cached = self._words.get(index)
        if cached is None:
            from reader.text.segment import tokenize

            s, e = self._sentences[index]
            sentence = self.text[s:e]
            spans = [(a, b) for word, a, b in tokenize(sentence) if not word.isspace()]
            cached = [(s + a, s + b) for a, b in _join_runs(sentence, spans)]
            self._words[index] = cached
        return cached

    def label_at(self, offset: int, limit: int = LABEL_LIMIT) -> str:
        """A short label for a bookmark at ``offset``: the text there, cut between words.

        It runs from the start of the word at ``offset`` to the end of its
        sentence, or, if that is longer than ``limit`` characters, to the last
        word that ends within the limit, so it is never cut inside a word, a
        number ("截至 2022 年", not "截至 2") or a Latin word.  A first word
        longer than the limit is kept whole.  Between sentences (a block
        break) the label is the next sentence's start.
        """
        si = self._sentence_index(offset)
        if si is None:
            return ""
        if offset >= self._sentences[si][1] and si + 1 < len(self._sentences):
            si += 1
        s, e = self._sentences[si]
        offset = max(offset, s)
        if offset >= e:
            return ""
        words = self.words_in_sentence(si)
        start = next((a for a, b in words if a <= offset < b), offset)
        end = start
        for _a, b in words:
            if b <= start:
                continue
            if b - start > limit and end > start:
                break
            end = b
        return self.text[start:end]

    # ------------------------------------------------------------------ lookups

    def _block_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, offset) - 1)

    def _sentence_index(self, offset: int) -> int | None:
        """The sentence containing ``offset``, or the last one starting before it."""
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        return i if i >= 0 else (0 if self._sentences else None)

    def unit_at(self, kind: UnitKind, offset: int) -> Unit | None:
        """The unit of ``kind`` containing ``offset``.

        Between units (a space, a block break) the answer is the unit just
        before, so a caret never falls into nothing; before the first unit it
        is the first unit.
        """
        if not self.text or not self.blocks:
            return None
        offset = max(0, min(offset, len(self.text) - 1))
        if kind == "paragraph":
            return self.paragraph(self._block_index(offset))
        if kind == "heading":
            if not self.headings:
                return None
            bi = self._block_index(offset)
            h = bisect.bisect_right(self.headings, bi) - 1
            h = max(h, 0)
            b = self.blocks[self.headings[h]]
            return Unit("heading", b.start, b.end, h)
        if kind == "sentence":
            si = self._sentence_index(offset)
            return None if si is None else self.sentence(si)
        if kind == "word":
            si = self._sentence_index(offset)
            if si is None:
                return None
            words = self.words_in_sentence(si)
            if not words:
                return None
            wi = max(0, bisect.bisect_right([a for a, _ in words], offset) - 1)
            return Unit("word", words[wi][0], words[wi][1], wi)
        if kind == "char":
            while offset > 0 and self.text[offset] == "\n":
                offset -= 1
            return Unit("char", offset, offset + 1, offset)
        raise ValueError(f"unknown unit kind {kind!r}")

    def next(self, kind: UnitKind, offset: int) -> Unit | None:
        """The first unit of ``kind`` that starts after the one at ``offset``."""
        return self._step(kind, offset, +1)

    def prev(self, kind: UnitKind, offset: int) -> Unit | None:
        """The last unit of ``kind`` that starts before the one at ``offset``."""
        return self._step(kind, offset, -1)

    def _step(self, kind: UnitKind, offset: int, direction: int) -> Unit | None:
        here = self.unit_at(kind, offset)
        if here is None:
            return None
        if kind == "paragraph":
            j = here.index + direction
            return self.paragraph(j) if 0 <= j < len(self.blocks) else None
        if kind == "heading":
            # Like NVDA's h / shift+h: from body text, "previous" is the heading of
            # the section one is in; from a heading itself, the one before it.
            if here.start > offset:  # before the first heading
                j = here.index if direction > 0 else -1
            elif direction < 0 and offset >= here.end:
                j = here.index
            else:
                j = here.index + direction
            if 0 <= j < len(self.headings):
                b = self.blocks[self.headings[j]]
                return Unit("heading", b.start, b.end, j)
            return None
        if kind == "sentence":
            j = here.index + direction
            return self.sentence(j) if 0 <= j < len(self._sentences) else None
        if kind == "word":
            si = self._sentence_index(offset)
            assert si is not None
            return self._word_from(si, here.index + direction, direction)
        if kind == "char":
            j = here.start + direction
            while 0 <= j < len(self.text) and self.text[j] == "\n":
                j += direction
            return Unit("char", j, j + 1, j) if 0 <= j < len(self.text) else None
        raise ValueError(f"unknown unit kind {kind!r}")

    def _word_from(self, si: int, j: int, direction: int) -> Unit | None:
        """The first word that is not punctuation at or after word ``j`` of sentence ``si``.

        "After" is in ``direction``; the search crosses sentences (and so
        paragraphs), and ends with None at the edge of the text.
        """
        words = self.words_in_sentence(si)
        while True:
            while 0 <= j < len(words):
                a, b = words[j]
                if not is_punctuation(self.text[a:b]):
                    return Unit("word", a, b, j)
                j += direction
            si += direction
            if not (0 <= si < len(self._sentences)):
                return None
            words = self.words_in_sentence(si)
            j = 0 if direction > 0 else len(words) - 1

    def first(self, kind: UnitKind) -> Unit | None:
        """The first unit of ``kind``; for words, the first that is not punctuation."""
        if kind == "word":
            return self._word_from(0, 0, +1) if self.text and self._sentences else None
        return self.unit_at(kind, 0)

    def last(self, kind: UnitKind) -> Unit | None:
        """The last unit of ``kind``; for words, the last that is not punctuation."""
        if kind == "word":
            if not self.text or not self._sentences:
                return None
            si = len(self._sentences) - 1
            return self._word_from(si, len(self.words_in_sentence(si)) - 1, -1)
        return self.unit_at(kind, len(self.text) - 1)

    # ------------------------------------------------------------------ where am I

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, max(0, len(self.text) - 1)))
        bi = self._block_index(offset) if self.blocks else 0
        si = self._sentence_index(offset)
        first = self._block_first_sentence[bi] if self.blocks else 0
        following = (
            self._block_first_sentence[bi + 1]
            if bi + 1 < len(self._block_first_sentence)
            else len(self._sentences)
        )
        sentence_in_block = (si - first + 1) if si is not None and si >= first else 1
        heading = self.unit_at("heading", offset)
        return Position(
            offset=offset,
            paragraph=bi + 1,
            paragraphs=len(self.blocks),
            sentence=sentence_in_block,
            sentences=max(1, following - first),
            sentence_in_article=(si or 0) + 1,
            sentences_in_article=len(self._sentences),
            percent=round(100 * offset / max(1, len(self.text) - 1)) if self.text else 0,
            heading=self.span_text(heading) if heading else "",
        )
