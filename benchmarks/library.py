"""The library's speed: importing plain Chinese text, and searching 10,000 articles.

    .venv/bin/python benchmarks/library.py [--articles 10000] [--news 400] [--long 8]

Targets (issue 5): import at least 2 MB/s of plain Chinese text including
repair and indexing; a search in a library of 10,000 articles in at most 50 ms.
Each is printed beside a reference measured in the same run on the same files:
the time merely to read and decode them.

The corpus is generated from the bundled articles (the seed's three stories):
their sentences are shuffled into new articles, so the text is real Chinese
news prose but every article is different.  Everything happens in a temporary
READER_HOME that is deleted at the end; imports are durable (fsync) as always.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RARE = "视障读者专用阅读器"  # planted in a handful of articles
RUNS = 20  # timed runs of each search


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def catalog_parts(path: Path) -> str:
    """Where the catalog's bytes go (SQLite's dbstat table), e.g. "index 65.5 MB, rows 27.6 MB"."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        sizes = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        free *= db.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.Error as exc:  # dbstat not compiled in
        return f"(not available: {exc})"
    finally:
        db.close()
    index = sum(v for k, v in sizes.items() if k.startswith("fts"))
    rows = sizes.get("articles", 0)
    other = sum(sizes.values()) - index - rows
    return (
        f"full-text index {index / 1e6:.1f} MB, article rows {rows / 1e6:.1f} MB,"
        f" row indexes and the rest {other / 1e6:.1f} MB, free pages {free / 1e6:.1f} MB"
    )


def sentence_pool() -> list[str]:
    from reader.library.article import Article

    sentences: list[str] = []
    for path in sorted((REPO / "articles").glob("*.md")):
        article = Article.load(path)
        for block in article.blocks:
            if block.kind == "paragraph":
                text = article.block_text(block)
                sentences.extend(s for s in re.findall(r"[^。！？]+[。！？]+[”」]?", text) if s)
    return sentences


def make_text(rng: random.Random, pool: list[str], chars: int, title: str) -> str:
    paragraphs = []
    total = 0
    while total < chars:
        paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        total += len(paragraph)
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def read_and_decode(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        path.read_bytes().decode("utf-8")
    return time.perf_counter() - start


def bench_import(work: Path, pool: list[str], news: int, long: int) -> None:
    from reader.library.importers import import_file
    from reader.library.store import Library

    rng = random.Random(1)
    groups: dict[str, list[Path]] = {"news (~6 KB)": [], "long (~500 KB)": []}
    folder = work / "corpus"
    folder.mkdir()
    for i in range(news):
        path = folder / f"news{i:04d}.txt"
        path.write_text(make_text(rng, pool, 2000, f"第{i}号新闻"), encoding="utf-8")
        groups["news (~6 KB)"].append(path)
    for i in range(long):
        path = folder / f"long{i:02d}.txt"
        path.write_text(make_text(rng, pool, 170_000, f"长篇报道第{i}号"), encoding="utf-8")
        groups["long (~500 KB)"].append(path)

    print("## Import (plain UTF-8 Chinese text; importer + repair + jieba + index + fsync)")
    # warm up what a running app has loaded already: the importer's modules, the
    # segmenter's dictionary, the index's folding table (not counted)
    warm = work / "warm.txt"
    warm.write_text(make_text(rng, pool, 3000, "预热"), encoding="utf-8")
    os.environ["READER_HOME"] = str(work / "home-warm")
    Library().import_paths([warm])
    all_files = [p for files in groups.values() for p in files]
    read_and_decode(all_files)  # warm the page cache for both measurements
    total_bytes = sum(p.stat().st_size for p in all_files)
    for name, files in groups.items():
        size = sum(p.stat().st_size for p in files)
        home = work / f"home-{len(name)}-{len(files)}"
        os.environ["READER_HOME"] = str(home)
        library = Library()
        library.entries()  # open the catalog (and index the bundled articles) first
        start, cpu = time.perf_counter(), time.process_time()
        results = library.import_paths(files)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        library.close()
        refused = [r for r in results if r.status == "refused"]
        assert not refused, refused[:3]
        start = time.perf_counter()
        for path in files:
            import_file(path)
        repair_only = time.perf_counter() - start
        reference = read_and_decode(files)
        print(
            f"{name:15} {len(files):4} files {size / 1e6:5.2f} MB: import {elapsed:5.2f} s"
            f" = {size / 1e6 / elapsed:4.2f} MB/s (cpu {cpu:4.2f} s = {size / 1e6 / cpu:4.2f} MB"
            f" per cpu-second); reading+repair alone {repair_only:4.2f} s;"
            f" read+decode alone {reference * 1000:5.1f} ms = {size / 1e6 / reference:4.0f} MB/s"
        )
    print(f"total corpus {total_bytes / 1e6:.2f} MB; target: import >= 2 MB/s")
    print()


def bench_search(work: Path, pool: list[str], count: int, keep: Path | None = None) -> None:
    from reader.library.article import Article
    from reader.library.catalog import IndexText
    from reader.library.store import Library

    print(f"## Search in a library of {count} articles")
    home = keep or work / "home-search"
    os.environ["READER_HOME"] = str(home)
    rng = random.Random(2)
    library = Library()
    reuse = len(library.entries()) >= count
    start = time.perf_counter()
    batch: list[tuple[Article, IndexText | None]] = []
    rare_ids = []
    for i in range(0 if reuse else count):
        text = make_text(rng, pool, rng.randint(600, 2500), f"第{i}号文章")
        title, *paragraphs = [t for t in text.split("\n\n") if t.strip()]
        if i % 1000 == 17:
            paragraphs[-1] += f"记者在现场体验了一台{RARE}。"
        article = Article.from_parts(
            [("heading", 1, title.strip())] + [("paragraph", 0, p) for p in paragraphs],
            author=rng.choice(["皮磊", "李庆", "王芳", "张伟", ""]),
        )
        if RARE in article.text:
            rare_ids.append(article.id)
        batch.append((article, None))
        if len(batch) == 500:
            library.add_many(batch)
            batch = []
    library.add_many(batch)
    built = time.perf_counter() - start
    if reuse:
        rare_ids = [h.id for h in library.search(RARE, limit=100)]
    library.close()
    files = sorted((home / "data" / "articles").glob("*.md"))
    catalog_path = home / "data" / "catalog.sqlite"
    catalog_mb = catalog_path.stat().st_size / 1e6
    text_mb = sum(p.stat().st_size for p in files) / 1e6
    print(
        f"built {len(files)} articles ({text_mb:.1f} MB of files, catalog {catalog_mb:.1f} MB"
        f" = {catalog_mb / text_mb:.2f} MB per MB of article files) in {built:.1f} s"
    )
    print("catalog by part: " + catalog_parts(catalog_path))

    library = Library()
    library.entries()  # open and sync once, as the app does at start
    queries = [
        ("common word", "阿里巴巴"),
        ("inside a word (残疾人)", "疾人"),
        ("inside a word (公益基金会)", "益基"),
        ("two words", "淘宝 残疾人"),
        ("rare phrase", "专用阅读器"),
        ("one character", "捐"),
        ("Latin", "nihao00"),
        ("author", "王芳"),
        ("title number", "第1234号"),
        ("no match", "量子计算机"),
    ]
    db = library.catalog.db
    from reader.library.catalog import build_query

    every: list[float] = []
    cpu: list[float] = []
    for label, query in queries:
        library.search(query)  # warm
        times = []
        for _ in range(RUNS):
            start, cpu_start = time.perf_counter(), time.thread_time()
            hits = library.search(query, limit=20)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - cpu_start) * 1000)
        every.extend(times)
        expr = build_query(query)
        matching = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (expr,)).fetchone()[0]
        print(
            f"{label:26} {query!r:14} {matching:6} matches, top {len(hits):2}:"
            f" p50 {statistics.median(times):6.1f} ms, p95 {p95(times):6.1f} ms,"
            f" max {max(times):6.1f} ms"
        )
        if query == "专用阅读器":
            assert {h.id for h in hits} == set(rare_ids), "the rare phrase must find its articles"
    library.close()

    # references on the same articles, in the same run
    decode = read_and_decode(files)
    texts = [p.read_text(encoding="utf-8") for p in files]
    start = time.perf_counter()
    found = sum(1 for t in texts if "疾人" in t)
    scan = time.perf_counter() - start
    print(
        f"reference: read+decode all {len(files)} files {decode * 1000:.0f} ms;"
        f" substring scan of the texts already in memory {scan * 1000:.1f} ms ({found} hits)"
    )
    print(
        f"all {len(every)} searches: p50 {statistics.median(every):.1f} ms,"
        f" p95 {p95(every):.1f} ms, max {max(every):.1f} ms (CPU time p50"
        f" {statistics.median(cpu):.1f} ms, p95 {p95(cpu):.1f} ms); target: <= 50 ms"
    )
    print()


def bench_vocabulary(work: Path, count: int) -> None:
    """Catalog size on text with a wide vocabulary: words drawn from jieba's dictionary.

    The shuffled-sentence corpus repeats 48 sentences, so each article uses few
    distinct bigrams and compresses well; real collections lie between it and
    this word salad, whose words follow jieba's frequencies (a Zipf law) but
    whose bigrams are far more varied than prose's.
    """
    import bisect
    import itertools

    import jieba

    from reader.library.article import Article
    from reader.library.store import Library

    vocabulary: list[str] = []
    freqs: list[int] = []
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    with dict_path.open(encoding="utf-8") as lines:
        for line in lines:
            word, freq, *_ = line.split()
            vocabulary.append(word)
            freqs.append(int(freq))
    cumulative = list(itertools.accumulate(freqs))
    rng = random.Random(3)
    home = work / "home-vocabulary"
    os.environ["READER_HOME"] = str(home)
    library = Library()
    library.entries()
    batch: list = []
    start = time.perf_counter()
    for i in range(count):
        text = ""
        target = rng.randint(600, 2500)
        while len(text) < target:
            for _ in range(rng.randint(4, 14)):
                text += vocabulary[bisect.bisect(cumulative, rng.randrange(cumulative[-1]))]
            text += rng.choice("。，，，、；！？")
        blocks = [("heading", 1, f"第{i}号")]
        blocks += [("paragraph", 0, text[j : j + 300]) for j in range(0, len(text), 300)]
        batch.append((Article.from_parts(blocks), None))
        if len(batch) == 500:
            library.add_many(batch)
            batch = []
    library.add_many(batch)
    library.close()
    built = time.perf_counter() - start
    files = list((home / "data" / "articles").glob("*.md"))
    text_mb = sum(p.stat().st_size for p in files) / 1e6
    catalog_path = home / "data" / "catalog.sqlite"
    catalog_mb = catalog_path.stat().st_size / 1e6
    print(f"## Catalog size on a wide vocabulary ({count} articles of jieba-dictionary words)")
    print(
        f"built {len(files)} articles ({text_mb:.1f} MB of files, catalog {catalog_mb:.1f} MB"
        f" = {catalog_mb / text_mb:.2f} MB per MB of article files) in {built:.1f} s"
    )
    print("catalog by part: " + catalog_parts(catalog_path))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="library size for search")
    parser.add_argument("--news", type=int, default=400, help="~6 KB files to import")
    parser.add_argument("--long", type=int, default=8, help="~500 KB files to import")
    parser.add_argument(
        "--keep", type=Path, help="build the search library in this folder, keep it, reuse it"
    )
    parser.add_argument("--search-only", action="store_true", help="skip the import benchmark")
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=0,
        metavar="N",
        help="also measure the catalog's size on N articles of dictionary words (2000: ~30 s)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-bench-", dir=REPO.parent))
    try:
        os.environ.pop("READER_BUNDLED_ARTICLES", None)
        pool = sentence_pool()
        from reader.text.segment import warm_up

        warm_up()
        print(
            f"python {sys.version.split()[0]}, sqlite {__import__('sqlite3').sqlite_version},"
            f" {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f},"
            f" {len(pool)} seed sentences"
        )
        print()
        if not args.search_only:
            bench_import(work, pool, args.news, args.long)
        bench_search(work, pool, args.articles, args.keep)
        if args.vocabulary:
            bench_vocabulary(work, args.vocabulary)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
