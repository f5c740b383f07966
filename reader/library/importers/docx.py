"""Word .docx through python-docx: headings, paragraphs and captions by style.

Style names decide the kind ("Title", "Subtitle", "Heading N"/"标题 N",
"Caption"/"题注"), with the style's ancestors checked too, so a custom style
based on "Caption" counts.  Paragraphs stay unsure so cuts from a PDF → Word
conversion are still rejoined.  Tables are read row by row, cell by cell.
"""

from __future__ import annotations

import io
import re

from reader.library.importers import ImportRefused
from reader.library.importers.archive import open_zip
from reader.library.repair import RawBlock, RepairReport

#: Names Word and pirated Windows builds put in "author": not a person.
_PLACEHOLDER_AUTHORS = {
    "python-docx",
    "administrator",
    "admin",
    "user",
    "owner",
    "unknown",
    "author",
    "microsoft office user",
    "microsoft office 用户",
    "windows user",
    "windows 用户",
    "微软用户",
    "用户",
    "作者",
    "lenovo",
    "dell",
    "hp",
    "pc",
    "sky123.org",
    "雨林木风",
    "番茄花园",
    "深度技术",
    "系统之家",
}

_HEADING_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _style_names(paragraph) -> list[str]:  # type: ignore[no-untyped-def]
    names: list[str] = []
    style = paragraph.style
    depth = 0
    while style is not None and depth < 10:
        names.append((style.name or "").strip())
        style = style.base_style
        depth += 1
    return names


def classify(paragraph, *, whole: bool = False) -> RawBlock | None:  # type: ignore[no-untyped-def]
    """The block for one Word paragraph; ``whole`` for table cells (never joined)."""
    text = paragraph.text
    if not text.strip():
        return None
    for name in _style_names(paragraph):
        lowered = name.lower()
        if lowered == "title" or name == "标题":
            return RawBlock("heading", text, 1, sure=True, role="title")
        if lowered == "subtitle" or name == "副标题":
            return RawBlock("heading", text, 2, sure=True, role="subtitle")
        match = _HEADING_RE.match(name)
        if match:
            return RawBlock("heading", text, max(1, min(6, int(match.group(1)))), sure=True)
        if lowered == "caption" or name == "题注":
            return RawBlock("caption", text, sure=True)
        if lowered.startswith("list"):
            return RawBlock("paragraph", text, sure=True)
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return RawBlock("paragraph", text, sure=whole or numbered)


def read_docx(
    data: bytes, *, max_bytes: int, report: RepairReport, **_: object
) -> tuple[list[list[RawBlock]], str]:
    open_zip(data, max_bytes=max_bytes, kind="Word document").close()
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except ImportRefused:
        raise
    except Exception:  # python-docx raises many types on broken packages
        raise ImportRefused(
            "a corrupt Word document (python-docx cannot open it)", code="corrupt", format="docx"
        ) from None
    blocks: list[RawBlock] = []
    try:
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                block = classify(item)
                if block:
                    blocks.append(block)
            elif isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        for paragraph in cell.paragraphs:
                            block = classify(paragraph, whole=True)
                            if block:
                                blocks.append(block)
    except Exception:
        raise ImportRefused(
            "a corrupt Word document (its body cannot be read)", code="corrupt", format="docx"
        ) from None
    core = document.core_properties
    author = (core.author or "").strip()
    if author and author.lower() not in _PLACEHOLDER_AUTHORS:
        blocks.insert(0, RawBlock("paragraph", author, sure=True, role="author"))
    return [blocks], "docx"
