"""Voice settings and voice profiles (``voices/*.toml``).

A profile is a small TOML file a user can copy and edit::

    name = "mandarin"
    description = "普通话（espeak-ng，拼音）"
    engine = "espeak"          # espeak | pyttsx3 | silent | auto
    voice = "cmn-latn-pinyin"  # the engine's voice for the main language
    latin_voice = "en"         # for Latin words and spelled letters
    language = "zh"            # the main language: zh or en
    script = "pinyin"          # how Mandarin reaches the engine: pinyin or hanzi
    rate = 30                  # 0-100, like NVDA's sliders
    volume = 100               # 0-100
    pitch = 50                 # 0-100

Rate, volume and pitch are percentages so every engine (and the UI's
sliders) share one scale; each driver maps them to its own units.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.errors import UserError
from reader.tomlfile import load_toml

ENGINES = ("auto", "espeak", "pyttsx3", "silent")


class ProfileError(UserError, ValueError):
    """An unknown or invalid voice profile; the message names the valid ones."""


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    """Everything a driver needs to know to speak one utterance."""

    voice: str = "cmn-latn-pinyin"
    latin_voice: str = "en"
    language: str = "zh"
    script: str = "pinyin"
    rate: int = 30
    volume: int = 100
    pitch: int = 50

    def with_(self, **changes: object) -> VoiceSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class VoiceProfile:
    name: str
    engine: str = "auto"
    description: str = ""
    settings: VoiceSettings = field(default_factory=VoiceSettings)
    path: Path | None = None


def profiles_dir() -> Path:
    from reader import paths

    return paths.voices_dir()


def user_profiles_dir() -> Path:
    from reader import paths

    return paths.config_dir() / "voices"


def _profile_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in (profiles_dir(), user_profiles_dir()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = path  # a user's profile overrides a bundled one
    return found


def profile_names() -> list[str]:
    return sorted(_profile_files())


def _clamp_int(data: dict, key: str, default: int, path: Path, lo: int = 0, hi: int = 100) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ProfileError(f"{path}: {key} must be a whole number from {lo} to {hi}, not {value!r}")
    return value


def parse_profile(path: Path) -> VoiceProfile:
    data = load_toml(path, ProfileError, "the voice profile")
    engine = data.get("engine", "auto")
    if engine not in ENGINES:
        raise ProfileError(f"{path}: engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    for key in ("voice", "latin_voice", "description"):
        if key in data and not isinstance(data[key], str):
            raise ProfileError(f"{path}: {key} must be a string")
    language = data.get("language", "zh")
    if language not in ("zh", "en"):
        raise ProfileError(f"{path}: language must be zh or en, not {language!r}")
    script = data.get("script", "pinyin" if language == "zh" else "hanzi")
    if script not in ("pinyin", "hanzi"):
        raise ProfileError(f"{path}: script must be pinyin or hanzi, not {script!r}")
    settings = VoiceSettings(
        voice=data.get("voice", "cmn-latn-pinyin" if language == "zh" else "en"),
        latin_voice=data.get("latin_voice", "en"),
        language=language,
        script=script,
        rate=_clamp_int(data, "rate", 30, path),
        volume=_clamp_int(data, "volume", 100, path),
        pitch=_clamp_int(data, "pitch", 50, path),
    )
    return VoiceProfile(
        name=str(data.get("name", path.stem)),
        engine=engine,
        description=str(data.get("description", "")),
        settings=settings,
        path=path,
    )


def load_profile(name: str | None = None) -> VoiceProfile:
    """The profile called ``name`` (default ``mandarin``), or a path to a profile file."""
    if name and (name.endswith(".toml") or "/" in name):
        path = Path(name)
        if not path.is_file():
            raise ProfileError(f"{name}: no such voice profile file")
        return parse_profile(path)
    files = _profile_files()
    key = name or "mandarin"
    if key not in files:
        if name is None:
            return VoiceProfile("mandarin")
        valid = ", ".join(sorted(files)) or "(none installed)"
        raise ProfileError(f"unknown voice profile {name!r}; valid profiles: {valid}")
    return parse_profile(files[key])
