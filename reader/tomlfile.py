"""Reading a TOML file that users write by hand (themes, voice profiles).

A file that cannot be read or parsed must reach the user as one line naming
the file and the reason, never as a traceback; each caller raises its own
:class:`~reader.errors.UserError` subclass so it can be caught on its own
(a broken user theme is skipped, a broken profile is refused).  Nothing here
imports Textual.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from reader.errors import UserError


def load_toml(path: Path, error: type[UserError] = UserError, what: str = "") -> dict[str, Any]:
    """The table in ``path``; a missing, unreadable or malformed file raises ``error``.

    The messages are ``<path>: cannot read[ <what>] (<reason>)`` and
    ``<path>: not valid TOML (<reason>)``; ``what`` names the kind of file
    where the path alone would not say it.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read{' ' + what if what else ''} ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc})") from None
