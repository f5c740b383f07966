"""Speech as data: what each utterance will say, in which voice, for which source text.

An :class:`Utterance` is normally one sentence.  It holds *segments* — runs of
one language for one voice (Mandarin as tone-numbered pinyin for espeak-ng's
``cmn-latn-pinyin``, Latin words for an English voice, letters to spell,
pauses) — and *word marks*: the source span of every word, in speaking order.
A driver renders the utterance into its engine's text and puts an index mark
in front of each word; when the engine reaches mark *i*, the manager reports
word *i*'s source span, so the caret follows the voice without the driver
knowing anything about the article.

Because a plan is plain data it can be printed (``reader say --show``),
compared in tests and rebuilt from any word when reading resumes or the voice
changes.

The Mandarin pipeline uses ``reader.text.spoken.to_spoken`` (numbers, dates,
symbols → words) and ``reader.text.pinyin.char_readings`` (word-context
readings and the lexicon).  Both are imported lazily; while they are missing,
a plain fallback (pypinyin readings, a regular expression for Latin words)
keeps speech working.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reader.text.units import split_sentences

SegmentKind = Literal["zh", "latin", "spell", "pause"]

#: Pause lengths for punctuation, in ms, when a piece of kind "pause" has no length of its own.
PAUSE_MS = {
    "，": 150, ",": 150, "、": 100, "；": 200, ";": 200, "：": 150, ":": 150,
    "。": 300, ".": 300, "！": 300, "!": 300, "？": 300, "?": 300, "…": 300,
    "—": 150, "－": 100, "(": 80, "（": 80, ")": 80, "）": 80,
}  # fmt: skip
DEFAULT_PAUSE_MS = 120


@dataclass(frozen=True, slots=True)
class Word:
    """One word as spoken (``engine`` text) and where it came from (source offsets)."""

    engine: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one kind, spoken by one voice; ``pause_ms`` only for pauses."""

    kind: SegmentKind
    lang: str  # "zh" or "en"; what voice the profile picks for it
    start: int
    end: int
    words: tuple[Word, ...] = ()
    pause_ms: int = 0

    @property
    def engine_text(self) -> str:
        return " ".join(w.engine for w in self.words if w.engine)


@dataclass(frozen=True, slots=True)
class Utterance:
    """What one queue entry says; ``start:end`` is its span of ``source``."""

    id: int
    source: str = field(repr=False)
    start: int
    end: int
    segments: tuple[Segment, ...]
    #: the language of the words around its numbers: "en" for English interface text
    lang: str = "zh"

    @property
    def text(self) -> str:
        return self.source[self.start : self.end]

    def words(self) -> list[Word]:
        """Every word, in speaking order; mark *i* of a rendered utterance is word *i*."""
        return [w for seg in self.segments for w in seg.words]

    @property
    def spoken_chars(self) -> int:
        """How much there is to say: used by the silent driver for realistic timing."""
        return sum(len(w.engine) + 1 for w in self.words())


@dataclass(frozen=True, slots=True)
class PlanStyle:
    """How Mandarin is handed to the engine.

    ``script="pinyin"`` for voices that read tone-numbered pinyin (espeak-ng
    ``cmn-latn-pinyin``); ``script="hanzi"`` for voices that read characters
    natively (SAPI Huihui, macOS Tingting); ``primary`` is the language of the
    main voice, so English profiles read English text with their own voice.
    """

    script: Literal["pinyin", "hanzi"] = "pinyin"
    primary: str = "zh"


# ---------------------------------------------------------------------------- pieces

_HAN = r"\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_FALLBACK_RE = re.compile(
    rf"(?P<zh>[{_HAN}〇]+)|(?P<latin>[A-Za-z][A-Za-z'’]*|[0-9]+(?:[.,][0-9]+)*%?)|(?P<pause>[^\s{_HAN}A-Za-z0-9])"
)


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    start: int
    end: int
    kind: str


_HAN_RE = re.compile(f"[{_HAN}〇]")


def _in_english(pieces: list, source: str) -> list:
    """English interface text: its numbers and symbols go to the English voice.

    The spoken-form layer reads every number in Mandarin ("paragraph 1 of 15"
    -> 一, 十五).  In an English sentence a number between English words is
    handed over as written, and the English voice says "one", "fifteen",
    "30 percent".  A number next to Chinese words (an article's title inside
    the announcement: "截至 2022 年") stays Mandarin.  Only whitespace may
    lie between a number and the word that decides; punctuation ends the look.
    """

    def chinese(piece) -> bool:
        return piece.kind == "zh" and bool(_HAN_RE.search(source[piece.start : piece.end]))

    def neighbour(i: int, step: int):
        j = i + step
        while 0 <= j < len(pieces):
            piece = pieces[j]
            if piece.kind != "pause":
                return piece
            if piece.text.strip():
                return None  # punctuation: the number stands alone on this side
            j += step
        return None

    out = []
    for i, piece in enumerate(pieces):
        if piece.kind == "zh" and not chinese(piece):
            sides = (neighbour(i, -1), neighbour(i, 1))
            if not any(side is not None and chinese(side) for side in sides):
                written = unicodedata.normalize("NFKC", source[piece.start : piece.end]).strip()
                if written:
                    piece = _Piece(written, piece.start, piece.end, "latin")
        out.append(piece)
    return out


def _pieces(source: str, start: int, end: int, lang: str = "zh") -> list:
    """Spoken pieces of ``source[start:end]`` (the spoken-form layer, or the fallback)."""
    text = source[start:end]
    try:
        from reader.text.spoken import to_spoken
    except ImportError:
        to_spoken = None
    if to_spoken is not None:
        pieces = list(to_spoken(text, start).pieces)
        return _in_english(pieces, source) if lang == "en" else pieces
    out: list[_Piece] = []
    for m in _FALLBACK_RE.finditer(text):
        kind = m.lastgroup or "pause"
        piece = m.group()
        if kind == "latin" and piece.isalpha() and piece.isupper() and len(piece) <= 5:
            kind = "spell"
        out.append(_Piece(piece, start + m.start(), start + m.end(), kind))
    return out


def _readings(text: str) -> list[str | None]:
    """Tone-numbered syllable per character (None for non-Han)."""
    try:
        from reader.text.pinyin import char_readings
    except ImportError:
        char_readings = None
    if char_readings is not None:
        try:
            return list(char_readings(text, sandhi=True))  # tones as spoken (一, 不)
        except TypeError:
            return list(char_readings(text))
    from pypinyin import Style, pinyin

    out: list[str | None] = []
    for word, _a, _b in _tokenize(text):
        got = pinyin(
            word, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [[None]] * len(s)
        )  # type: ignore[list-item]
        syllables = [g[0] for g in got]
        if len(syllables) != len(word):
            syllables = [None] * len(word)
        out.extend(s if s and s[-1:].isdigit() else None for s in syllables)
    return out


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    from reader.text.segment import tokenize

    return list(tokenize(text))


# ---------------------------------------------------------------------------- building


def _zh_segment(piece, style: PlanStyle) -> Segment:
    text: str = piece.text
    aligned = len(text) == piece.end - piece.start  # characters passed through unchanged
    readings = _readings(text) if style.script == "pinyin" else [None] * len(text)
    words: list[Word] = []
    for word, a, b in _tokenize(text):
        if word.isspace():
            continue
        if style.script == "pinyin":
            syllables = [r for r in readings[a:b] if r]
            engine = " ".join(syllables)
        else:
            engine = word
        if not engine:
            continue
        if aligned:
            words.append(Word(engine, piece.start + a, piece.start + b))
        else:
            words.append(Word(engine, piece.start, piece.end))
    return Segment("zh", "zh", piece.start, piece.end, tuple(words))


def _latin_segment(piece) -> Segment:
    words = []
    for m in re.finditer(r"\S+", piece.text):
        aligned = len(piece.text) == piece.end - piece.start
        s, e = (
            (piece.start + m.start(), piece.start + m.end())
            if aligned
            else (piece.start, piece.end)
        )
        words.append(Word(m.group(), s, e))
    return Segment("latin", "en", piece.start, piece.end, tuple(words))


def _spell_segment(piece) -> Segment:
    letters = " ".join(ch for ch in piece.text if not ch.isspace())
    return Segment("spell", "en", piece.start, piece.end, (Word(letters, piece.start, piece.end),))


def _pause_segment(piece) -> Segment:
    ms = getattr(piece, "pause_ms", None) or PAUSE_MS.get(piece.text.strip()[:1], DEFAULT_PAUSE_MS)
    return Segment("pause", "", piece.start, piece.end, (), int(ms))


def plan_span(
    source: str, start: int, end: int, uid: int, style: PlanStyle = PlanStyle(), lang: str = "zh"
) -> Utterance:
    """One utterance for ``source[start:end]`` (no sentence splitting).

    ``lang="en"`` plans English interface text: its numbers are said in English.
    """
    segments: list[Segment] = []
    for piece in _pieces(source, start, end, lang):
        kind = piece.kind
        if kind == "zh":
            seg = _zh_segment(piece, style)
        elif kind == "latin":
            seg = _latin_segment(piece)
        elif kind == "spell":
            seg = _spell_segment(piece)
        else:
            if not piece.text.strip():
                continue  # a space between words: the voices pause by themselves
            seg = _pause_segment(piece)
        if seg.kind != "pause" and not seg.words:
            continue
        if segments and seg.kind == "pause" and segments[-1].kind == "pause":
            prev = segments[-1]
            seg = Segment("pause", "", prev.start, seg.end, (), max(prev.pause_ms, seg.pause_ms))
            segments[-1] = seg
            continue
        if segments and seg.kind == segments[-1].kind and seg.kind in ("zh", "latin"):
            prev = segments[-1]
            segments[-1] = Segment(
                prev.kind, prev.lang, prev.start, seg.end, prev.words + seg.words
            )
            continue
        segments.append(seg)
    while segments and segments[-1].kind == "pause":  # the engine ends a sentence by itself
        segments.pop()
    while segments and segments[0].kind == "pause":
        segments.pop(0)
    return Utterance(uid, source, start, end, tuple(segments), lang)


def sentence_spans(source: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans to speak; blocks (lines) never run together."""
    end = len(source) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for line in source[start:end].split("\n"):
        spans.extend(split_sentences(source, pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def plan_text(
    source: str,
    start: int = 0,
    end: int | None = None,
    *,
    style: PlanStyle = PlanStyle(),
    first_id: int = 1,
    lang: str = "zh",
) -> list[Utterance]:
    """Utterances (one per sentence) for ``source[start:end]``."""
    return list(
        iter_plan(
            sentence_spans(source, start, end), source, style=style, first_id=first_id, lang=lang
        )
    )


def iter_plan(
    spans: Sequence[tuple[int, int]] | Iterator[tuple[int, int]],
    source: str,
    *,
    style: PlanStyle = PlanStyle(),
    first_id: int = 1,
    lang: str = "zh",
) -> Iterator[Utterance]:
    """Utterances built lazily, so say-all over a book plans one sentence at a time."""
    uid = first_id
    for s, e in spans:
        utt = plan_span(source, s, e, uid, style, lang)
        if utt.segments:
            yield utt
            uid += 1


def warm_up() -> None:
    """Load the segmenter and pinyin tables now, so the first utterance is not 0.5 s late."""
    try:
        from reader.text import pinyin as _pinyin

        getattr(_pinyin, "warm_up", lambda: None)()
    except ImportError:
        pass
    plan_text("银行行长说OK，好。")


def render_plain(utterance: Utterance, settings: object = None) -> str:
    """Plain text for engines without index marks (pinyin or characters, letters spaced)."""
    parts = []
    for seg in utterance.segments:
        if seg.kind == "pause":
            parts.append("，" if seg.pause_ms < 250 else "。")
        else:
            parts.append(seg.engine_text)
    return " ".join(p for p in parts if p)
