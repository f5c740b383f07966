"""A private PulseAudio server with a null sink, and a recorder of what it plays."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.speech.soundcheck import PulseServer, Recorder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory):
    """One PulseAudio server for the session (started as root in CI, no sound card needed)."""
    server = PulseServer(tmp_path_factory.mktemp("pulse")).start()
    yield server
    server.stop()


@pytest.fixture
def recorder(pulse):
    rec = Recorder(pulse).start()
    yield rec
    rec.stop()


@pytest.fixture
def run_scenario(pulse):
    """Run a scenario of tests/speech/scenarios.py in a child process against the server."""

    def run(name: str, timeout: float = 60.0) -> dict:
        env = dict(os.environ)
        env.update(pulse.env)
        done = subprocess.run(
            [sys.executable, "-m", "tests.speech.scenarios", name],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stderr == "", f"the speech layer wrote to the terminal: {done.stderr[-500:]}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run
