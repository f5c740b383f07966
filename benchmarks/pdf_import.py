"""PDF import: what the limited worker costs on ordinary files, and what it saves on hostile ones.

Each row runs in a fresh process and reports wall time and peak RSS (the
process's own ``VmHWM`` plus its children's ``ru_maxrss``, which covers the
PDF worker).  The reference on each row is plain pdfminer.six in-process
(``extract_pages`` with the same ``LAParams``), which is what the importer did
before the worker existed; on hostile files it is stopped after
``REFERENCE_SECONDS``.

Run: ``.venv/bin/python benchmarks/pdf_import.py``
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE_SECONDS = 60

_READER = """
import sys
from reader.library.importers import ImportRefused, import_file
try:
    outcome = import_file(sys.argv[1])
    print("imported", sum(len(a.text) for a in outcome.articles), "characters")
except ImportRefused as exc:
    print("refused:", exc.code)
"""

_PDFMINER = """
import sys
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextBox
chars = 0
for page in extract_pages(sys.argv[1], laparams=LAParams()):
    chars += sum(len(e.get_text()) for e in page if isinstance(e, LTTextBox))
print("read", chars, "characters")
"""

_MEASURE = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
try:
    done = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True,
                          text=True, timeout=float(sys.argv[3]))
    said = (done.stdout.strip().splitlines() or [done.stderr.strip()[-80:]])[-1]
except subprocess.TimeoutExpired:
    said = "stopped after %s s" % sys.argv[3]
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "said": said}))
"""


def measure(script: str, path: Path, timeout: float = REFERENCE_SECONDS) -> dict:
    """Run ``script`` on ``path`` in a child of a small measuring process."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, script, str(path), str(timeout)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout + 30,
    )
    return json.loads(done.stdout)


def main() -> None:
    from tests.library import fixtures as fx
    from tests.library import hostile

    with tempfile.TemporaryDirectory(prefix="reader-pdf-bench-") as folder:
        tmp = Path(folder)
        article = fx.bundled(0)
        paragraphs = fx.paragraphs(article)
        bomb = tmp / "bomb.pdf"
        bomb.write_bytes(
            hostile.one_page_pdf(hostile.deflate_zeros(1 << 30), filters=("FlateDecode",))
        )
        files = [
            ("A5 article, 2 pages", fx.make_pdf(tmp / "a.pdf", paragraphs, title=article.title)),
            (
                "book, 300 pages",
                fx.make_pdf(tmp / "book.pdf", paragraphs * 120, title="长书"),
            ),
            ("1 GB Flate bomb (1 MB file)", bomb),
            ("1,000,000 glyphs on one page", hostile.glyph_flood(tmp / "glyphs.pdf")),
            ("10,001 pages", hostile.many_pages(tmp / "pages.pdf", 10_001)),
        ]
        print("| file | size | reader (worker) | s | peak MB | pdfminer in-process | s | peak MB |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for name, path in files:
            ours = measure(_READER, path)
            ref = measure(_PDFMINER, path)
            size = path.stat().st_size
            print(
                f"| {name} | {size / 1024:,.0f} KB | {ours['said']} | {ours['seconds']:.2f} "
                f"| {ours['peak_mb']:.0f} | {ref['said']} | {ref['seconds']:.2f} "
                f"| {ref['peak_mb']:.0f} |"
            )
            sys.stdout.flush()
    print(f"\n(pdfminer rows stopped after {REFERENCE_SECONDS} s; {time.strftime('%Y-%m-%d')})")


if __name__ == "__main__":
    main()
