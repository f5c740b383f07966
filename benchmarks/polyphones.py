"""Polyphone accuracy and speed: pypinyin alone, g2pM alone, and reader, in one run.

    .venv/bin/python benchmarks/polyphones.py [SENT LB] [--limit N]

SENT has one sentence a line with the polyphonic character between two ``▁``
markers; LB has its reading (tone-numbered, ü as ``u:``).  The default is the
CPP dev split in ``../shared/polyphones/`` beside the checkout.

reader's readings come from :func:`reader.text.pinyin.per_char`, the function
``reader pinyin --per-char`` prints for each line of standard input.  Each
system is timed per sentence on one core after loading (load time is printed
apart).  Because WORD_PRIOR/PHRASE_PRIOR were chosen on the even lines of the
dev split, accuracy is also printed for even (tuning) and odd (held-out) lines.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "polyphones"
MARK = "▁"


def load(sent_path: Path, lb_path: Path, limit: int | None) -> list[tuple[str, int, str]]:
    sents = sent_path.read_text(encoding="utf-8").splitlines()
    labels = lb_path.read_text(encoding="utf-8").splitlines()
    if len(sents) != len(labels):
        sys.exit(f"{sent_path} has {len(sents)} lines but {lb_path} has {len(labels)}")
    items = []
    for sent, label in zip(sents, labels, strict=True):
        index = sent.index(MARK)
        items.append((sent.replace(MARK, ""), index, label.strip().replace("u:", "v")))
    return items[:limit] if limit else items


def run(
    name: str, setup: Callable[[], Callable[[str, int], str]], items: list[tuple[str, int, str]]
) -> dict:
    t0 = time.perf_counter()
    read = setup()
    load_s = time.perf_counter() - t0
    correct = []
    t0 = time.perf_counter()
    for text, index, label in items:
        correct.append(read(text, index) == label)
    elapsed = time.perf_counter() - t0
    even = correct[0::2]
    odd = correct[1::2]
    return {
        "name": name,
        "acc": sum(correct) / len(correct),
        "even": sum(even) / max(1, len(even)),
        "odd": sum(odd) / max(1, len(odd)),
        "ms": 1000 * elapsed / len(items),
        "load": load_s,
        "wrong": len(correct) - sum(correct),
    }


def pypinyin_alone() -> Callable[[str, int], str]:
    from pypinyin import Style, pinyin

    def read(text: str, index: int) -> str:
        # pypinyin on the whole sentence (its own phrase segmentation), as a user would call it
        out = pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: list(s))
        return out[index][0]

    return read


def g2pm_alone() -> Callable[[str, int], str]:
    from g2pM import G2pM

    model = G2pM()

    def read(text: str, index: int) -> str:
        return model(text, char_split=True)[index].replace("u:", "v")

    return read


def reader_pipeline() -> Callable[[str, int], str]:
    from reader.text import pinyin

    pinyin.warm_up()

    def read(text: str, index: int) -> str:
        pinyin._cache.clear()  # measure the work, not the cache
        return pinyin.per_char(text)[index]

    return read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sent", nargs="?", type=Path, default=DEFAULT / "dev.sent")
    parser.add_argument("lb", nargs="?", type=Path, default=DEFAULT / "dev.lb")
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    args = parser.parse_args()
    items = load(args.sent, args.lb, args.limit)
    print(f"{len(items)} sentences from {args.sent}")
    print(
        f"{'system':<12} {'accuracy':>9} {'even':>7} {'odd':>7} {'wrong':>6} {'ms/sent':>8} {'load s':>7}"
    )
    for name, setup in (
        ("pypinyin", pypinyin_alone),
        ("g2pM", g2pm_alone),
        ("reader", reader_pipeline),
    ):
        r = run(name, setup, items)
        print(
            f"{r['name']:<12} {100 * r['acc']:>8.2f}% {100 * r['even']:>6.2f}% "
            f"{100 * r['odd']:>6.2f}% {r['wrong']:>6} {r['ms']:>8.3f} {r['load']:>7.2f}"
        )
    print("targets: reader >= 98% accuracy, <= 5 ms per sentence (one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
