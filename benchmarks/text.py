"""Reading-core speed: time to the first segmented sentence, and a 1M-character text.

Run: ``.venv/bin/python benchmarks/text.py``

Prints, in the same run, the project's figures beside the raw libraries
(jieba, jieba-rs, pypinyin) on the same input, so a slow machine shows up in
both columns.  Targets (issue 2): first sentence ready ≤ 0.3 s after a cold
start; segmentation (+ pinyin and spoken form for what the user waits on) of a
1,000,000-character text ≤ 2 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_e8b7355eef64c4a3.txt"


def corpus(chars: int) -> str:
    """Chinese news text of the given length, made by repeating the bundled articles."""
    sys.path.insert(0, str(ROOT))
    from reader.library.article import Article

    paths = sorted((ROOT / "articles").glob("*.md"))
    if paths:
        base = "\n".join(Article.load(p).text for p in paths)
    else:
        base = SEED.read_text(encoding="utf-8")
    reps = chars // len(base) + 1
    return (base + "\n") * reps


def cold(code: str, runs: int = 5) -> float:
    """Median wall time of a fresh interpreter running ``code`` (imports included)."""
    times = []
    env = dict(os.environ)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


FIRST_SENTENCE = """
from reader.library.article import Article
from reader.text.units import Document
from pathlib import Path
paths = sorted(Path('articles').glob('*.md'))
article = Article.load(paths[0])
doc = Document.from_article(article)
words = doc.words_in_sentence(2)
assert words
"""

RAW_JIEBA = """
import jieba, logging
jieba.setLogLevel(logging.WARNING)
jieba.lcut('近日，阿里巴巴和阿里巴巴公益基金会共同发布年度助残行动报告。')
"""

RAW_RJIEBA = """
import rjieba
rjieba.cut('近日，阿里巴巴和阿里巴巴公益基金会共同发布年度助残行动报告。')
"""

EMPTY = "pass"


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main() -> None:
    # Never touch the user's real library or lexicon from a benchmark.
    os.environ["READER_HOME"] = tempfile.mkdtemp(prefix="reader-bench-")
    print("## Reading core (benchmarks/text.py)")
    print()
    print("### Cold start to the first segmented sentence (median of 5 fresh processes)")
    interp = cold(EMPTY)
    ours = cold(FIRST_SENTENCE)
    raw_rjieba = cold(RAW_RJIEBA)
    raw_jieba = cold(RAW_JIEBA, runs=3)
    print("| what | seconds |\n| --- | --- |")
    print(f"| python interpreter alone | {interp:.3f} |")
    print(f"| reader: load article, build units, segment a sentence | {ours:.3f} |")
    print(f"| raw rjieba: import + cut one sentence | {raw_rjieba:.3f} |")
    print(f"| raw jieba: import + load dictionary + cut one sentence | {raw_jieba:.3f} |")
    print(f"target ≤ 0.300 s: {'met' if ours <= 0.3 else 'NOT met'}")
    print()

    sys.path.insert(0, str(ROOT))
    from reader.library.article import Article
    from reader.text import segment
    from reader.text.units import Document

    text = corpus(1_000_000)[:1_000_000]
    paragraphs = [p for p in text.split("\n") if p.strip()]
    article = Article.from_parts([("paragraph", 0, p) for p in paragraphs])
    segment.warm_up()

    import jieba
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()

    print(f"### A {len(article.text):,}-character text")
    t_doc, doc = timed(Document.from_article, article)

    def all_words(d: Document) -> int:
        return sum(len(d.words_in_sentence(i)) for i in range(d.count("sentence")))

    t_words, n_words = timed(all_words, doc)
    t_rjieba, _ = timed(rjieba.cut, article.text)
    t_jieba, _ = timed(jieba.lcut, article.text)
    rows = [
        ("reader: blocks and sentences (Document)", t_doc),
        (f"reader: every word of every sentence ({n_words:,} words)", t_words),
        ("raw rjieba.cut on the whole text", t_rjieba),
        ("raw jieba.lcut on the whole text", t_jieba),
    ]
    spoken_t = pinyin_t = None
    try:
        from reader.text.spoken import to_spoken

        spoken_t, _ = timed(lambda: [to_spoken(doc.span_text(s), s.start) for s in doc.sentences()])
        rows.append(("reader: spoken form of every sentence", spoken_t))
    except ImportError:
        rows.append(("reader: spoken form", float("nan")))
    try:
        from reader.text import pinyin as pinyin_mod

        pinyin_mod.warm_up()
        screen = doc.text[:2000]  # what one screen (or one utterance read-ahead) needs
        pinyin_t, _ = timed(pinyin_mod.char_readings, screen)
        rows.append(("reader: pinyin for one screen (2,000 chars, computed lazily)", pinyin_t))
    except ImportError:
        rows.append(("reader: pinyin", float("nan")))
    print("| what | seconds |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value:.3f} |")
    waited = t_doc + t_words + (spoken_t or 0) + (pinyin_t or 0)
    print(
        f"what the user waits on (units + words + spoken form + one screen of pinyin): "
        f"{waited:.3f} s; target ≤ 2 s: {'met' if waited <= 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
