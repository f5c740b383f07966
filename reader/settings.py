"""User settings: one dataclass, stored as TOML in ``config_dir()/settings.toml``.

The file is meant to be edited by hand (and by the app when the reader turns
the speed up), so loading never fails: a bad key or value becomes a one-line
message naming the key and the reason, and the default is used for that key
alone.  Keys are rebound in a ``[keys]`` table by binding id, e.g.::

    lang = "en"
    rate = 140
    [keys]
    say_all = "space,p"

Other engineers add fields (theme, spacing, pinyin …) by adding dataclass
fields with defaults; validation follows the default's type, so nothing else
needs to change.  Nothing here imports Textual.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from reader import paths

#: allowed values for the string settings that are really choices.
CHOICES: dict[str, tuple[str, ...]] = {
    "lang": ("zh", "en"),
    "screen_reader": ("auto", "on", "off"),
    "verbosity": ("brief", "normal", "verbose"),
    "speech_driver": ("auto", "espeak", "pyttsx3", "silent"),
    # low vision (reader/ui/lowvision.py)
    "pinyin": ("off", "all", "sentence"),
    "pinyin_style": ("marks", "numbers", "colors"),
    "focus": ("off", "sentence", "paragraph"),
    "large_print": ("off", "word", "sentence"),
}

#: numeric settings and their inclusive ranges.
RANGES: dict[str, tuple[float, float]] = {
    "rate": (0, 100),
    "volume": (0, 100),
    "measure": (0, 200),
    "line_spacing": (0, 3),
    "paragraph_spacing": (0, 4),
    "indent": (0, 8),
    "large_print_size": (2, 8),
    "max_import_mb": (1, 4096),
}


@dataclass
class Settings:
    """Everything the reader can set; every field has a working default."""

    lang: str = "zh"
    #: "auto" detects a running screen reader; "on"/"off" force it.
    screen_reader: str = "auto"
    #: how much the app says about itself: brief, normal or verbose.
    verbosity: str = "normal"
    speech_driver: str = "auto"
    #: speaking rate and volume, 0-100 like NVDA's sliders; unset = the voice profile's own.
    rate: int | None = None
    volume: int | None = None
    #: voice profile name (``voices/*.toml``); empty = the default profile.
    voice: str = ""
    # low vision (reader/ui/lowvision.py): theme name (reader/ui/themes/*.toml or
    # the user's config_dir()/themes), text width in cells (0: the window's),
    # spacing, pinyin above the text, focus dimming and large print.
    theme: str = "ansi"
    measure: int = 0
    letter_spacing: bool = False
    line_spacing: int = 0
    paragraph_spacing: int = 1
    indent: int = 0
    pinyin: str = "off"
    pinyin_style: str = "marks"
    focus: str = "off"
    large_print: str = "off"
    large_print_size: int = 6
    #: the largest file ``reader import`` accepts, in MB (``--max-size`` overrides).
    max_import_mb: int = 50
    #: binding id -> comma-separated Textual key names.
    keys: dict[str, str] = field(default_factory=dict)

    errors: list[str] = field(default_factory=list, repr=False, compare=False)
    path: Path | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ io

    @classmethod
    def file(cls) -> Path:
        return paths.config_dir() / "settings.toml"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read settings; never raises for bad content (see ``errors``)."""
        path = path or cls.file()
        settings = cls(path=path)
        if not path.exists():
            return settings
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            settings.errors.append(f"{path}: cannot read ({exc})")
            return settings
        except tomllib.TOMLDecodeError as exc:
            settings.errors.append(f"{path}: not valid TOML ({exc}); defaults used")
            return settings
        settings.apply(data, source=str(path))
        return settings

    def apply(self, data: dict[str, Any], source: str = "settings") -> None:
        """Take every valid key of ``data``; report each bad one in ``errors``."""
        known = {f.name: f for f in fields(self) if f.name not in ("errors", "path")}
        for key, value in data.items():
            if key not in known:
                self.errors.append(f"{source}: unknown setting {key!r} ignored")
                continue
            default = getattr(type(self)(), key)
            problem = _check(key, value, default)
            if problem:
                self.errors.append(f"{source}: setting {key!r} {problem}; default used")
                continue
            if key == "keys":
                value = {str(k): str(v) for k, v in value.items()}
            elif isinstance(default, bool):
                value = bool(value)
            elif (isinstance(default, int) and not isinstance(default, bool)) or key in RANGES:
                value = int(value)
            elif isinstance(default, float):
                value = float(value)
            if key == "screen_reader" and isinstance(value, bool):
                value = "on" if value else "off"
            setattr(self, key, value)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("errors", None)
        data.pop("path", None)
        return data

    def save(self, path: Path | None = None) -> None:
        """Write the settings atomically, keeping keys this version does not know."""
        import tomli_w

        path = path or self.path or self.file()
        existing: dict[str, Any] = {}
        if path.exists():
            try:
                existing = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                existing = {}
        defaults = type(self)().to_dict()
        data = dict(existing)
        for key, value in self.to_dict().items():
            if value is None:
                data.pop(key, None)
                continue
            if value != defaults.get(key) or key in existing:
                data[key] = value
        if not data.get("keys"):
            data.pop("keys", None)
        from reader.library.atomic import write_text

        write_text(path, tomli_w.dumps(data))


def _check(key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` is not acceptable for ``key`` (None if it is)."""
    if key == "keys":
        if not isinstance(value, dict):
            return "must be a table of binding id = \"keys\""
        for k, v in value.items():
            if not isinstance(v, str) or not v.strip():
                return f"entry {k!r} must be a non-empty string of key names"
        return None
    if key == "screen_reader" and isinstance(value, bool):
        return None
    if default is None and key in RANGES:
        default = 0
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "must be a number"
        low, high = RANGES.get(key, (float("-inf"), float("inf")))
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g}"
        return None
    if isinstance(default, str):
        if not isinstance(value, str):
            return "must be a string"
        choices = CHOICES.get(key)
        if choices and value not in choices:
            return f"must be one of {', '.join(choices)}"
        return None
    if isinstance(default, list):
        return None if isinstance(value, list) else "must be a list"
    if isinstance(default, dict):
        return None if isinstance(value, dict) else "must be a table"
    return None
