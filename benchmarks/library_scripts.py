"""Script-insensitive search: its cost on Traditional text, a mixed library, and the upgrade.

    taskset -c 1 .venv/bin/python benchmarks/library_scripts.py [--articles 10000]

The library benchmark (``benchmarks/library.py``) measures Simplified text,
which the script fold leaves as it is.  This one measures what the fold costs
where it works: the same generated news articles converted to Traditional
(OpenCC s2tw, a Taiwan-style text as a Big5 file would give), imported and
searched beside their Simplified originals, with queries typed in either
script.  Targets as in the library benchmark: import >= 2 MB/s, search
<= 50 ms in 10,000 articles.  It also times what an upgrade costs: the one-time
rebuild of an index made by the previous version (index terms without the
script fold), from the rows, against the full rebuild from the files that a
schema change makes.  Reference in the same run: reading and decoding.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from library import make_text, p95, read_and_decode, sentence_pool  # noqa: E402

RUNS = 20


def startup() -> None:
    """A fresh process's first fold (what ``reader search`` pays once): table and regex."""
    code = (
        "import time; t = time.perf_counter();"
        "from reader.library import catalog as c; i = time.perf_counter();"
        "c.index_version(); v = time.perf_counter();"
        "c.script_table(); s = time.perf_counter();"
        "c.fold('中文'); f = time.perf_counter();"
        "print(f'{(i-t)*1e3:.0f} {(v-i)*1e3:.0f} {(s-v)*1e3:.0f} {(f-s)*1e3:.0f} {len(c.script_table())}')"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(5)
    ]
    cols = list(zip(*runs, strict=True))
    med = [statistics.median(float(x) for x in col) for col in cols[:4]]
    print(
        f"fresh process (median of 5): import catalog {med[0]:.0f} ms, converter version"
        f" (imports opencc) {med[1]:.0f} ms, t2s character table ({runs[0][4]} characters)"
        f" {med[2]:.0f} ms, first fold (the NFKC+case+script table) {med[3]:.0f} ms"
    )


def fold_speed(pool: list[str]) -> None:
    from opencc import OpenCC

    from reader.library.catalog import fold, fold_script

    rng = random.Random(3)
    simp = "".join(rng.choice(pool) for _ in range(3000))
    trad = OpenCC("s2tw").convert(simp)
    fold(simp), fold_script(simp)
    for name, text in (("Simplified", simp), ("Traditional", trad)):
        for label, fn in (("fold", fold), ("fold_script", fold_script)):
            start = time.perf_counter()
            for _ in range(5):
                fn(text)
            rate = 5 * len(text) / (time.perf_counter() - start) / 1e6
            print(f"{label:11} {name:11} text: {rate:5.1f} M characters/s")
    changed = sum(a != b for a, b in zip(trad, simp, strict=True))
    print(
        f"(the Traditional text differs from the Simplified in {changed / len(simp):.0%} of characters)"
    )


def bench_import(work: Path, pool: list[str], news: int) -> None:
    from opencc import OpenCC

    from reader.library.store import Library

    s2tw = OpenCC("s2tw")
    rng = random.Random(1)
    folders = {"Simplified UTF-8": work / "simp", "Traditional UTF-8": work / "trad"}
    for folder in folders.values():
        folder.mkdir()
    for i in range(news):
        text = make_text(rng, pool, 2000, f"第{i}号新闻")
        (folders["Simplified UTF-8"] / f"n{i:04d}.txt").write_text(text, encoding="utf-8")
        (folders["Traditional UTF-8"] / f"n{i:04d}.txt").write_text(s2tw.convert(text), "utf-8")
    os.environ["READER_HOME"] = str(work / "home-warm")
    warm = work / "warm.txt"
    warm.write_text(s2tw.convert(make_text(rng, pool, 3000, "预热")), encoding="utf-8")
    Library().import_paths([warm])
    print(f"## Import, {news} news files (~6 KB) each")
    for name, folder in folders.items():
        files = sorted(folder.glob("*.txt"))
        size = sum(p.stat().st_size for p in files)
        read_and_decode(files)
        os.environ["READER_HOME"] = str(work / f"home-{folder.name}")
        library = Library()
        library.entries()
        start, cpu = time.perf_counter(), time.process_time()
        results = library.import_paths(files)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        library.close()
        assert all(r.status == "imported" for r in results), results[:3]
        reference = read_and_decode(files)
        print(
            f"{name:18} {size / 1e6:.2f} MB: import {elapsed:5.2f} s = {size / 1e6 / elapsed:4.2f}"
            f" MB/s (cpu {cpu:4.2f} s = {size / 1e6 / cpu:4.2f} MB per cpu-second);"
            f" read+decode {reference * 1000:.1f} ms; target >= 2 MB/s"
        )
    print()


def bench_search(work: Path, pool: list[str], count: int) -> None:
    from opencc import OpenCC

    from reader.library.article import Article
    from reader.library.store import Library

    s2tw = OpenCC("s2tw")
    home = work / "home-mixed"
    os.environ["READER_HOME"] = str(home)
    rng = random.Random(2)
    library = Library()
    start = time.perf_counter()
    batch = []
    for i in range(count):
        text = make_text(rng, pool, rng.randint(600, 2500), f"第{i}号文章")
        if i % 2:
            text = s2tw.convert(text)
        title, *paragraphs = [t for t in text.split("\n\n") if t.strip()]
        batch.append(
            (
                Article.from_parts(
                    [("heading", 1, title.strip())] + [("paragraph", 0, p) for p in paragraphs],
                    author=rng.choice(["皮磊", "李庆", "王芳", "张伟", ""]),
                ),
                None,
            )
        )
        if len(batch) == 500:
            library.add_many(batch)
            batch = []
    library.add_many(batch)
    built = time.perf_counter() - start
    library.close()
    files = sorted((home / "data" / "articles").glob("*.md"))
    text_mb = sum(p.stat().st_size for p in files) / 1e6
    catalog_mb = (home / "data" / "catalog.sqlite").stat().st_size / 1e6
    print(
        f"## Search in {len(files)} articles, every second one Traditional ({text_mb:.1f} MB,"
        f" catalog {catalog_mb:.1f} MB, built in {built:.1f} s)"
    )
    library = Library()
    library.entries()
    queries = [
        ("common word (alike in both)", "阿里巴巴"),
        ("word, Simplified", "基金会"),
        ("word, Traditional", "基金會"),
        ("word, Simplified", "残疾人"),
        ("word, Traditional", "殘疾人"),
        ("inside a word, S", "助残"),
        ("inside a word, T", "助殘"),
        ("two words, T", "淘寶 殘疾人"),
        ("one character, T", "捐"),
        ("phrase, Simplified", "世界银行"),
        ("phrase, Traditional", "世界銀行"),
    ]
    every: list[float] = []
    cpu: list[float] = []
    for label, query in queries:
        library.search(query)
        times = []
        for _ in range(RUNS):
            start, cpu_start = time.perf_counter(), time.thread_time()
            hits = library.search(query, limit=20)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - cpu_start) * 1000)
        every.extend(times)
        trad = sum("號" in h.title for h in hits)
        print(
            f"{label:24} {query!r:10} top {len(hits):2} ({trad:2} Traditional):"
            f" p50 {statistics.median(times):5.1f} ms, p95 {p95(times):5.1f} ms,"
            f" max {max(times):5.1f} ms, cpu p50 {statistics.median(cpu[-RUNS:]):5.1f} ms"
        )
    library.close()
    print(
        f"all {len(every)} searches: p50 {statistics.median(every):.1f} ms, p95"
        f" {p95(every):.1f} ms, max {max(every):.1f} ms (CPU time p50"
        f" {statistics.median(cpu):.1f} ms, p95 {p95(cpu):.1f} ms); target <= 50 ms"
    )
    print()

    print("## Upgrade: the one-time rebuild when a catalog of the previous version is opened")
    catalog_path = home / "data" / "catalog.sqlite"
    for key, value, what in (
        ("index", "grams1/old", "index made without the script fold: rebuilt from the rows"),
        ("schema", "2", "older schema: emptied and filled again from the files"),
    ):
        db = sqlite3.connect(catalog_path)
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
        db.commit()
        db.close()
        start = time.perf_counter()
        library = Library()
        library.entries()
        elapsed = time.perf_counter() - start
        notices = list(library.notices)
        library.close()
        print(f"{what}: {elapsed:.1f} s for {len(files)} articles; notice: {notices}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="mixed library size")
    parser.add_argument("--news", type=int, default=400, help="~6 KB files to import")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-bench-", dir=REPO.parent))
    try:
        os.environ.pop("READER_BUNDLED_ARTICLES", None)
        pool = sentence_pool()
        from reader.text.segment import warm_up

        warm_up()
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} cpus,"
            f" load average {os.getloadavg()[0]:.1f}"
        )
        startup()
        fold_speed(pool)
        print()
        bench_import(work, pool, args.news)
        bench_search(work, pool, args.articles)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
