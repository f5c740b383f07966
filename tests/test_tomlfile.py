"""A broken theme or voice profile is one line naming the file and the reason, as before the shared loader."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reader.errors import UserError
from reader.layout.theme import ThemeError, load_theme_file
from reader.speech.settings import ProfileError, parse_profile
from reader.tomlfile import load_toml


def _toml_reason(text: str) -> str:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return str(exc)
    raise AssertionError("valid TOML")


def _not_utf8(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "gbk.toml"
    path.write_bytes('name = "普通话"\n'.encode("gbk"))
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return path, str(exc)
    raise AssertionError("decodable")


@pytest.mark.parametrize(
    ("load", "error", "cannot_read"),
    [
        (load_theme_file, ThemeError, "cannot read"),
        (parse_profile, ProfileError, "cannot read the voice profile"),
    ],
)
def test_theme_and_profile_errors_keep_their_exact_lines(tmp_path, load, error, cannot_read):
    broken = tmp_path / "broken.toml"
    body = "rate = \n"
    broken.write_text(body, encoding="utf-8")
    with pytest.raises(error) as info:
        load(broken)
    assert str(info.value) == f"{broken}: not valid TOML ({_toml_reason(body)})"

    missing = tmp_path / "missing.toml"
    with pytest.raises(error) as info:
        load(missing)
    assert (
        str(info.value)
        == f"{missing}: {cannot_read} ([Errno 2] No such file or directory: '{missing}')"
    )

    gbk, reason = _not_utf8(tmp_path)
    with pytest.raises(error) as info:
        load(gbk)
    assert str(info.value) == f"{gbk}: {cannot_read} ({reason})"
    assert info.value.__cause__ is None and info.value.__suppress_context__  # no chained traceback


def test_load_toml_returns_the_table_and_defaults_to_user_error(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('name = "mono"\n[text]\nbold = true\n', encoding="utf-8")
    assert load_toml(good) == {"name": "mono", "text": {"bold": True}}
    with pytest.raises(UserError) as info:
        load_toml(tmp_path / "nowhere.toml")
    assert type(info.value) is UserError and "\n" not in str(info.value)
