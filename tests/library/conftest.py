"""Fixtures shared by the library tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def no_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library without the bundled articles: an empty folder stands in for them, so
    catalog sizes and search results count only what a test imports."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    monkeypatch.setenv("READER_BUNDLED_ARTICLES", str(folder))
    return folder
