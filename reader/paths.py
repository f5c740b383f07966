"""Where reader keeps its files.

Everything a user owns lives under the XDG directories (via platformdirs) so it
survives upgrades and never lands in a shared ``/tmp``.  ``READER_HOME`` moves
all of it under one folder, which is how tests and portable installs keep their
data apart from the user's real library.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reader"

#: The repository root (where ``articles/`` and ``voices/`` live in a checkout).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _home() -> Path | None:
    value = os.environ.get("READER_HOME")
    return Path(value).expanduser() if value else None


def _dir(kind: str) -> Path:
    home = _home()
    if home is not None:
        path = home / kind
    else:
        import platformdirs

        getter = {
            "config": platformdirs.user_config_dir,
            "data": platformdirs.user_data_dir,
            "state": platformdirs.user_state_dir,
            "cache": platformdirs.user_cache_dir,
        }[kind]
        path = Path(getter(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Settings, keymap and the user's lexicon entries."""
    return _dir("config")


def data_dir() -> Path:
    """The user's library: article files, the catalog and the trash."""
    return _dir("data")


def state_dir() -> Path:
    """Reading positions and bookmarks: things that change as one reads."""
    return _dir("state")


def cache_dir() -> Path:
    """Private caches (segmenter dictionaries and the like); safe to delete."""
    return _dir("cache")


def bundled_articles_dir() -> Path:
    """The read-only articles shipped with reader."""
    override = os.environ.get("READER_BUNDLED_ARTICLES")
    return Path(override) if override else PROJECT_ROOT / "articles"


def voices_dir() -> Path:
    """Voice profiles and the bundled pronunciation lexicon, shipped as data."""
    return PROJECT_ROOT / "voices"
