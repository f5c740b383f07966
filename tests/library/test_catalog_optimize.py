"""A bulk import ends with an FTS5 optimize; a small one into a large library does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library import catalog as cat
from reader.library.store import Library


def write_files(folder: Path, start: int, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    files = []
    for i in range(start, start + count):
        path = folder / f"n{i}.txt"
        path.write_text(
            f"第{i}号通知\n\n图书馆第{i}次讲座介绍无障碍阅读，欢迎视障读者参加。\n", "utf-8"
        )
        files.append(path)
    return files


def segments(lib: Library) -> int:
    """How many b-tree leaves the index has: one optimize leaves the fewest."""
    return lib.catalog.db.execute("SELECT count(*) FROM fts_idx").fetchone()[0]


def test_a_bulk_import_is_optimized_and_a_small_one_is_not(
    tmp_path: Path, no_bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cat, "OPTIMIZE_MIN_ARTICLES", 20)
    calls: list[tuple[int, bool]] = []
    real = cat.Catalog.optimize_after_import

    def spy(self, added: int) -> bool:
        done = real(self, added)
        calls.append((added, done))
        return done

    monkeypatch.setattr(cat.Catalog, "optimize_after_import", spy)
    lib = Library()
    # a first bulk import: 40 articles, all of the library
    results = lib.import_paths(write_files(tmp_path / "in", 0, 40))
    assert sum(r.status == "imported" for r in results) == 40
    assert calls == [(40, True)]
    merged = segments(lib)
    assert lib.catalog.integrity_problems() == []
    assert len(lib.search("无障碍阅读", limit=100)) == 40
    # too few articles
    lib.import_paths(write_files(tmp_path / "in", 40, 5))
    assert calls[-1] == (5, False)
    # enough articles, but under a quarter of the library
    monkeypatch.setattr(cat, "OPTIMIZE_MIN_ARTICLES", 5)
    lib.import_paths(write_files(tmp_path / "in", 45, 10))
    assert calls[-1] == (10, False)
    assert segments(lib) > merged  # the later imports added segments of their own
    # duplicates are not counted as added
    lib.import_paths(write_files(tmp_path / "again", 0, 40))
    assert calls[-1] == (0, False)
    assert len(lib.search("无障碍阅读", limit=100)) == 55
    assert lib.catalog.integrity_problems() == []
    lib.close()


def test_optimize_keeps_every_result(no_bundled: Path, tmp_path: Path) -> None:
    lib = Library()
    lib.import_paths(write_files(tmp_path / "in", 0, 30))
    before = [(h.id, h.sentence, round(h.score, 6)) for h in lib.search("讲座", limit=50)]
    assert lib.catalog.optimize_after_import(10**6) is True
    after = [(h.id, h.sentence, round(h.score, 6)) for h in lib.search("讲座", limit=50)]
    assert after == before and len(after) == 30
    lib.close()
