"""Spoken-form speed: one sentence, and 1,000,000 characters of Chinese news.

Run: ``.venv/bin/python benchmarks/spoken.py [CHARS]``

Prints, in the same run and on the same text, the project's figures beside two
references: ``cn2an.transform(…, "an2cn")`` (the library that would otherwise
turn digits into Chinese: it does far less — no 两, no dates, codes, units or
offsets) and a bare regular-expression scan for the characters that are not
Han (the floor any approach pays to find what needs rewriting).  Targets: a
sentence well under 1 ms on average; 1,000,000 characters well under 1 s.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = ROOT.parent / "shared" / "seed" / "000_e8b7355eef64c4a3.txt"


def corpus(chars: int) -> str:
    """Chinese news text of the given length, made by repeating the bundled articles."""
    from reader.library.article import Article

    paths = sorted((ROOT / "articles").glob("*.md"))
    if paths:
        base = "\n".join(Article.load(p).text for p in paths)
    else:
        base = SEED.read_text(encoding="utf-8")
    return ((base + "\n") * (chars // len(base) + 1))[:chars]


def best(fn: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """Best of ``runs`` (wall, CPU) times: the figures least disturbed by other processes.

    CPU time is shown too because the machines this runs on are shared: when
    other processes compete for the cores, wall time grows but CPU time stays.
    """
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    chars = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    import cn2an

    from reader.text.spoken import to_spoken
    from reader.text.units import split_sentences

    text = corpus(chars)
    sentences = [text[a:b] for a, b in split_sentences(text)]
    starts = [a for a, _ in split_sentences(text)]
    numbers = len(re.findall(r"[0-9]+", text))
    print(f"text: {len(text):,} characters, {len(sentences):,} sentences, {numbers:,} numbers")

    scan = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
    rows = [
        ("reference: regex scan for non-Han runs, whole text", best(lambda: scan.findall(text))),
        (
            "reference: cn2an.transform an2cn, sentence by sentence",
            best(lambda: [cn2an.transform(s, "an2cn") for s in sentences], runs=1),
        ),
        ("reader: to_spoken, whole text at once", best(lambda: to_spoken(text))),
        (
            "reader: to_spoken, sentence by sentence (as the app does)",
            best(lambda: [to_spoken(s, a) for s, a in zip(sentences, starts, strict=True)]),
        ),
    ]
    print(f"{'':<60} {'wall':>8}    {'CPU':>8}    {'CPU rate':>14}")
    for label, (wall, cpu) in rows:
        print(f"{label:<60} {wall:8.3f} s  {cpu:8.3f} s  {len(text) / cpu / 1e6:6.2f} M chars/s")

    per = []
    for s, a in zip(sentences[:2000], starts[:2000], strict=True):
        start = time.perf_counter()
        to_spoken(s, a)
        per.append(time.perf_counter() - start)
    per.sort()
    print(
        f"per sentence (first 2,000): mean {statistics.fmean(per) * 1e6:.0f} µs, "
        f"median {per[len(per) // 2] * 1e6:.0f} µs, p99 {per[int(len(per) * 0.99)] * 1e6:.0f} µs, "
        f"max {per[-1] * 1e6:.0f} µs  (target: mean well under 1000 µs)"
    )
    wall, cpu = rows[2][1]
    print(
        f"1M-character target: well under 1 s; measured {wall:.3f} s wall, {cpu:.3f} s CPU "
        f"for {len(text):,} characters"
    )
    print(f"load average during the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
