"""The one atomic writer and the files it must not replace: links, FIFOs, devices, folders.

Every file here lives under ``tmp_path``; the only real system path touched is
``/dev/null``, and only by ``stat`` (the check that refuses it reads nothing
and writes nothing).  A device node is stood in for by a FIFO (``os.mkfifo``):
it is the same case for the writer (not a regular file) and harmless to make.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.errors import UserError
from reader.library import atomic


@pytest.fixture
def dotfiles(tmp_path: Path) -> Path:
    """A folder elsewhere (a dotfiles repository) that the links point into."""
    folder = tmp_path / "dotfiles"
    folder.mkdir()
    return folder


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path, dotfiles):
    real = dotfiles / "notes.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "notes.md"
    link.symlink_to(real)
    written = atomic.write_text(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new\n"
    assert written == real
    # the temporary file was made beside the real file and renamed away
    assert sorted(p.name for p in dotfiles.iterdir()) == ["notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dotfiles", "notes.md"]


def test_a_relative_and_chained_link_is_followed_to_its_end(tmp_path, dotfiles):
    real = dotfiles / "a.txt"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "hop").symlink_to("dotfiles/a.txt")  # relative
    (tmp_path / "start").symlink_to(tmp_path / "hop")
    atomic.write_bytes(tmp_path / "start", b"new")
    assert real.read_bytes() == b"new"
    assert (tmp_path / "hop").is_symlink() and (tmp_path / "start").is_symlink()


def test_a_dangling_link_creates_the_file_it_names(tmp_path, dotfiles):
    link = tmp_path / "later.toml"
    link.symlink_to(dotfiles / "later.toml")
    atomic.write_text(link, "x = 1\n")
    assert link.is_symlink() and (dotfiles / "later.toml").read_text() == "x = 1\n"


def test_a_fifo_is_refused_and_left_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(atomic.NotRegularFile) as caught:
        atomic.write_text(fifo, "text")  # would block for ever if it opened the FIFO
    assert caught.value.kind == "FIFO" and isinstance(caught.value, OSError)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.md"]  # no temporary left


def test_a_link_to_a_fifo_is_refused_too(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "pipe")
    with pytest.raises(atomic.NotRegularFile):
        atomic.write_text(tmp_path / "link", "text")
    assert (tmp_path / "link").is_symlink() and stat.S_ISFIFO(os.stat(tmp_path / "pipe").st_mode)


def test_a_folder_is_refused(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(atomic.NotRegularFile) as caught:
        atomic.write_text(tmp_path / "folder", "text")
    assert caught.value.kind == "folder" and (tmp_path / "folder").is_dir()


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    private = tmp_path / "settings.toml"
    private.write_text("a = 1\n")
    private.chmod(0o600)
    atomic.write_text(private, "a = 2\n")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text() == "a = 2\n"


def test_make_parents_false_refuses_a_missing_folder_and_creates_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic.write_text(tmp_path / "typo" / "deeper" / "a.md", "x", make_parents=False)
    assert list(tmp_path.iterdir()) == []
    atomic.write_text(tmp_path / "made" / "a.md", "x")  # the library's own writes still may
    assert (tmp_path / "made" / "a.md").read_text() == "x"


def test_output_target_refuses_devices_fifos_folders_and_missing_folders(tmp_path):
    with pytest.raises(UserError) as caught:
        atomic.output_target("/dev/null")  # read-only: a stat, nothing opened or written
    assert caught.value.code == "export_is_device" and "\n" not in str(caught.value)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UserError, match="is a FIFO") as caught:
        atomic.output_target(tmp_path / "fifo")
    assert caught.value.code == "export_is_fifo"
    with pytest.raises(UserError, match="is a folder") as caught:
        atomic.output_target(tmp_path)
    assert caught.value.code == "export_is_folder"
    with pytest.raises(UserError) as caught:
        atomic.output_target(tmp_path / "no" / "such" / "a.md")
    assert caught.value.code == "export_no_folder"
    assert caught.value.details["folder"] == str(tmp_path / "no" / "such")
    assert not (tmp_path / "no").exists()
    (tmp_path / "real.md").write_text("x")
    (tmp_path / "link.md").symlink_to("real.md")
    assert atomic.output_target(tmp_path / "link.md") == tmp_path / "real.md"


# ---------------------------------------------------------------------- the writer's callers


def test_settings_saved_through_a_link_into_a_dotfiles_repository(reader_home, dotfiles):
    from reader.settings import Settings

    real = dotfiles / "settings.toml"
    real.write_text('# my settings\nlang = "zh"\n', encoding="utf-8")
    link = Settings.file()
    link.symlink_to(real)
    settings = Settings.load()
    settings.lang = "en"
    settings.save()
    assert link.is_symlink() and os.readlink(link) == str(real)
    text = real.read_text(encoding="utf-8")
    assert 'lang = "en"' in text and "# my settings" in text
    assert Settings.load().lang == "en"


def test_positions_saved_through_a_link(reader_home, dotfiles):
    from reader import paths
    from reader.library.positions import Positions

    real = dotfiles / "positions.json"
    link = paths.state_dir() / Positions.FILE_NAME
    link.symlink_to(real)  # dangling until the first save
    Positions().set("abc", 42, 100)
    assert link.is_symlink() and real.is_file()
    assert Positions().get("abc") == 42


def test_lexicon_saved_through_a_link(reader_home, dotfiles):
    from reader import paths
    from reader.text.lexicon import Lexicon

    real = dotfiles / "lexicon.txt"
    real.write_text("# mine\n", encoding="utf-8")
    link = paths.config_dir() / "lexicon.txt"
    link.symlink_to(real)
    Lexicon(user_path=link).add("银行", "yin2 hang2")
    assert link.is_symlink()
    assert "银行" in real.read_text(encoding="utf-8")
