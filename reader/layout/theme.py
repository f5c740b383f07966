"""Reading themes as data: TOML files in ``reader/ui/themes/`` (and the user's own).

A theme says how body text, headings, pinyin, the current sentence, the
current word, search matches and out-of-focus text look.  Three kinds:

``color``
    explicit ``#rrggbb`` colours; text, highlights, headings, pinyin and tone
    colours must reach WCAG AAA (7:1) against what they are drawn on.
``ansi``
    the terminal's own 16 colours (``default``, ``red``, ``bright_blue`` …),
    so the user's terminal palette rules; contrast is the terminal's.
``mono``
    no colour at all: the position is shown by underline and reverse video
    only.  Chosen automatically when ``NO_COLOR`` is set.

Whatever the kind, a highlight always carries a non-colour attribute
(underline, bold or reverse), so it never relies on colour alone.

Users add themes as ``<config_dir>/themes/<name>.toml`` in the same format; a
broken file is reported in one line and skipped.  Nothing here imports Textual;
:meth:`Theme.style` gives rich styles the reading view draws with.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from rich.color import Color, ColorParseError
from rich.style import Style

from reader.errors import UserError
from reader.layout.contrast import contrast_ratio
from reader.tomlfile import load_toml

ThemeKind = Literal["color", "ansi", "mono"]
ROLES = ("text", "heading", "dim", "ruby", "sentence", "word", "match")
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "ui" / "themes"
DEFAULT_THEME = "ansi"
NO_COLOR_THEME = "mono"


class ThemeError(UserError, ValueError):
    """A theme file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class StyleSpec:
    """One role's look; ``None`` colours inherit the theme's text and background."""

    fg: str | None = None
    bg: str | None = None
    bold: bool = False
    underline: bool = False
    reverse: bool = False
    italic: bool = False
    dim: bool = False

    @property
    def marks_without_colour(self) -> bool:
        """True if this style is visible even to someone who sees no colour."""
        return self.bold or self.underline or self.reverse


@dataclass(frozen=True)
class Theme:
    name: str
    zh: str
    en: str
    kind: ThemeKind
    background: str
    text: str
    roles: dict[str, StyleSpec] = field(hash=False, compare=False)
    tones: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    # ------------------------------------------------------------ colours

    def colors(self, role: str) -> tuple[str, str]:
        """``(foreground, background)`` as drawn for ``role``, reverse video applied."""
        spec = self.roles[role]
        fg = spec.fg or self.text
        bg = spec.bg or self.background
        return (bg, fg) if spec.reverse else (fg, bg)

    def contrast(self, role: str) -> float | None:
        """WCAG contrast of a role, or None where the terminal decides (ansi, mono)."""
        if self.kind != "color":
            return None
        fg, bg = self.colors(role)
        return contrast_ratio(fg, bg)

    def tone_contrast(self, tone: int) -> float | None:
        if self.kind != "color" or not self.tones:
            return None
        return contrast_ratio(self.tone_color(tone) or self.text, self.background)

    def tone_color(self, tone: int) -> str | None:
        """The colour of tone 1-4 (5 or 0: neutral), or None for a theme without tone colours."""
        if not self.tones:
            return None
        index = (tone if 1 <= tone <= 4 else 5) - 1
        return self.tones[min(index, len(self.tones) - 1)]

    # ------------------------------------------------------------ rich styles

    @cached_property
    def _styles(self) -> dict[str, Style]:
        base = self._base
        out = {"base": base}
        for role, spec in self.roles.items():
            if self.kind == "mono":  # attributes only, whatever the file says
                spec = StyleSpec(None, None, spec.bold, spec.underline, spec.reverse, spec.italic, spec.dim)
            out[role] = base + _rich(spec)
        return out

    @cached_property
    def _base(self) -> Style:
        if self.kind == "mono":
            return Style()
        return Style(color=_color(self.text), bgcolor=_color(self.background))

    def style(self, role: str = "base") -> Style:
        """The rich style of a role, on the theme's background."""
        return self._styles[role]

    def tone_style(self, tone: int, role: str = "ruby") -> Style:
        """Ruby style for ``tone`` in the colours style: the role's style plus the tone colour."""
        color = self.tone_color(tone)
        base = self.style(role)
        return base + Style(color=color) if color else base


def _color(value: str | None) -> Color | None:
    if value is None or value == "default":
        return None if value is None else Color.default()
    return Color.parse(value)


def _rich(spec: StyleSpec) -> Style:
    return Style(
        color=_color(spec.fg),
        bgcolor=_color(spec.bg),
        bold=spec.bold or None,
        underline=spec.underline or None,
        reverse=spec.reverse or None,
        italic=spec.italic or None,
        dim=spec.dim or None,
    )


# ---------------------------------------------------------------------- loading


def parse_theme(data: dict, source: str) -> Theme:
    """Build a theme from TOML data; :class:`ThemeError` names ``source`` and the key."""

    def need(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            raise ThemeError(f"{source}: theme key {key!r} must be a non-empty string")
        return value

    def check_color(value: str, key: str) -> str:
        if value == "default":
            return value
        try:
            Color.parse(value)
        except ColorParseError:
            raise ThemeError(f"{source}: {key} = {value!r} is not a colour") from None
        if kind == "color" and not value.startswith("#"):
            raise ThemeError(f"{source}: {key} must be #rrggbb in a 'color' theme")
        return value

    name = need("name")
    kind = data.get("kind", "color")
    if kind not in ("color", "ansi", "mono"):
        raise ThemeError(f"{source}: kind must be color, ansi or mono, not {kind!r}")
    background = check_color(need("background"), "background")
    text = check_color(need("text"), "text")
    roles: dict[str, StyleSpec] = {}
    for role in ROLES:
        raw = data.get(role, {})
        if isinstance(raw, str):
            raw = {"fg": raw}
        if not isinstance(raw, dict):
            raise ThemeError(f"{source}: {role} must be a colour or a table")
        unknown = set(raw) - {"fg", "bg", "bold", "underline", "reverse", "italic", "dim"}
        if unknown:
            raise ThemeError(f"{source}: {role} has unknown keys {sorted(unknown)}")
        for key in ("fg", "bg"):
            if key in raw:
                check_color(str(raw[key]), f"{role}.{key}")
        for key in ("bold", "underline", "reverse", "italic", "dim"):
            if key in raw and not isinstance(raw[key], bool):
                raise ThemeError(f"{source}: {role}.{key} must be true or false")
        roles[role] = StyleSpec(**raw)
    if kind == "mono" and any(s.fg not in (None, "default") or s.bg not in (None, "default") for s in roles.values()):
        raise ThemeError(f"{source}: a mono theme uses no colours")
    for role in ("sentence", "word"):
        if not roles[role].marks_without_colour:
            raise ThemeError(
                f"{source}: {role} needs bold, underline or reverse: a highlight never relies on colour alone"
            )
    tones = data.get("tones", [])
    if not isinstance(tones, list) or len(tones) not in (0, 5):
        raise ThemeError(f"{source}: tones must list five colours (tones 1-4 and neutral) or none")
    for i, tone in enumerate(tones):
        check_color(str(tone), f"tones[{i}]")
    return Theme(
        name=name,
        zh=str(data.get("zh", name)),
        en=str(data.get("en", name)),
        kind=kind,
        background=background,
        text=text,
        roles=roles,
        tones=tuple(str(t) for t in tones),
    )


def load_theme_file(path: Path) -> Theme:
    return parse_theme(load_toml(path, ThemeError), str(path))


_builtin: dict[str, Theme] | None = None


def builtin_themes() -> dict[str, Theme]:
    """The bundled themes, in the order the theme key cycles through them."""
    global _builtin
    if _builtin is None:
        order = ["ansi", "white-on-black", "black-on-white", "yellow-on-black", "mono"]
        found = {t.name: t for t in (load_theme_file(p) for p in sorted(BUILTIN_DIR.glob("*.toml")))}
        _builtin = {n: found[n] for n in order if n in found}
        _builtin.update({n: t for n, t in found.items() if n not in _builtin})
    return dict(_builtin)


def all_themes(errors: list[str] | None = None) -> dict[str, Theme]:
    """Bundled themes plus the user's ``<config_dir>/themes/*.toml``; bad files go to ``errors``."""
    themes = builtin_themes()
    try:
        from reader import paths

        user_dir = paths.config_dir() / "themes"
    except OSError:
        return themes
    for path in sorted(user_dir.glob("*.toml")) if user_dir.is_dir() else []:
        try:
            theme = load_theme_file(path)
        except ThemeError as exc:
            if errors is not None:
                errors.append(str(exc))
            continue
        themes[theme.name] = theme
    return themes


def no_color() -> bool:
    """True when the NO_COLOR convention (no-color.org) asks for no colour."""
    return bool(os.environ.get("NO_COLOR"))


def get_theme(name: str | None = None, errors: list[str] | None = None) -> Theme:
    """The theme to draw with: ``mono`` under NO_COLOR, else ``name``, else the default."""
    themes = all_themes(errors)
    if no_color():
        return themes[NO_COLOR_THEME]
    if name and name in themes:
        return themes[name]
    if name and errors is not None:
        errors.append(f"theme {name!r} not found; using {DEFAULT_THEME}")
    return themes[DEFAULT_THEME]
