"""Regenerate ``articles/`` from the raw seed with reader's own importer.

Usage: ``.venv/bin/python scripts/make_articles.py [SEED_DIR] [OUT_DIR]``
(defaults: the checkout's sibling ``../shared/seed`` and ``articles/``).
Every ``*.txt`` in the seed folder is imported; each story becomes
``<id>.md``.  Stale ``.md`` files in the output folder are removed, so the
folder always equals what the importer makes (``tests/library/test_seed.py``
checks exactly that).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.library.importers.seed import SEED_DIR, build_articles  # noqa: E402


def main(argv: list[str]) -> int:
    seed_dir = Path(argv[0]) if argv else SEED_DIR
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "articles"
    files = build_articles(seed_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.md"):
        if stale.name not in files:
            stale.unlink()
    for name, content in files.items():
        target = out_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != content:
            tmp = target.with_suffix(".md.tmp")
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(target)
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
