"""Every test runs with its own READER_HOME, so no test touches a real library."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def reader_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("reader-home")
    monkeypatch.setenv("READER_HOME", str(home))
    return home
