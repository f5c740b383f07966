"""Spelling a character the way Chinese screen readers do: 行 → "行，xíng，行走的行".

A listener cannot see which 行 (or 形, 型, 刑 …) is meant; a common word
containing it settles it.  The word is the most frequent two-character word
in jieba's dictionary that contains the character *with the same reading*, so
银行's 行 is spelled "行，háng，银行的行" and 行走's "行，xíng，行走的行".

:func:`spell_plan` builds the utterance with the readings fixed: the
character, its syllable and the word are handed to espeak-ng as the exact
tone-numbered pinyin, never re-guessed from characters out of context.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections import defaultdict

from reader.speech.plan import Segment, Utterance, Word

_lock = threading.Lock()
_index: dict[str, list[tuple[int, str]]] | None = None
_cache: dict[tuple[str, str | None], str] = {}


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def _dictionary_path() -> str | None:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(next(iter(spec.submodule_search_locations)), "dict.txt")
    return path if os.path.exists(path) else None


def _load_index() -> dict[str, list[tuple[int, str]]]:
    """Character → two-character words containing it, most frequent first (built once)."""
    global _index
    with _lock:
        if _index is not None:
            return _index
        index: dict[str, list[tuple[int, str]]] = defaultdict(list)
        path = _dictionary_path()
        if path is not None:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    parts = line.split()
                    if len(parts) < 2 or len(parts[0]) != 2:
                        continue
                    word = parts[0]
                    if not (_is_han(word[0]) and _is_han(word[1])):
                        continue
                    try:
                        freq = int(parts[1])
                    except ValueError:
                        continue
                    if freq < 50:
                        continue
                    for ch in set(word):
                        index[ch].append((freq, word))
        for words in index.values():
            words.sort(key=lambda fw: (-fw[0], fw[1]))
        _index = dict(index)
        return _index


def reading_of(ch: str) -> str | None:
    """The character's reading on its own (tone-numbered), or None for non-Han."""
    return _readings(ch)[0] if ch else None


def _readings(text: str) -> list[str | None]:
    from reader.speech.plan import _readings as plan_readings

    return plan_readings(text)


def example_word(ch: str, reading: str | None = None) -> str:
    """A common word containing ``ch`` read as ``reading`` ("行", "xing2" → "行走"); "" if none."""
    if len(ch) != 1 or not _is_han(ch):
        return ""
    key = (ch, reading)
    if key in _cache:
        return _cache[key]
    found = ""
    candidates = _load_index().get(ch, [])[:40]
    for _freq, word in candidates:
        if reading is None:
            found = word
            break
        readings = _readings(word)
        position = word.index(ch)
        if readings[position] == reading:
            found = word
            break
    _cache[key] = found
    return found


def marked(syllable: str) -> str:
    """``xing2`` → ``xíng`` (numbers when the pinyin module is not available)."""
    try:
        from reader.text.pinyin import format_syllable

        return format_syllable(syllable, "marks")
    except (ImportError, ValueError):
        return syllable


def spell_text(ch: str, reading: str | None = None, lang: str = "zh") -> str:
    """What a spelling says, for display and braille: "行，xíng，行走的行"."""
    if len(ch) != 1:
        raise ValueError("spell one character at a time")
    if not _is_han(ch):
        if ch.isspace():
            return "空格" if lang == "zh" else "space"
        return ch
    reading = reading or reading_of(ch)
    word = example_word(ch, reading)
    parts = [ch]
    if reading:
        parts.append(marked(reading))
    if word:
        parts.append(f"{word}的{ch}" if lang == "zh" else f"{ch} as in {word}")
    return "，".join(parts)


def spell_plan(ch: str, reading: str | None = None, *, offset: int = 0, source: str | None = None,
               uid: int = 1) -> Utterance:  # fmt: skip
    """An utterance that spells ``ch`` with every reading fixed (no guessing from context).

    ``offset`` is where ``ch`` is in ``source`` (events report that span).
    """
    src = source if source is not None else ch
    start, end = offset, offset + 1
    if not _is_han(ch):
        text = "空格" if ch.isspace() else ch
        kind = "zh" if ch.isspace() else "spell"
        engine = " ".join(r or "" for r in _readings(text)) if ch.isspace() else ch
        seg = Segment(kind, "zh" if kind == "zh" else "en", start, end, (Word(engine, start, end),))
        return Utterance(uid, src, start, end, (seg,))
    reading = reading or reading_of(ch) or ""
    word = example_word(ch, reading)
    pause = Segment("pause", "", start, end, (), 300)
    segments = [
        Segment("zh", "zh", start, end, (Word(reading, start, end),)),
        pause,
        Segment("zh", "zh", start, end, (Word(reading, start, end),)),
    ]
    if word:
        word_readings = [r or "" for r in _readings(word)]
        word_readings[word.index(ch)] = reading
        segments += [
            pause,
            Segment(
                "zh",
                "zh",
                start,
                end,
                (Word(" ".join([*word_readings, "de5", reading]), start, end),),
            ),
        ]
    return Utterance(uid, src, start, end, tuple(segments))


def warm_up() -> None:
    """Build the word index now (about a second), e.g. in a background thread at start."""
    _load_index()
