"""The 600,000-character book the app and rendering benchmarks open, made from the bundled
articles so that every benchmark measures the same text without shipping a large file."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_book(folder: Path, chars: int = 600_000) -> str:
    """Write one article of at least ``chars`` characters into ``folder``; return its id."""
    from reader.library.article import Article

    sources = [Article.load(p) for p in sorted((ROOT / "articles").glob("*.md"))]
    parts, total, chapter = [], 0, 0
    while total < chars:
        for article in sources:
            chapter += 1
            parts.append(("heading", 2, f"第{chapter}章 {article.title}"))
            for kind, level, text in article.parts():
                parts.append((kind, level, text))
                total += len(text) + 1
    book = Article.from_parts(parts, id="b00k600000", title="六十万字的书", author="benchmark")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.md").write_text(book.to_markdown(), encoding="utf-8")
    return book.id
