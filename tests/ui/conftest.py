"""Fixtures for the app tests: a small library, the silent voice, fixed positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.article import Article

ARTICLE_ONE = Article.from_parts(
    [
        ("heading", 1, "银行发布年度报告"),
        ("paragraph", 0, "今天，银行发布了报告。报告说，[bold]残疾人[/bold]就业人数增加了。行人都很高兴！"),
        ("caption", 0, "图为发布会现场"),
        ("heading", 2, "第二部分"),
        ("paragraph", 0, "长治市的朋友说：“我们很满意。”他们还会继续努力。"),
        ("paragraph", 0, "最后一段只有一句话。"),
    ],
    id="aaaa000001",
    title="银行发布年度报告",
    author="皮磊",
)

ARTICLE_TWO = Article.from_parts(
    [("heading", 1, "第二篇文章"), ("paragraph", 0, "这是第二篇文章。它很短。")],
    id="bbbb000002",
    title="第二篇文章",
    author="",
)


@pytest.fixture(autouse=True)
def small_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bundled"
    folder.mkdir()
    for number, article in enumerate((ARTICLE_ONE, ARTICLE_TWO), 1):
        (folder / f"{number:03d}.md").write_text(article.to_markdown(), encoding="utf-8")
    monkeypatch.setenv("READER_BUNDLED_ARTICLES", str(folder))
    monkeypatch.setenv("READER_SPEECH_DRIVER", "silent")
    monkeypatch.delenv("READER_SPEECH_LOG", raising=False)
    monkeypatch.setenv("READER_SCREEN_READER", "0")
    return folder


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory):
    """A private PulseAudio server with a null sink, one per test module (scripts/setup.sh
    installs PulseAudio; a missing server fails the test rather than skipping it)."""
    from reader.speech.soundcheck import PulseServer, SoundUnavailable

    try:
        server = PulseServer(tmp_path_factory.mktemp("pulse")).start()
    except SoundUnavailable as exc:
        pytest.fail(f"no PulseAudio server for the sound test: {exc}")
    yield server
    server.stop()


@pytest.fixture
def listener(sink):
    """What the app's voice put into ``sink``, recorded while the test runs."""
    from reader.speech.soundcheck import Recorder
    from tests.ui.sound_helpers import Ear

    recorder = Recorder(sink).start()
    yield Ear(recorder)
    recorder.stop()


@pytest.fixture
def app_in_article(sink, listener, reader_home, small_library, tmp_path):
    """``reader`` in a tmux pane, speaking into ``sink``, opened on the first article
    with its announcement over: ``(terminal, ear, speech log)``; killed afterwards."""
    import os

    from tests.ui.sound_helpers import SpeechLog, Terminal, app_env, open_first_article

    env = app_env(
        sink.env,
        READER_HOME=str(reader_home),
        READER_BUNDLED_ARTICLES=str(small_library),
        READER_SCREEN_READER="0",
        READER_SPEECH_LOG=str(tmp_path / "speech.jsonl"),
    )
    term = Terminal(f"reader-sound-{os.getpid()}", env, tmp_path)
    try:
        open_first_article(term, listener)
        yield term, listener, SpeechLog(tmp_path / "speech.jsonl")
    finally:
        term.kill()
