"""EPUB through ebooklib: chapters in spine order.

Without ``split`` the book is one article: the book title as the level-1
heading and each chapter's headings one level lower.  With ``split`` each
chapter is an article of its own.  DRM-encrypted books are refused (font
obfuscation, which only scrambles embedded fonts, is fine).
"""

from __future__ import annotations

import io
import re

from reader.library.importers import ImportRefused
from reader.library.importers.archive import open_zip, read_member
from reader.library.repair import RawBlock, RepairReport

_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


def read_epub(
    data: bytes, *, max_bytes: int, split: bool, report: RepairReport, **_: object
) -> tuple[list[list[RawBlock]], str]:
    from reader.library.importers.markup import html_blocks

    archive = open_zip(data, max_bytes=max_bytes, kind="EPUB")
    if "META-INF/encryption.xml" in archive.namelist():
        xml = read_member(archive, "META-INF/encryption.xml", max_bytes=max_bytes, kind="EPUB")
        algorithms = re.findall(rb'Algorithm="([^"]+)"', xml)
        if any(a.decode("ascii", "replace") not in _FONT_OBFUSCATION for a in algorithms):
            raise ImportRefused(
                "an encrypted EPUB (DRM); it cannot be read", code="drm", format="epub"
            )
    archive.close()
    try:
        import ebooklib
        from ebooklib import epub

        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except ImportRefused:
        raise
    except Exception:  # ebooklib raises many types on broken books
        raise ImportRefused(
            "a corrupt EPUB (ebooklib cannot open it)", code="corrupt", format="epub"
        ) from None
    titles = book.get_metadata("DC", "title")
    book_title = titles[0][0].strip() if titles and titles[0][0] else ""
    creators = book.get_metadata("DC", "creator")
    author = creators[0][0].strip() if creators and creators[0][0] else ""
    toc_titles = _toc_titles(book.toc)
    chapters: list[list[RawBlock]] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if (
            item is None
            or item.get_type() != ebooklib.ITEM_DOCUMENT
            or isinstance(item, epub.EpubNav)
            or "nav" in (getattr(item, "properties", None) or [])
        ):
            continue
        try:
            html = _decode(item.get_content())
        except Exception:
            raise ImportRefused(
                f"a corrupt EPUB ({item.get_name()} cannot be read)", code="corrupt", format="epub"
            ) from None
        html = re.sub(r"^<\?xml[^>]*\?>", "", html.lstrip("\ufeff").lstrip())
        blocks = html_blocks(html, main_only=False)
        if not any(b.text.strip() for b in blocks):
            continue
        headings = [b.level for b in blocks if b.kind == "heading"]
        if headings:
            # The chapter's top heading becomes level 1 (split) or 2 (under the book title).
            shift = (1 if split else 2) - min(headings)
            for block in blocks:
                if block.kind == "heading":
                    block.level = max(1, min(6, block.level + shift))
        else:
            title = toc_titles.get(item.get_name(), "")
            if title:
                blocks.insert(0, RawBlock("heading", title, 1 if split else 2, sure=True))
        chapters.append(blocks)
    if split:
        units = []
        for blocks in chapters:
            if author:
                blocks.insert(0, RawBlock("paragraph", author, sure=True, role="author"))
            units.append(blocks)
        return units, "epub"
    merged: list[RawBlock] = []
    if book_title:
        merged.append(RawBlock("heading", book_title, 1, sure=True, role="title"))
    if author:
        merged.append(RawBlock("paragraph", author, sure=True, role="author"))
    for blocks in chapters:
        merged.extend(blocks)
    return [merged], "epub"


def _decode(content: bytes) -> str:
    """XHTML bytes as text: BOM, then the XML declaration, then UTF-8."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)", content)
    if declared:
        try:
            return content.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return content.decode("utf-8", errors="replace")


def _toc_titles(toc: object) -> dict[str, str]:
    """Chapter file name → its title in the table of contents."""
    titles: dict[str, str] = {}

    def visit(entries: object) -> None:
        if not isinstance(entries, list | tuple):
            entries = [entries]
        for entry in entries:
            if isinstance(entry, tuple) and len(entry) == 2:
                visit(entry[0])
                visit(entry[1])
                continue
            href = getattr(entry, "href", None) or getattr(entry, "file_name", None)
            title = getattr(entry, "title", None)
            if href and title:
                titles.setdefault(str(href).split("#", 1)[0], str(title))

    visit(toc)
    return titles
