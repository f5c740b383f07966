"""The pronunciation lexicon: words whose reading reader must never guess.

Two files in one format, the user's entries overriding the bundled ones:

* ``voices/lexicon.txt`` — shipped with reader (names in the bundled
  articles and other words the automatic readings get wrong);
* ``<config dir>/lexicon.txt`` — the user's (librarian's) entries, edited
  with ``reader lexicon add/remove`` or by hand.

**Format** (UTF-8, one entry a line, ``#`` starts a comment)::

    WORD [FREQ] SYLLABLE SYLLABLE ...
    长治 chang2 zhi4
    银行 1000 yin2 hang2

The first one or two columns are exactly a jieba user-dictionary line (the
word, then an optional integer frequency), so the segmenter keeps every
lexicon word whole; the rest is one tone-numbered pinyin syllable per
character (tones 1-4, neutral 5, ü as ``v``: ``lv4``).  Tone marks
(``cháng zhì``) are accepted and stored as numbers.  Write 一 and 不 in their
citation tones (yi1, bu4); the spoken tone changes are applied on top.

An entry takes effect at once: the running process sees :meth:`Lexicon.add`
immediately, and another process (the app while a librarian runs
``reader lexicon add``) sees the file's new modification time on its next
lookup.  Lines the parser cannot read are reported in :attr:`Lexicon.errors`
and preserved verbatim when the file is rewritten, so nothing typed by hand
is ever lost.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reader import paths
from reader.errors import UserError
from reader.text.pinyin import has_tone, is_han, normalize_syllable, parse_syllables

HEADER = """\
# reader pronunciation lexicon (user entries; they override voices/lexicon.txt)
# One entry a line: WORD [FREQ] SYLLABLE SYLLABLE ...   e.g.  长治 chang2 zhi4
# WORD [FREQ] is a jieba user-dictionary line; then one tone-numbered pinyin
# syllable per character (tones 1-4, neutral tone 5, ü written v: lv4).
"""


@dataclass(frozen=True)
class Entry:
    """One lexicon word as the user sees it."""

    word: str
    syllables: tuple[str, ...]
    source: str  # "user" or "bundled"
    freq: int | None = None

    def line(self) -> str:
        freq = f" {self.freq}" if self.freq is not None else ""
        return f"{self.word}{freq} {' '.join(self.syllables)}"


def parse_line(line: str, where: str = "") -> Entry | None:
    """One lexicon line → Entry (None for blank/comment lines); ``UserError`` if malformed."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    fields = text.split()
    word = fields[0]
    rest = fields[1:]
    freq: int | None = None
    if rest and rest[0].isdigit():
        freq = int(rest[0])
        rest = rest[1:]
    return make_entry(word, rest, "user", freq, where)


def make_entry(
    word: str,
    pinyin: str | Sequence[str],
    source: str = "user",
    freq: int | None = None,
    where: str = "",
) -> Entry:
    """A validated entry, or ``UserError`` with a one-line reason."""
    prefix = f"{where}: " if where else ""
    word = word.strip()
    if not word or any(c.isspace() for c in word):
        raise UserError(
            f"{prefix}the word must be one word without spaces",
            code="lexicon_not_one_word",
            where=where,
        )
    bad = [c for c in word if not is_han(c)]
    if bad:
        raise UserError(
            f"{prefix}{word!r}: only Chinese characters can have readings ({bad[0]!r})",
            code="lexicon_not_han",
            where=where,
            word=word,
            char=bad[0],
        )
    parts = pinyin.replace("'", " ").split() if isinstance(pinyin, str) else list(pinyin)
    for part in parts:
        if normalize_syllable(part) is None:
            raise UserError(
                f"{prefix}{word!r}: {part!r} is not a pinyin syllable with tone 1-5",
                code="lexicon_bad_syllable",
                where=where,
                word=word,
                syllable=part,
            )
    for part in parts:
        if not has_tone(part):
            # "yin hang" would be stored as two neutral tones: almost never meant.
            raise UserError(
                f"{prefix}{word!r}: {part!r} has no tone; write it with a tone number "
                f"or mark ({normalize_syllable(part)[:-1]}1-4, or 5 for the neutral tone)",
                code="lexicon_tone_missing",
                where=where,
                word=word,
                syllable=part,
                base=normalize_syllable(part)[:-1],
            )
    syllables = parse_syllables(parts)
    if len(syllables) != len(word):
        raise UserError(
            f"{prefix}{word!r} has {len(word)} characters but {len(syllables)} "
            f"pinyin syllable{'s' if len(syllables) != 1 else ''}",
            code="lexicon_count",
            where=where,
            word=word,
            chars=len(word),
            syllables=len(syllables),
        )
    return Entry(word, tuple(syllables), source, freq)


def _read(path: Path, source: str) -> tuple[dict[str, Entry], list[str]]:
    entries: dict[str, Entry] = {}
    errors: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return entries, errors
    except (OSError, UnicodeDecodeError) as exc:
        return entries, [f"{path}: cannot read ({exc})"]
    for number, line in enumerate(lines, 1):
        try:
            entry = parse_line(line, f"{path}:{number}")
        except UserError as exc:
            errors.append(str(exc))
            continue
        if entry is not None:
            entries[entry.word] = Entry(entry.word, entry.syllables, source, entry.freq)
    return entries, errors


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


class Lexicon:
    """Bundled and user entries; the user's win.  Thread-safe."""

    def __init__(self, bundled_path: Path | None = None, user_path: Path | None = None) -> None:
        self.bundled_path = bundled_path or paths.voices_dir() / "lexicon.txt"
        self.user_path = user_path or paths.config_dir() / "lexicon.txt"
        self._lock = threading.RLock()
        #: Bumped on every change, so caches of readings know they are stale.
        self.version = 0
        self.errors: list[str] = []
        self._bundled, bundled_errors = _read(self.bundled_path, "bundled")
        self._bundled_errors = bundled_errors
        self._load_user()

    # ------------------------------------------------------------ loading

    def _load_user(self) -> None:
        self._user_mtime = _mtime(self.user_path)
        self._user, user_errors = _read(self.user_path, "user")
        self.errors = self._bundled_errors + user_errors
        merged = {w: e.syllables for w, e in self._bundled.items()}
        merged.update((w, e.syllables) for w, e in self._user.items())
        self._merged = merged
        self._first = {w[0] for w in merged}
        self._maxlen = max(map(len, merged), default=0)
        self.version += 1

    def refresh(self) -> bool:
        """Re-read the user file if another process changed it; True if it did."""
        if _mtime(self.user_path) != self._user_mtime:
            with self._lock:
                if _mtime(self.user_path) != self._user_mtime:
                    before = set(self._merged)
                    self._load_user()
                    self._teach_segmenter([w for w in self._merged if w not in before])
                    return True
        return False

    # ------------------------------------------------------------ queries

    def lookup(self, word: str) -> list[str] | None:
        """The syllables the lexicon gives ``word`` (user entry first), or None."""
        found = self._merged.get(word)
        return list(found) if found else None

    def match(self, word: str) -> dict[int, str]:
        """Readings of the lexicon words inside ``word`` (longest first, left to right):
        offset in ``word`` → syllable.  Empty when no lexicon word occurs."""
        if not self._maxlen:
            return {}
        merged = self._merged
        first = self._first
        out: dict[int, str] = {}
        n = len(word)
        k = 0
        while k < n:
            if word[k] in first:
                for length in range(min(self._maxlen, n - k), 0, -1):
                    found = merged.get(word[k : k + length])
                    if found:
                        for j, syl in enumerate(found):
                            out[k + j] = syl
                        k += length
                        break
                else:
                    k += 1
            else:
                k += 1
        return out

    def entries(self, source: str | None = None) -> list[Entry]:
        """All entries in effect (a user entry hides the bundled one), sorted by word."""
        merged = dict(self._bundled)
        merged.update(self._user)
        items = sorted(merged.values(), key=lambda e: (e.source != "user", e.word))
        return [e for e in items if source is None or e.source == source]

    def is_bundled(self, word: str) -> bool:
        return word in self._bundled

    def words(self) -> list[tuple[str, int | None]]:
        """Every word with its frequency, for the segmenter."""
        merged = dict(self._bundled)
        merged.update(self._user)
        return [(e.word, e.freq) for e in merged.values()]

    # ------------------------------------------------------------ changes

    def add(self, word: str, pinyin: str | Sequence[str], freq: int | None = None) -> Entry:
        """Add or replace the user's entry for ``word``; returns the stored entry.

        Invalid input raises ``UserError`` and changes nothing.
        """
        entry = make_entry(word, pinyin, "user", freq)
        with self._lock:
            self.refresh()
            self._rewrite(entry.word, entry.line())
            self._load_user()
            self._teach_segmenter([entry.word])
        return entry

    def remove(self, word: str) -> Entry:
        """Remove the user's entry for ``word`` (a bundled entry under it comes back)."""
        with self._lock:
            self.refresh()
            entry = self._user.get(word)
            if entry is None:
                if word in self._bundled:
                    raise UserError(
                        f"{word!r} is a bundled entry (voices/lexicon.txt); "
                        f"override it with 'reader lexicon add {word} PINYIN'",
                        code="lexicon_bundled_word",
                        word=word,
                    )
                raise UserError(
                    f"{word!r} is not in the lexicon", code="lexicon_unknown_word", word=word
                )
            self._rewrite(word, None)
            self._load_user()
        return entry

    def _rewrite(self, word: str, new_line: str | None) -> None:
        """Replace (or drop) ``word``'s line in the user file, keeping every other line."""
        try:
            lines = self.user_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            lines = HEADER.splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{self.user_path}: cannot read ({exc}); nothing changed") from None
        out: list[str] = []
        placed = False
        for line in lines:
            fields = line.split("#", 1)[0].split()
            if fields and fields[0] == word:
                if new_line is not None and not placed:
                    out.append(new_line)
                    placed = True
                continue
            out.append(line)
        if new_line is not None and not placed:
            out.append(new_line)
        from reader.library.atomic import write_text

        write_text(self.user_path, "\n".join(out) + "\n")

    def _teach_segmenter(self, words: list[str]) -> None:
        if not words:
            return
        from reader.text import segment

        freqs = {w: f for w, f in self.words()}
        segment.add_words((w, freqs.get(w)) for w in words)


_instance: Lexicon | None = None
_instance_lock = threading.Lock()


def get_lexicon() -> Lexicon:
    """The process's lexicon, re-read when the user file changes or READER_HOME moves."""
    global _instance
    lex = _instance
    user_path = paths.config_dir() / "lexicon.txt"
    if lex is None or lex.user_path != user_path:
        with _instance_lock:
            lex = _instance
            if lex is None or lex.user_path != user_path:
                old_version = lex.version if lex else 0
                lex = Lexicon(user_path=user_path)
                lex.version += old_version + 1  # never reuse a version number
                _instance = lex
        return lex
    lex.refresh()
    return lex


def segment_words() -> list[tuple[str, int | None]]:
    """All lexicon words for the segmenter (called lazily by reader.text.segment)."""
    return get_lexicon().words()
