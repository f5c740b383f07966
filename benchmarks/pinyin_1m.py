"""Pinyin of 1,000,000 characters: reader beside pypinyin (and g2pM) in the same run.

    .venv/bin/python benchmarks/pinyin_1m.py [--chars N]

First, the time to the first output of ``reader pinyin`` in a new process
(what a librarian's script waits for), beside a bare pypinyin one-liner.
Then the text, real Chinese: the CPP dev sentences and the seed's paragraphs,
repeated up to N characters.  reader's sentence cache is switched off, so a
repeated sentence is read again, as a new book's would be.  Figures:

* ``reader, whole text``: one ``char_readings`` call on the whole text (what
  an export or a ``reader pinyin`` pipe does: the model runs in batches);
* ``reader, sentence by sentence``: one call per sentence, as the app asks
  while reading aloud or drawing a screen (on the first tenth of the text);
* ``pypinyin``: ``lazy_pinyin`` on the whole text (the raw library: phrase
  dictionary and defaults, no context model);
* ``g2pM``: the package's own inference, sentence by sentence (first tenth).

Load times are printed apart.  Each figure is wall-clock seconds and, in
brackets, the process's CPU seconds (the machine may be shared: CPU time is
the steadier figure).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def corpus(size: int) -> str:
    sents = (SHARED / "polyphones" / "dev.sent").read_text(encoding="utf-8").replace("▁", "")
    seed = next((SHARED / "seed").glob("*.txt")).read_text(encoding="utf-8")
    base = sents + "\n" + seed
    return (base * (size // len(base) + 1))[:size]


def first_output() -> None:
    """Cold ``reader pinyin`` (a new process each time) beside a bare pypinyin script."""
    import statistics
    import subprocess
    import sys

    reader_exe = str(Path(sys.executable).with_name("reader"))
    commands = {
        "reader pinyin 长治市的银行 (cold process)": [reader_exe, "pinyin", "长治市的银行"],
        "reference: python -c pypinyin.lazy_pinyin": [
            sys.executable,
            "-c",
            "import pypinyin; print(pypinyin.lazy_pinyin('长治市的银行'))",
        ],
        "reference: python -c pass": [sys.executable, "-c", "pass"],
    }
    for name, cmd in commands.items():
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        print(f"{name:<44} median {statistics.median(times):.2f} s (min {min(times):.2f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    args = parser.parse_args()
    first_output()
    text = corpus(args.chars)
    tenth = text[: len(text) // 10]
    print(f"{len(text):,} characters ({sum(c >= '一' for c in text):,} Han)")

    t0 = time.perf_counter()
    from reader.text import pinyin

    pinyin.warm_up()
    print(f"reader load (segmenter, dictionaries, model): {time.perf_counter() - t0:.2f} s")
    pinyin._CACHE_SIZE = 0

    t0, c0 = time.perf_counter(), time.process_time()
    readings = pinyin.char_readings(text)
    whole, whole_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert len(readings) == len(text)

    from reader.text.units import split_sentences

    spans = split_sentences(tenth)
    pinyin._word_memo.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    for a, b in spans:
        pinyin.char_readings(tenth[a:b])
    per_sentence, per_sentence_cpu = time.perf_counter() - t0, time.process_time() - c0

    t0 = time.perf_counter()
    from pypinyin import Style, lazy_pinyin

    lazy_pinyin("预热")
    print(f"pypinyin load: {time.perf_counter() - t0:.2f} s")
    t0, c0 = time.perf_counter(), time.process_time()
    lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    pyp, pyp_cpu = time.perf_counter() - t0, time.process_time() - c0

    from g2pM import G2pM

    model = G2pM()
    t0, c0 = time.perf_counter(), time.process_time()
    for a, b in spans:
        model(tenth[a:b], char_split=True)
    g2pm, g2pm_cpu = time.perf_counter() - t0, time.process_time() - c0

    n = len(text)
    m = len(spans)
    print(f"{'system':<34} {'seconds (cpu)':>16} {'chars/s':>10}  scope")
    rows = [
        ("reader, whole text (batched)", whole, whole_cpu, n, "all"),
        (
            "reader, sentence by sentence",
            per_sentence,
            per_sentence_cpu,
            len(tenth),
            f"first tenth, {1000 * per_sentence / m:.2f} ms/sentence",
        ),
        ("pypinyin lazy_pinyin", pyp, pyp_cpu, n, "all"),
        (
            "g2pM package, sentence by sentence",
            g2pm,
            g2pm_cpu,
            len(tenth),
            f"first tenth, {1000 * g2pm / m:.2f} ms/sentence",
        ),
    ]
    for name, wall, cpu, chars, scope in rows:
        print(f"{name:<34} {wall:>7.2f} ({cpu:>6.2f}) {chars / wall:>10,.0f}  {scope}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
