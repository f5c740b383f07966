"""The library: the bundled articles plus the user's own, looked up by id.

This first version reads article files directly; the catalog (SQLite, search,
trash) is layered behind the same small API so that callers (command line, app)
never care where an article came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader import paths
from reader.errors import UserError
from reader.library.article import Article, ArticleFormatError


class UnknownArticle(UserError, LookupError):
    """No article has that id; the message is a one-line answer for the user."""


@dataclass(frozen=True)
class Entry:
    """What a listing needs to know about one article without loading its text."""

    id: str
    title: str
    author: str
    length: int
    path: Path
    bundled: bool


class Library:
    """Bundled articles (read-only) and the user's articles, bundled first."""

    def __init__(self, bundled_dir: Path | None = None, user_dir: Path | None = None) -> None:
        self.bundled_dir = bundled_dir or paths.bundled_articles_dir()
        self.user_dir = user_dir or (paths.data_dir() / "articles")
        self.errors: list[str] = []

    def _scan(self) -> list[tuple[Path, bool]]:
        found: list[tuple[Path, bool]] = []
        for folder, bundled in ((self.bundled_dir, True), (self.user_dir, False)):
            if folder.is_dir():
                found.extend((p, bundled) for p in sorted(folder.glob("*.md")))
        return found

    def entries(self) -> list[Entry]:
        """Every readable article; unreadable files are reported in ``errors``, not raised."""
        self.errors = []
        result: list[Entry] = []
        seen: set[str] = set()
        for path, bundled in self._scan():
            try:
                article = Article.load(path)
            except ArticleFormatError as exc:
                self.errors.append(str(exc))
                continue
            if article.id in seen:
                continue
            seen.add(article.id)
            result.append(
                Entry(article.id, article.title, article.author, article.length, path, bundled)
            )
        return result

    def get(self, key: str) -> Article:
        """The article whose id is ``key``, or starts with it, or is number ``key`` in the list."""
        entries = self.entries()
        matches = [e for e in entries if e.id == key] or [
            e for e in entries if e.id.startswith(key)
        ]
        if not matches and key.isdigit() and 1 <= int(key) <= len(entries):
            matches = [entries[int(key) - 1]]
        if not matches:
            raise UnknownArticle(f"no article with id {key!r} (try 'reader list')")
        if len(matches) > 1:
            ids = ", ".join(e.id for e in matches)
            raise UnknownArticle(f"id {key!r} is ambiguous: {ids}")
        return Article.load(matches[0].path)
