"""The article model and its file format.

An article is one string of text plus a list of blocks that cut it into
headings, paragraphs and captions.  Every other part of reader (sentences,
words, speech progress, the cursor on screen) refers to character offsets into
``Article.text``, so the text is built once, in reading order, and never
re-derived from the display.

On disk an article is Markdown with TOML front matter (between ``+++`` lines),
so a librarian can fix a title or a paragraph in any editor::

    +++
    id = "3f2a9c01b7"
    title = "阿里巴巴发布年度助残行动报告"
    subtitle = "支持数十万残疾人创业就业"
    author = "皮磊"
    source = "seed/000_e8b7355eef64c4a3.txt"
    language = "zh"
    tags = []
    +++

    # 阿里巴巴发布年度助残行动报告

    ## 支持数十万残疾人创业就业

    A paragraph is one line (or several lines that are joined).

    ![A photo caption]()

Body rules: ``#``…``######`` lines are headings; a line that is exactly
``![text]()`` is a caption; every other run of non-blank lines is a paragraph.
A paragraph that would be read as one of those forms is written with a leading
backslash, which the reader removes.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reader.errors import UserError

BlockKind = Literal["heading", "paragraph", "caption"]

#: Separates blocks inside ``Article.text``; a block never contains it.
BLOCK_SEPARATOR = "\n"

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_CAPTION_RE = re.compile(r"^!\[(.*)\]\(\s*\)\s*$")
_NEEDS_ESCAPE_RE = re.compile(r"^(#{1,6}\s|!\[|\\|\+\+\+)")


class ArticleFormatError(UserError, ValueError):
    """An article file that cannot be read; the message names the file and why."""


@dataclass(frozen=True, slots=True)
class Block:
    """One heading, paragraph or caption, as a span of ``Article.text``."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading level 1-6; 0 for other kinds


@dataclass
class Article:
    """An article: metadata plus text in reading order, cut into blocks."""

    id: str
    title: str
    text: str
    blocks: list[Block]
    subtitle: str = ""
    author: str = ""
    source: str = ""
    language: str = "zh"
    tags: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_parts(
        cls,
        parts: Iterable[tuple[BlockKind, int, str]],
        *,
        id: str | None = None,
        title: str = "",
        subtitle: str = "",
        author: str = "",
        source: str = "",
        language: str = "zh",
        tags: Sequence[str] = (),
        extra: dict[str, object] | None = None,
    ) -> Article:
        """Build an article from ``(kind, level, text)`` parts in reading order.

        Empty parts are dropped and newlines inside a part become spaces, so
        the invariant "one block, one line of ``text``" always holds.
        """
        pieces: list[str] = []
        blocks: list[Block] = []
        pos = 0
        for kind, level, raw in parts:
            body = " ".join(raw.replace("\r", "\n").split("\n")).strip()
            if not body:
                continue
            if pieces:
                pos += len(BLOCK_SEPARATOR)
            blocks.append(Block(kind, pos, pos + len(body), level if kind == "heading" else 0))
            pieces.append(body)
            pos += len(body)
        text = BLOCK_SEPARATOR.join(pieces)
        if not title:
            title = next((text[b.start : b.end] for b in blocks if b.kind == "heading"), "")
        return cls(
            id=id or content_id(text),
            title=title,
            text=text,
            blocks=blocks,
            subtitle=subtitle,
            author=author,
            source=source,
            language=language,
            tags=list(tags),
            extra=dict(extra or {}),
        )

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def parts(self) -> list[tuple[BlockKind, int, str]]:
        """The inverse of :meth:`from_parts`."""
        return [(b.kind, b.level, self.block_text(b)) for b in self.blocks]

    def captions(self) -> list[str]:
        return [self.block_text(b) for b in self.blocks if b.kind == "caption"]

    @property
    def length(self) -> int:
        """Characters a listener will hear about: the text without block breaks."""
        return len(self.text) - max(0, len(self.blocks) - 1) * len(BLOCK_SEPARATOR)

    # ------------------------------------------------------------------ files

    def to_markdown(self) -> str:
        import tomli_w

        meta: dict[str, object] = {"id": self.id, "title": self.title}
        if self.subtitle:
            meta["subtitle"] = self.subtitle
        meta["author"] = self.author
        meta["source"] = self.source
        meta["language"] = self.language
        meta["tags"] = list(self.tags)
        for key, value in self.extra.items():
            meta.setdefault(key, value)
        lines = ["+++", tomli_w.dumps(meta).rstrip("\n"), "+++", ""]
        for block in self.blocks:
            body = self.block_text(block)
            if block.kind == "heading":
                # A closing "#" run would be stripped on reading; add one to protect it.
                closing = " #" if body.endswith("#") else ""
                lines.append("#" * max(1, min(6, block.level or 1)) + " " + body + closing)
            elif block.kind == "caption":
                lines.append(f"![{body}]()")
            else:
                lines.append("\\" + body if _NEEDS_ESCAPE_RE.match(body) else body)
            lines.append("")
        return "\n".join(lines)

    @classmethod
    def from_markdown(cls, source: str, *, name: str = "<article>") -> Article:
        """Parse the article format; raises :class:`ArticleFormatError` naming ``name``."""
        source = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        meta: dict[str, object] = {}
        body = source
        if source.startswith("+++\n"):
            end = source.find("\n+++", 3)
            if end < 0:
                raise ArticleFormatError(f"{name}: front matter opened with +++ is never closed")
            try:
                meta = tomllib.loads(source[4:end])
            except tomllib.TOMLDecodeError as exc:
                raise ArticleFormatError(
                    f"{name}: front matter is not valid TOML ({exc})"
                ) from None
            body = source[end + 4 :]
        parts: list[tuple[BlockKind, int, str]] = []
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph:
                parts.append(("paragraph", 0, join_lines(paragraph)))
                paragraph.clear()

        for line in body.split("\n"):
            stripped = line.strip()
            if not stripped:
                flush()
                continue
            if paragraph:
                paragraph.append(stripped)
                continue
            heading = _HEADING_RE.match(stripped)
            caption = _CAPTION_RE.match(stripped)
            if heading:
                parts.append(("heading", len(heading.group(1)), heading.group(2)))
            elif caption:
                parts.append(("caption", 0, caption.group(1)))
            else:
                paragraph.append(stripped[1:] if stripped.startswith("\\") else stripped)
        flush()

        def text_field(key: str) -> str:
            value = meta.get(key, "")
            if not isinstance(value, str):
                raise ArticleFormatError(f"{name}: front matter key {key!r} must be a string")
            return value

        tags = meta.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ArticleFormatError(f"{name}: front matter key 'tags' must be a list of strings")
        known = {"id", "title", "subtitle", "author", "source", "language", "tags", "captions"}
        article = cls.from_parts(
            parts,
            id=text_field("id") or None,
            title=text_field("title"),
            subtitle=text_field("subtitle"),
            author=text_field("author"),
            source=text_field("source"),
            language=text_field("language") or "zh",
            tags=tags,
            extra={k: v for k, v in meta.items() if k not in known},
        )
        if not article.text:
            raise ArticleFormatError(f"{name}: the article has no text")
        return article

    @classmethod
    def load(cls, path: Path) -> Article:
        try:
            source = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ArticleFormatError(f"{path}: not UTF-8 text") from None
        except OSError as exc:
            raise ArticleFormatError(f"{path}: {exc.strerror or exc}") from None
        return cls.from_markdown(source, name=str(path))


def is_cjk(ch: str) -> bool:
    """True for characters that are written without spaces between them."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x2E80 <= code <= 0x2FDF
    )


def join_lines(lines: Sequence[str]) -> str:
    """Join wrapped lines: no space where either side is CJK, one space otherwise."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(line[0])):
            out += " "
        out += line
    return out


def content_id(text: str) -> str:
    """A stable id from the content, so the same article imported twice is one article."""
    normal = "".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:10]
