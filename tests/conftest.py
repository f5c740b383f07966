"""Every test runs with its own READER_HOME, so no test touches a real library."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def reader_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("reader-home")
    monkeypatch.setenv("READER_HOME", str(home))
    return home


#: Programs the tests drive for real (a terminal, the speech engine, a sound server and its
#: recorder); scripts/setup.sh installs them.  A missing one fails the run at once rather
#: than letting the tests that need it be skipped and the run look green.
REQUIRED_TOOLS = ("tmux", "espeak-ng", "pulseaudio", "parec", "pactl")


def pytest_sessionstart(session: pytest.Session) -> None:
    import shutil

    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        raise pytest.UsageError(
            f"missing programs the tests need: {', '.join(missing)} (run: bash scripts/setup.sh)"
        )
