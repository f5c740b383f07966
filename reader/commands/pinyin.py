"""``reader pinyin`` and ``reader lexicon``: readings for scripts and librarians.

``reader pinyin`` prints exactly what the app shows above the text (and, with
``--sandhi``, what the voice says): both come from
:func:`reader.text.pinyin.char_readings`.  ``reader lexicon`` edits the user's
pronunciation lexicon; a change takes effect at once, also in a running app.
"""

from __future__ import annotations

import argparse
import sys

from reader.commands.strings import add_lang_option, language, t, user_error
from reader.commands.textinput import input_lines


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pinyin",
        help="print the pinyin of TEXT (or of each line of standard input)",
        description=(
            "Pinyin of Chinese text, word by word (words separated by spaces). "
            "With no TEXT, reads standard input and answers one line per input line."
        ),
    )
    p.add_argument("text", nargs="*", help="the text (default: standard input, line by line)")
    p.add_argument(
        "--style",
        choices=["numbers", "marks", "none"],
        default="numbers",
        help="tone numbers (yin2, default; neutral tone 5, ü as v), tone marks (yín) or none",
    )
    p.add_argument(
        "--per-char",
        action="store_true",
        help="one item per character: a Han character's syllable, any other character itself",
    )
    p.add_argument(
        "--sandhi",
        action="store_true",
        help="tones of 一 and 不 as spoken (yi2 ge4, bu2 shi4) instead of citation tones",
    )
    p.set_defaults(func=cmd_pinyin)
    add_lang_option(p)

    p = sub.add_parser(
        "lexicon",
        help="the pronunciation lexicon: add, list, remove, check readings",
        description=(
            "User entries override the bundled voices/lexicon.txt and take effect at once."
        ),
    )
    lsub = p.add_subparsers(dest="lexicon_command", metavar="ACTION")
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])

    a = lsub.add_parser("add", help="add or replace a word's reading: add 长治 chang2 zhi4")
    a.add_argument("word", help="the word (Chinese characters)")
    a.add_argument("pinyin", nargs="+", help="one syllable per character, e.g. chang2 zhi4")
    a.add_argument("--freq", type=int, help="segmenter frequency (jieba user dictionary)")
    a.set_defaults(func=cmd_lexicon_add)

    a = lsub.add_parser("list", help="list the entries in effect")
    group = a.add_mutually_exclusive_group()
    group.add_argument("--user", action="store_true", help="only the user's entries")
    group.add_argument("--bundled", action="store_true", help="only the bundled entries")
    a.set_defaults(func=cmd_lexicon_list)

    a = lsub.add_parser("remove", help="remove the user's entry for WORD")
    a.add_argument("word")
    a.set_defaults(func=cmd_lexicon_remove)

    a = lsub.add_parser(
        "check",
        help="find words in the library whose reading is uncertain",
        description=(
            "For each article (all, or the ids given), list words with a polyphonic "
            "character that no dictionary settles, or that pypinyin and the context "
            "model read differently: word, article id, candidate readings."
        ),
    )
    a.add_argument("ids", nargs="*", metavar="ID", help="article ids (default: all)")
    a.set_defaults(func=cmd_lexicon_check)

    add_lang_option(p)
    for action in lsub.choices.values():
        add_lang_option(action)


# ---------------------------------------------------------------- pinyin


def format_line(
    text: str, style: str = "numbers", per_char: bool = False, sandhi: bool = False
) -> str:
    """One output line of ``reader pinyin`` for one input line."""
    from reader.text import pinyin

    if per_char:
        return " ".join(i for i in pinyin.per_char(text, style, sandhi) if not i.isspace())  # type: ignore[arg-type]
    words = pinyin.pinyin(text, style, sandhi)  # type: ignore[arg-type]
    return " ".join(pinyin.join_word(items, style) for _a, _b, items in words)  # type: ignore[arg-type]


def cmd_pinyin(args: argparse.Namespace) -> int:
    out = sys.stdout
    for line in input_lines(args.text):
        out.write(format_line(line, args.style, args.per_char, args.sandhi) + "\n")
        out.flush()
    return 0


# ---------------------------------------------------------------- lexicon


def cmd_lexicon_add(args: argparse.Namespace) -> int:
    from reader.text.lexicon import get_lexicon

    lexicon = get_lexicon()
    overrides = lexicon.is_bundled(args.word)
    entry = lexicon.add(args.word, " ".join(args.pinyin), args.freq)
    lang = language(args)
    note = t("lexicon_overrides", lang) if overrides else ""
    print(t("lexicon_added", lang, word=entry.word, pinyin=" ".join(entry.syllables), note=note))
    if len(entry.word) == 1:
        _warn_one_character(entry.word, entry.syllables[0], lang)
    return 0


def _warn_one_character(char: str, reading: str, lang: str) -> None:
    """A one-character entry for a polyphone overrides the character inside every
    word (行 xing2 turns 银行 into yín xíng): legitimate, but rarely what a
    librarian means, so say so, with a word it changes."""
    from reader.text import polyphone

    if not polyphone.is_polyphonic(char):
        return
    example = _common_word_read_otherwise(char, reading)
    if example:
        print(t("lexicon_one_char", lang, word=char, pinyin=reading, example=example), file=sys.stderr)


def _common_word_read_otherwise(char: str, reading: str) -> str | None:
    """The most frequent two-character word (jieba's dictionary counts) in which the
    phrase dictionary reads ``char`` other than ``reading``."""
    import importlib.util
    from pathlib import Path

    from pypinyin.phrases_dict import phrases_dict

    spec = importlib.util.find_spec("jieba")
    counts: dict[str, int] = {}
    if spec and spec.origin:
        path = Path(spec.origin).with_name("dict.txt")
        try:
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    word, _, rest = line.partition(" ")
                    if len(word) == 2 and char in word:
                        counts[word] = int(rest.split(" ", 1)[0] or 0)
        except (OSError, ValueError):
            counts = {}
    best: tuple[int, str] | None = None
    for word, readings in phrases_dict.items():
        if len(word) != 2 or char not in word:
            continue
        if not _differs(readings[word.index(char)][0], reading):
            continue
        key = (counts.get(word, 0), word)
        if best is None or key > best:
            best = key
    return best[1] if best else None


def _differs(marked: str, reading: str) -> bool:
    from reader.text.pinyin import normalize_syllable

    return normalize_syllable(marked) != reading


def cmd_lexicon_list(args: argparse.Namespace) -> int:
    from reader.text.lexicon import get_lexicon

    lexicon = get_lexicon()
    source = "user" if args.user else "bundled" if args.bundled else None
    for entry in lexicon.entries(source):
        print(f"{entry.word}\t{' '.join(entry.syllables)}\t{entry.source}")
    lang = language(args)
    for error in lexicon.errors:
        print(f"reader: {t('skipped_file', lang, error=error)}", file=sys.stderr)
    return 0


def cmd_lexicon_remove(args: argparse.Namespace) -> int:
    from reader.text.lexicon import get_lexicon

    lexicon = get_lexicon()
    entry = lexicon.remove(args.word)
    back = lexicon.lookup(args.word)
    lang = language(args)
    note = t("lexicon_bundled_back", lang, pinyin=" ".join(back)) if back else ""
    print(t("lexicon_removed", lang, word=entry.word, pinyin=" ".join(entry.syllables), note=note))
    return 0


def cmd_lexicon_check(args: argparse.Namespace) -> int:
    from reader.library.store import Library
    from reader.text.uncertain import uncertain_words

    library = Library()
    if args.ids:
        articles = [library.get(key) for key in args.ids]
    else:
        articles = [library.get(entry.id) for entry in library.entries()]
    if not articles:
        raise user_error("library_empty_check", "the library is empty: nothing to check")
    found = 0
    for article in articles:
        for item in uncertain_words(article.text):
            found += 1
            readings = "; ".join(f"{who}={r}" for who, r in item.candidates.items())
            print(f"{item.word}\t{article.id}\t{readings}\t×{item.count}")
    if not found:
        print(f"reader: {t('lexicon_none_uncertain', language(args))}", file=sys.stderr)
    return 0
