"""PDF with a text layer, through pdfminer.six's layout analysis.

pdfminer groups characters into lines and text boxes and orders the boxes in
reading order (``boxes_flow``), columns included.  On top of that:

* **running headers and footers**: a line in the top or bottom band of the
  page that recurs (digits ignored) on at least half the pages, and at least
  two, is dropped;
* **page numbers**: a line in those bands that is only a number ("12",
  "- 12 -", "第 12 页", "12 / 30", "Page 12") is dropped;
* each text box is one paragraph (its lines are wrapped and are joined), and
  the first box of each page is marked as following a page break, so the
  repair pipeline rejoins a paragraph that a page cut in two.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from reader.library.importers import ImportRefused
from reader.library.repair import RawBlock, RepairReport, ends_sentence, spaced_style, unwrap

#: Share of the page height, from the top and from the bottom, where running
#: heads and page numbers live.
_BAND = 0.12
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—·\s]*\d{1,4}[-–—·\s]*|第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.I,
)


def reading_order(boxes: list[tuple]) -> list[tuple]:  # type: ignore[type-arg]
    """Boxes ``(lines, top, bottom, right, left)`` in reading order.

    Wide boxes (over half the text width: titles and single-column text) cut
    the page into horizontal bands; inside a band the narrow boxes are grouped
    into columns by overlapping x ranges and read column by column, each top to
    bottom.  Simple and predictable where pdfminer's own ordering sometimes
    reads a right column first.
    """
    if len(boxes) < 2:
        return boxes
    left = min(b[4] for b in boxes)
    right = max(b[3] for b in boxes)
    wide_limit = (right - left) * 0.55
    wide = sorted((b for b in boxes if b[3] - b[4] > wide_limit), key=lambda b: -b[1])
    narrow = [b for b in boxes if b[3] - b[4] <= wide_limit]
    ordered: list[tuple] = []  # type: ignore[type-arg]
    upper = float("inf")
    for separator in [*wide, None]:
        lower = separator[1] if separator is not None else float("-inf")
        band = [b for b in narrow if lower <= (b[1] + b[2]) / 2 < upper]
        ordered.extend(_columns(band))
        if separator is not None:
            ordered.append(separator)
            upper = (separator[1] + separator[2]) / 2
    return ordered


def _columns(band: list[tuple]) -> list[tuple]:  # type: ignore[type-arg]
    columns: list[list[tuple]] = []  # type: ignore[type-arg]
    spans: list[list[float]] = []
    for box in sorted(band, key=lambda b: b[4]):
        if spans and box[4] < spans[-1][1]:
            columns[-1].append(box)
            spans[-1][1] = max(spans[-1][1], box[3])
        else:
            columns.append([box])
            spans.append([box[4], box[3]])
    return [box for column in columns for box in sorted(column, key=lambda b: -b[1])]


#: What pdfminer writes for a glyph its font cannot map to Unicode.
_CID_RE = re.compile(r"\(cid:\d+\)")


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def read_pdf(
    data: bytes, *, report: RepairReport, max_bytes: int, **_: object
) -> tuple[list[list[RawBlock]], str]:
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextBox, LTTextLine
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ImportRefused(f"PDF support is not installed ({exc})") from None

    # pages → boxes; a box is (lines, top, bottom, right edge); a line is
    # (text, indented, right end).
    Line = tuple[str, bool, float]
    pages: list[list[tuple[list[Line], float, float, float]]] = []
    heights: list[float] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            boxes: list[tuple[list[Line], float, float, float]] = []
            for element in page:
                if isinstance(element, LTTextBox):
                    lines: list[Line] = []
                    for line in element:
                        if isinstance(line, LTTextLine) and line.get_text().strip():
                            # Indentation marks a paragraph's first line.
                            indent = line.x0 - element.x0 > max(2.0, line.height * 0.8)
                            lines.append((line.get_text().strip(), indent, line.x1))
                    if lines:
                        boxes.append((lines, element.y1, element.y0, element.x1, element.x0))
            pages.append([box[:4] for box in reading_order(boxes)])
            heights.append(page.height or 1.0)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportRefused("an encrypted PDF (needs a password)") from None
    except (PDFSyntaxError, PSException):
        raise ImportRefused("a corrupt PDF (its structure cannot be parsed)") from None
    except Exception as exc:  # pdfminer raises many types on damaged files
        if "encrypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
            raise ImportRefused("an encrypted PDF (needs a password)") from None
        raise ImportRefused(f"a corrupt PDF ({type(exc).__name__})") from None
    if not any(pages):
        raise ImportRefused("a PDF without a text layer (scanned? run OCR on it first)")
    all_text = "".join(text for boxes in pages for lines, *_ in boxes for text, _, _ in lines)
    unmapped = sum(len(m) for m in _CID_RE.findall(all_text))
    if unmapped > len(all_text) * 0.3:
        raise ImportRefused(
            "a PDF whose fonts have no Unicode mapping, so its text cannot be read "
            "(run OCR on it first)"
        )
    if unmapped:
        cleaned_pages = []
        for boxes in pages:
            cleaned = []
            for lines, *rest in boxes:
                kept = [(_CID_RE.sub("", t), ind, x1) for t, ind, x1 in lines]
                kept = [line for line in kept if line[0].strip()]
                if kept:
                    cleaned.append((kept, *rest))
            cleaned_pages.append(cleaned)
        pages = cleaned_pages

    # Running heads: line signatures in the bands that recur across pages.
    band_counts: Counter[str] = Counter()
    for boxes, height in zip(pages, heights, strict=True):
        seen: set[str] = set()
        for lines, top, bottom, _right in boxes:
            if top > height * (1 - _BAND) or bottom < height * _BAND:
                seen.update(_signature(text) for text, _, _ in lines)
        band_counts.update(seen)
    repeat = max(2, (len(pages) + 1) // 2)
    kept_pages: list[list[tuple[list[Line], float, bool]]] = []
    removed = 0
    for boxes, height in zip(pages, heights, strict=True):
        kept_boxes: list[tuple[list[Line], float, bool]] = []
        for lines, top, bottom, right in boxes:
            kept = lines
            if top > height * (1 - _BAND) or bottom < height * _BAND:
                kept = [
                    line
                    for line in lines
                    if not _PAGE_NUMBER_RE.match(line[0])
                    and not (len(pages) >= 2 and band_counts[_signature(line[0])] >= repeat)
                ]
                removed += len(lines) - len(kept)
            # A box wholly inside a band that survived (a one-page footer, a
            # date line) is kept, but never joined to the body text.
            apart = bottom > height * (1 - _BAND) or top < height * _BAND
            if kept:
                kept_boxes.append((kept, right, apart))
        kept_pages.append(kept_boxes)
    multi = [lines for page in kept_pages for lines, _, _ in page if len(lines) >= 2]
    indent_style = bool(multi) and sum(lines[0][1] for lines in multi) * 2 >= len(multi)
    spaced = spaced_style("".join(t for page in kept_pages for ls, _, _ in page for t, _, _ in ls))
    blocks: list[RawBlock] = []
    for number, boxes in enumerate(kept_pages):
        for index, (lines, _right, apart) in enumerate(boxes):
            continues = False
            if number > 0 and index == 0 and blocks and indent_style and not lines[0][1]:
                last_page = kept_pages[number - 1]
                if last_page:
                    prev_lines, prev_right, _ = last_page[-1]
                    full = prev_lines[-1][2] >= prev_right - 24
                    continues = full and (len(lines) >= 2 or ends_sentence(lines[0][0]))
            texts = [("  " if indented else "") + text for text, indented, _ in lines]
            for k, para in enumerate(unwrap(texts, report, spaced=spaced)):
                blocks.append(
                    RawBlock(
                        "paragraph",
                        para,
                        gap=1,
                        page_break=number > 0 and index == 0 and k == 0,
                        continues=continues and k == 0,
                        sure=apart,
                    )
                )
    report.add("headers", removed)
    if not blocks:
        raise ImportRefused("a PDF without a text layer (scanned? run OCR on it first)")
    return [blocks], "pdf"
