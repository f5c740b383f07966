"""Words whose reading reader is unsure of, for librarians to settle in the lexicon.

A word is reported when it holds a polyphonic character the lexicon does not
fix and either

* the independent readers disagree: pypinyin (its phrase dictionary and
  defaults) and the context model alone give different syllables, or reader's
  combined reading differs from one of them; or
* no dictionary knows the word (not in pypinyin's phrase dictionary, not in
  the lexicon) and the model is not confident (below ``CONFIDENT``).

Differences in 一/不 sandhi and neutral tone alone are not reported: they
are rules, not doubts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONFIDENT = 0.9


@dataclass
class Uncertain:
    word: str
    candidates: dict[str, str]  # who → syllables, e.g. {"reader": "chang2 zhi4", ...}
    reason: str
    count: int = 1
    offsets: list[int] = field(default_factory=list)


def _same(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    if a[:-1] == b[:-1] and "5" in (a[-1], b[-1]):
        return True  # neutral tone versus full tone: not a doubt about the character
    return False


def uncertain_words(text: str) -> list[Uncertain]:
    """Uncertain words of ``text`` in order of first occurrence, counted; a word read
    two ways in the text (为 wèi here, wéi there) is listed once per reading."""
    from pypinyin import Style, lazy_pinyin

    from reader.text import pinyin as pin
    from reader.text import polyphone
    from reader.text.lexicon import get_lexicon
    from reader.text.segment import tokenize
    from reader.text.units import split_sentences

    res = pin._resources()
    lexicon = get_lexicon()
    found: dict[tuple[str, str], Uncertain] = {}  # (word, reader's reading) → item
    for start, end in split_sentences(text):
        sentence = text[start:end]
        ours = pin.char_readings(sentence)
        theirs = lazy_pinyin(
            sentence, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s)
        )
        if len(theirs) != len(sentence):
            theirs = [None] * len(sentence)  # alignment lost (should not happen): skip pypinyin
        theirs = [t.replace("ü", "v") if t else t for t in theirs]
        poly = [i for i, c in enumerate(sentence) if c in res.poly]
        model: dict[int, dict[str, float]] = {}
        for i, probs in zip(poly, polyphone.probabilities(sentence, poly), strict=True):
            if probs:
                model[i] = probs
        for word, a, b in tokenize(sentence):
            fixed = lexicon.match(word)
            idx = [i for i in range(a, b) if i in model and (i - a) not in fixed]
            idx = [i for i in idx if sentence[i] not in "一不"]
            if not idx:
                continue
            best = {i: max(model[i], key=model[i].__getitem__) for i in idx}
            disagree = any(
                not _same(theirs[i], best[i])
                or not _same(ours[i], theirs[i])
                or not _same(ours[i], best[i])
                for i in idx
            )
            unknown = len(word) > 1 and word not in res.phrases and not fixed
            unsure = unknown and any(model[i][best[i]] < CONFIDENT for i in idx)
            if not (disagree or unsure):
                continue
            model_word = [best.get(i) or ours[i] for i in range(a, b)]
            candidates = {
                "reader": " ".join(r or "?" for r in ours[a:b]),
                "pypinyin": " ".join(r or "?" for r in theirs[a:b]),
                "model": " ".join(r or "?" for r in model_word),
            }
            key = (word, candidates["reader"])
            item = found.get(key)
            if item is None:
                reason = "readings disagree" if disagree else "in no dictionary, model unsure"
                found[key] = Uncertain(word, candidates, reason, 1, [start + a])
            else:
                item.count += 1
                item.offsets.append(start + a)
    return list(found.values())
