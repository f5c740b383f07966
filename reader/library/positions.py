"""Reading positions and bookmarks, per article, in ``state_dir()/positions.json``.

One small JSON file: every save rewrites it atomically (temporary file +
rename), so quitting at any moment never loses the place already saved.  A
damaged file is kept aside as ``positions.json.bad`` before anything new is
written, so nothing the reader had stored is silently thrown away.  Offsets
are character offsets into ``Article.text``, the same as everywhere else.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reader import paths


@dataclass(frozen=True)
class Bookmark:
    """A remembered place: offset, a short label (the text there), when it was made."""

    offset: int
    label: str
    created: float


class Positions:
    """Where each article was left, and its bookmarks."""

    FILE_NAME = "positions.json"

    def __init__(self, directory: Path | None = None) -> None:
        self.path = (directory or paths.state_dir()) / self.FILE_NAME
        self.error: str | None = None
        self._damaged = False
        self._data: dict[str, dict[str, Any]] = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            articles = raw["articles"]
            if not isinstance(articles, dict):
                raise TypeError("articles is not an object")
            return {str(k): dict(v) for k, v in articles.items() if isinstance(v, dict)}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.error = f"{self.path}: damaged ({exc}); positions start afresh"
            self._damaged = True
            return {}

    def _write(self) -> None:
        from reader.library.atomic import write_text

        if self._damaged:
            # Copied, not renamed: renaming would move a symlinked positions.json
            # (dotfiles) aside and the next write would replace the link with a file.
            import shutil

            try:
                shutil.copyfile(self.path, self.path.with_name(self.FILE_NAME + ".bad"))
            except OSError:
                pass
            self._damaged = False
        write_text(
            self.path,
            json.dumps({"version": 1, "articles": self._data}, ensure_ascii=False, indent=1),
        )

    # ------------------------------------------------------------------ positions

    def get(self, article_id: str) -> int:
        """The saved offset (0 for an article never opened)."""
        value = self._data.get(article_id, {}).get("offset", 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def set(self, article_id: str, offset: int, length: int | None = None) -> None:
        """Remember ``offset`` (and the article's length, for progress) and save."""
        entry = self._data.setdefault(article_id, {})
        if entry.get("offset") == offset and (length is None or entry.get("length") == length):
            return
        entry["offset"] = max(0, int(offset))
        if length is not None:
            entry["length"] = int(length)
        entry["updated"] = time.time()
        self._write()

    def progress(self, article_id: str, length: int | None = None) -> int:
        """Percent read, 0-100, from the saved offset."""
        entry = self._data.get(article_id)
        if not entry:
            return 0
        total = length or entry.get("length") or 0
        if total <= 1:
            return 0
        return max(0, min(100, round(100 * self.get(article_id) / (total - 1))))

    # ------------------------------------------------------------------ bookmarks

    def bookmarks(self, article_id: str) -> list[Bookmark]:
        """Bookmarks in reading order."""
        result = []
        for item in self._data.get(article_id, {}).get("bookmarks", []):
            try:
                result.append(
                    Bookmark(int(item["offset"]), str(item["label"]), float(item["created"]))
                )
            except (KeyError, TypeError, ValueError):
                continue
        return sorted(result, key=lambda b: b.offset)

    def add_bookmark(self, article_id: str, offset: int, label: str) -> Bookmark | None:
        """Add a bookmark; None if one is already at that offset."""
        marks = self.bookmarks(article_id)
        if any(b.offset == offset for b in marks):
            return None
        mark = Bookmark(int(offset), label, time.time())
        marks.append(mark)
        self._store_marks(article_id, marks)
        return mark

    def remove_bookmark(self, article_id: str, offset: int) -> bool:
        marks = self.bookmarks(article_id)
        kept = [b for b in marks if b.offset != offset]
        if len(kept) == len(marks):
            return False
        self._store_marks(article_id, kept)
        return True

    def _store_marks(self, article_id: str, marks: list[Bookmark]) -> None:
        entry = self._data.setdefault(article_id, {})
        entry["bookmarks"] = [asdict(b) for b in sorted(marks, key=lambda b: b.offset)]
        self._write()
