"""PDF with a text layer, through pdfminer.six's layout analysis.

pdfminer groups characters into lines and text boxes and orders the boxes in
reading order (``boxes_flow``), columns included.  On top of that:

* **running headers and footers**: a line in the top or bottom band of the
  page that recurs (digits ignored) on at least half the pages, and at least
  two, is dropped;
* **page numbers**: a line in those bands that is only a number ("12",
  "- 12 -", "第 12 页", "12 / 30", "Page 12") is dropped;
* **print size** is the size pdfminer reports for each glyph
  (``LTChar.size``), one median per line.  The body size is the median over
  all the text, weighted by characters.  A line clearly larger than the body
  (over 1.15×) is headline print: pdfminer often puts a title and the
  paragraph under it in one text box, so a box is cut wherever the print
  changes to or from headline size (or between two headline sizes, a kicker
  above a title), and only print larger than the body may become a headline
  or heading in the repair pipeline;
* each text box is one paragraph (its lines are wrapped and are joined), and
  the first box of each page is marked as following a page break, so the
  repair pipeline rejoins a paragraph that a page cut in two.
"""

from __future__ import annotations

import re
from collections import Counter

from reader.library.importers import ImportRefused
from reader.library.repair import (
    RawBlock,
    RepairReport,
    ends_sentence,
    join_pair,
    spaced_style,
    unwrap,
)

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


#: Print over this many times the body size is headline print.
_HEADLINE_RATIO = 1.15


def line_size(line: object, chars: type) -> float:
    """The median glyph size of a pdfminer line, or its height if it has no glyphs."""
    sizes = sorted(ch.size for ch in line if isinstance(ch, chars) and ch.get_text().strip())  # type: ignore[attr-defined]
    return sizes[len(sizes) // 2] if sizes else float(line.height)  # type: ignore[attr-defined]


def split_by_print(sizes: list[float], body: float) -> list[int]:
    """Where a box's lines must be cut (indices of the first line of each new run).

    A cut falls between two lines when one of them is headline print (over
    ``_HEADLINE_RATIO`` × ``body``) and their sizes differ by over 10%: a
    title and the paragraph under it, or a kicker and the title, are not one
    paragraph; lines of one size (a wrapped title) stay together.
    """
    cuts = []
    for i in range(1, len(sizes)):
        a, b = sizes[i - 1], sizes[i]
        headline = max(a, b) > body * _HEADLINE_RATIO
        if headline and max(a, b) > min(a, b) * 1.1:
            cuts.append(i)
    return cuts


def _is_caption(lines: list[tuple[str, bool, float]]) -> bool:
    """Small print that is not a sentence: a photo caption or a credit."""
    from reader.library.repair import SHORT_LINE, ends_sentence

    text = "".join(t for t, _, _ in lines)
    return len(lines) <= 2 and len(text) <= SHORT_LINE * 2 and not ends_sentence(text)


#: What pdfminer writes for a glyph its font cannot map to Unicode.
_CID_RE = re.compile(r"\(cid:\d+\)")


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def read_pdf(
    data: bytes, *, report: RepairReport, max_bytes: int, **_: object
) -> tuple[list[list[RawBlock]], str]:
    from reader.library.importers.pdf_worker import extract_lines

    # pages → boxes; a box is (lines, top, bottom, right edge, print size); a
    # line is (text, indented, right end).
    Line = tuple[str, bool, float]
    pages: list[list[tuple[list[Line], float, float, float, float]]] = []
    # First pass, in a worker process with memory, time and content limits
    # (pdf_worker, pdf_limits): every box's lines with their geometry and
    # print size, (text, indented, x1, y1, y0, size) per line and
    # (lines, x1, x0) per box.
    raw_pages, heights = extract_lines(data, max_bytes=max_bytes)
    weighted = sorted(
        (size, len(text))
        for boxes in raw_pages
        for raw_lines, _, _ in boxes
        for text, _, _, _, _, size in raw_lines
    )
    total = sum(n for _, n in weighted)
    seen_chars, body_print = 0, 0.0
    for size, n in weighted:
        seen_chars += n
        body_print = size
        if seen_chars * 2 >= total:
            break
    for raw_boxes in raw_pages:
        boxes: list[tuple] = []  # type: ignore[type-arg]
        for raw_lines, x1, x0 in raw_boxes:
            cuts = split_by_print([ln[5] for ln in raw_lines], body_print)
            for start, end in zip([0, *cuts], [*cuts, len(raw_lines)], strict=True):
                run = raw_lines[start:end]
                run_sizes = sorted(ln[5] for ln in run)
                lines = [(text, indent, right) for text, indent, right, *_ in run]
                top, bottom = max(ln[3] for ln in run), min(ln[4] for ln in run)
                size = run_sizes[len(run_sizes) // 2]
                boxes.append((lines, top, bottom, x1, x0, size))
        pages.append([(b[0], b[1], b[2], b[3], b[5]) for b in reading_order(boxes)])
    if not any(pages):
        raise ImportRefused(
            "a PDF without a text layer (scanned? run OCR on it first)",
            code="no_text_layer",
            format="pdf",
        )
    all_text = "".join(text for boxes in pages for lines, *_ in boxes for text, _, _ in lines)
    unmapped = sum(len(m) for m in _CID_RE.findall(all_text))
    if unmapped > len(all_text) * 0.3:
        raise ImportRefused(
            "a PDF whose fonts have no Unicode mapping, so its text cannot be read "
            "(run OCR on it first)",
            code="no_unicode_fonts",
            format="pdf",
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
        for lines, top, bottom, _right, _size in boxes:
            if top > height * (1 - _BAND) or bottom < height * _BAND:
                seen.update(_signature(text) for text, _, _ in lines)
        band_counts.update(seen)
    repeat = max(2, (len(pages) + 1) // 2)
    sizes = sorted(size for boxes in pages for lines, *_, size in boxes for _ in lines)
    body_size = sizes[len(sizes) // 2]
    kept_pages: list[list[tuple[list[Line], float, bool | str, float, float, float]]] = []
    removed = 0
    captions = 0
    for boxes, height in zip(pages, heights, strict=True):
        kept_boxes: list[tuple[list[Line], float, bool | str, float, float, float]] = []
        for lines, top, bottom, right, size in boxes:
            kept = lines
            if top > height * (1 - _BAND) or bottom < height * _BAND:
                kept = [
                    line
                    for line in lines
                    if not _PAGE_NUMBER_RE.match(line[0])
                    and not (len(pages) >= 2 and band_counts[_signature(line[0])] >= repeat)
                ]
                removed += len(lines) - len(kept)
            # A box wholly inside a band and in smaller print than the body
            # (a one-page footer, a date line) is kept but never joined to it.
            in_band = bottom > height * (1 - _BAND) or top < height * _BAND
            small = size < body_size * 0.9
            apart = in_band and small
            if kept and small and not in_band and _is_caption(kept):
                captions += 1
                kept_boxes.append((kept, right, "caption", top, bottom, size))
            elif kept:
                kept_boxes.append((kept, right, apart, top, bottom, size))
        kept_pages.append(kept_boxes)
    flat = [box for page in kept_pages for box in page]
    multi = [lines for lines, *_ in flat if len(lines) >= 2]
    indent_style = bool(multi) and sum(lines[0][1] for lines in multi) * 2 >= len(multi)
    spaced = spaced_style("".join(t for lines, *_ in flat for t, _, _ in lines))
    blocks: list[RawBlock] = []
    previous: tuple | None = None  # type: ignore[type-arg]
    for number, boxes in enumerate(kept_pages):
        for index, box in enumerate(boxes):
            lines, _right, apart, top, _bottom, size = box
            # The text flow breaks at a new page or a new column (reading
            # order jumps back up).
            new_page = number > 0 and index == 0
            flow_break = new_page or (previous is not None and top > previous[3] + 1)
            if (
                previous is not None
                and blocks
                and not apart
                and previous[2] is False
                and size > body_size * 1.15
                and abs(previous[5] - size) < size * 0.1
                and (flow_break or 0 <= previous[4] - top < size * 1.5)
            ):
                # A headline in large print that wrapped into a second box.
                for line_text, _, _ in lines:
                    blocks[-1].text = join_pair(blocks[-1].text, line_text, spaced=spaced)
                previous = box
                continue
            # A box after a flow break that is not indented, after a box whose
            # last line runs to the margin, continues that paragraph even if
            # the break fell just after a full stop.
            continues = False
            if flow_break and previous is not None and indent_style and not lines[0][1]:
                prev_lines, prev_right, prev_apart, *_ = previous
                full = prev_lines[-1][2] >= prev_right - 24
                continues = (
                    full
                    and prev_apart is False
                    and not apart
                    and (len(lines) >= 2 or ends_sentence(lines[0][0]))
                )
            if apart == "caption":
                text = ""
                for line_text, _, _ in lines:
                    text = join_pair(text, line_text, spaced=spaced) if text else line_text
                blocks.append(RawBlock("caption", text, gap=1, sure=True))
                continue  # a caption does not interrupt the text flow
            texts = [("  " if indented else "") + text for text, indented, _ in lines]
            box_right = max(x1 for _, _, x1 in lines)
            short = [x1 < box_right - 12 for _, _, x1 in lines]
            for k, para in enumerate(unwrap(texts, report, spaced=spaced, short_lines=short)):
                blocks.append(
                    RawBlock(
                        "paragraph",
                        para,
                        gap=1,
                        page_break=new_page and k == 0,
                        continues=continues and k == 0,
                        sure=bool(apart),
                        captionable=False,
                        may_be_heading=size > body_size * 1.05,
                    )
                )
            previous = box
    report.add("headers", removed)
    report.add("captions", captions)
    if not blocks:
        raise ImportRefused(
            "a PDF without a text layer (scanned? run OCR on it first)",
            code="no_text_layer",
            format="pdf",
        )
    return [blocks], "pdf"
