"""Bounds on what one PDF may cost to read: decoded bytes, objects, pages, time, memory.

A PDF is small on disk and large inside: a 1 MB Flate stream can inflate to
1 GB of zeros, two Flate filters in a row to a terabyte, one page can draw
millions of glyphs from a few kilobytes, and a form XObject drawn ten times
by a form drawn ten times… grows exponentially.  pdfminer.six reads whatever
it is given, so the importer bounds it here, in the same spirit as the zip
checks in :mod:`reader.library.importers.archive`:

* **decoded bytes**: every stream filter's output counts against one budget
  for the whole file (:attr:`Limits.max_decoded`); a filter stage that
  inflates more than :data:`MAX_RATIO` times (past :data:`RATIO_FLOOR`) is a
  bomb, the archive rule with a higher floor.  Flate is inflated incrementally with
  ``zlib.decompressobj(...).decompress(data, max_length)``, so the refusal
  comes before the bytes exist;
* **content executed**: the bytes of page and form content the interpreter
  parses, repeats included (a form drawn 1,000 times counts 1,000 times);
* **objects**: glyphs, paths, images and XObject invocations per page,
  characters in the whole file, graphics-state nesting (``q``), pages;
* **layout**: pdfminer's hierarchical grouping of text boxes is quadratic in
  their number; past :data:`MAX_GROUPED_BOXES` boxes on a page they are
  grouped in one flat top-left to bottom-right group instead (our own
  reading order re-sorts them anyway), so a map with 5,000 labels still
  imports.

Everything here runs inside the worker process of
:mod:`reader.library.importers.pdf_worker`, which adds the last line of
defence: an address-space and CPU-time limit, for whatever pdfminer does that
these counters do not foresee.

Refusals are :class:`ImportRefused` with codes ``pdf_bomb`` (decoded bytes)
and ``pdf_too_complex`` (objects, pages, nesting, content), whose details name
what was exceeded (``what``) and the limit.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Any

from reader.library.importers import ImportRefused, human_sizes

#: A filter stage may inflate its input at most this many times (as zip members)…
MAX_RATIO = 200
#: …once its output is past this size.  Higher than the zip rule's 1 MB: a
#: legitimate cross-reference stream after its PNG predictor is mostly zeros
#: and can exceed 200 times for a few MB; the total budget bounds the rest.
RATIO_FLOOR = 8 << 20
#: Decoded-stream budget as a multiple of the file size limit, and its floor.
DECODED_FACTOR = 2
DECODED_FLOOR = 32 << 20
#: Glyphs, paths and images on one page; a dense broadsheet page has ~20,000.
MAX_PAGE_OBJECTS = 100_000
#: Pages in one file.
MAX_PAGES = 10_000
#: Form and image XObjects drawn on one page (each draw costs pdfminer ~50 µs).
MAX_XOBJECT_CALLS = 20_000
#: Graphics states saved (``q``) and not yet restored.
MAX_SAVE_DEPTH = 10_000
#: Operands waiting for an operator; an operator takes at most a few, so the
#: older ones are dead and dropped (pdfminer would keep them all).
MAX_OPERANDS = 1_000
#: Text boxes on a page above which pdfminer's quadratic box grouping is skipped.
MAX_GROUPED_BOXES = 500
#: Inflate in steps of this many bytes, so a bomb stops within one step.
_STEP = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one PDF may use; :meth:`for_size_limit` derives them from the import limit."""

    max_decoded: int
    max_executed: int
    max_chars: int
    max_page_objects: int = MAX_PAGE_OBJECTS
    max_pages: int = MAX_PAGES
    max_xobject_calls: int = MAX_XOBJECT_CALLS
    max_save_depth: int = MAX_SAVE_DEPTH

    @classmethod
    def for_size_limit(cls, max_bytes: int) -> Limits:
        """Limits for a file under ``max_bytes``: a PDF may decode to twice that
        (32 MB at least), interpret as much content, and hold as many characters
        as a text file of that size in UTF-8 Chinese could."""
        decoded = max(DECODED_FLOOR, DECODED_FACTOR * max_bytes)
        return cls(
            max_decoded=decoded, max_executed=decoded, max_chars=max(1 << 20, max_bytes // 3)
        )


class Budget:
    """The running counts for one file, checked against its :class:`Limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.decoded = 0
        self.executed = 0
        self.chars = 0
        self.xobject_calls = 0
        self.pages = 0
        self.page_objects = 0
        #: The first refusal raised.  pdfminer catches broad exceptions in
        #: places (a font it cannot load, an xref it rebuilds), so a refusal
        #: raised inside it may be swallowed; the reader re-raises this one.
        self.refusal: ImportRefused | None = None

    def refuse(self, refusal: ImportRefused) -> ImportRefused:
        """Remember the first refusal (later checks fail at once) and return it to raise."""
        if self.refusal is None:
            self.refusal = refusal
        return self.refusal

    def _too_complex(self, what: str, message: str, limit: int, **details: object) -> ImportRefused:
        return self.refuse(
            ImportRefused(
                f"a PDF with {message}: refused as too complex to read safely",
                code="pdf_too_complex",
                format="pdf",
                what=what,
                limit=limit,
                **details,
            )
        )

    # -- decoded bytes -------------------------------------------------------
    def stage_cap(self, size_in: int) -> int:
        """The most one filter stage with ``size_in`` input bytes may produce."""
        return max(RATIO_FLOOR, MAX_RATIO * max(1, size_in))

    def produced(self, stage_out: int, size_in: int) -> None:
        """Refuse a filter stage that has made ``stage_out`` bytes from ``size_in`` so far."""
        if self.refusal is not None:
            raise self.refusal
        if stage_out > self.stage_cap(size_in):
            raise self.refuse(
                ImportRefused(
                    f"a PDF with a stream that expands over {MAX_RATIO} times "
                    f"({size_in:,} bytes to over {human_sizes(stage_out)[0]}): "
                    "refused as a possible decompression bomb",
                    code="pdf_bomb",
                    format="pdf",
                    ratio=MAX_RATIO,
                )
            )
        if self.decoded + stage_out > self.limits.max_decoded:
            shown, limit = human_sizes(self.decoded + stage_out, self.limits.max_decoded)
            raise self.refuse(
                ImportRefused(
                    f"a PDF whose compressed streams expand to over {limit} "
                    f"(at least {shown}): refused as a possible decompression bomb",
                    code="pdf_bomb",
                    format="pdf",
                    limit=self.limits.max_decoded,
                )
            )

    def add_decoded(self, size: int, size_in: int) -> None:
        self.produced(size, size_in)
        self.decoded += size

    # -- interpretation ------------------------------------------------------
    def start_page(self) -> None:
        self.pages += 1
        self.page_objects = 0
        self.xobject_calls = 0
        if self.pages > self.limits.max_pages:
            raise self._too_complex(
                "pages", f"over {self.limits.max_pages:,} pages", self.limits.max_pages
            )

    def add_object(self, *, char: bool) -> None:
        self.page_objects += 1
        if self.page_objects > self.limits.max_page_objects:
            raise self._too_complex(
                "objects",
                f"over {self.limits.max_page_objects:,} glyphs and drawings on page {self.pages}",
                self.limits.max_page_objects,
                page=self.pages,
            )
        if char:
            self.chars += 1
            if self.chars > self.limits.max_chars:
                raise self._too_complex(
                    "text", f"over {self.limits.max_chars:,} characters", self.limits.max_chars
                )

    def add_xobject_call(self) -> None:
        self.xobject_calls += 1
        if self.xobject_calls > self.limits.max_xobject_calls:
            raise self._too_complex(
                "xobjects",
                f"over {self.limits.max_xobject_calls:,} drawings of embedded objects "
                f"on page {self.pages}",
                self.limits.max_xobject_calls,
                page=self.pages,
            )

    def add_executed(self, size: int) -> None:
        self.executed += size
        if self.executed > self.limits.max_executed:
            shown = human_sizes(self.limits.max_executed)[0]
            raise self._too_complex(
                "content",
                f"over {shown} of page content to interpret (repeats included)",
                self.limits.max_executed,
            )

    def check_save_depth(self, depth: int) -> None:
        if depth >= self.limits.max_save_depth:
            raise self._too_complex(
                "nesting",
                f"graphics states nested over {self.limits.max_save_depth:,} deep "
                f"on page {self.pages}",
                self.limits.max_save_depth,
                page=self.pages,
            )


# -- bounded stream decoding --------------------------------------------------


def inflate(data: bytes, budget: Budget) -> bytes:
    """Flate-decode ``data`` a step at a time, refusing as soon as it grows too large.

    Damage is treated as pdfminer treats it: a stream whose only fault is its
    Adler-32 trailer keeps its data (:func:`inflate_damaged`), any other
    damage gives no data rather than an error.
    """
    try:
        return _inflate(data, budget)
    except zlib.error:
        pass
    try:
        return inflate_damaged(data, budget)
    except zlib.error:
        return b""


def inflate_damaged(data: bytes, budget: Budget) -> bytes:
    """pdfminer's ``decompress_corrupted``, bounded: the data without its checksum."""
    return _inflate(data[:-4], budget) if len(data) > 4 else b""


def _inflate(data: bytes, budget: Budget) -> bytes:
    decompressor = zlib.decompressobj()
    out = io.BytesIO()
    size = 0
    pending = data
    while True:
        chunk = decompressor.decompress(pending, _STEP)
        size += len(chunk)
        budget.produced(size, len(data))
        out.write(chunk)
        pending = decompressor.unconsumed_tail
        if decompressor.eof or (not chunk and not pending):
            break
    budget.add_decoded(size, len(data))
    return out.getvalue()


def lzw_decode(data: bytes, budget: Budget) -> bytes:
    """LZW-decode with the same checks (LZW can expand a few thousand times)."""
    from pdfminer.lzw import LZWDecoder

    parts = []
    size = 0
    for part in LZWDecoder(io.BytesIO(data)).run():
        size += len(part)
        budget.produced(size, len(data))
        parts.append(part)
    budget.add_decoded(size, len(data))
    return b"".join(parts)


def run_length_decode(data: bytes, budget: Budget) -> bytes:
    """RunLength-decode after measuring what it gives (up to 64 times its input)."""
    from pdfminer.runlength import rldecode

    size = 0
    i = 0
    while i < len(data):
        length = data[i]
        if length == 128:
            break
        if length < 128:
            size += length + 1
            i += length + 2
        else:
            size += 257 - length
            i += 2
    budget.produced(size, len(data))
    decoded = rldecode(data)
    budget.add_decoded(len(decoded), len(data))
    return decoded


def no_fax_decode(data: bytes, params: Any) -> bytes:
    """CCITT fax data is only ever a scanned image, which text extraction never
    looks at; pdfminer's pure-Python decoder would allocate a row of
    ``/Columns`` bits per encoded bit, so it is not run at all."""
    return b""


def install_bounded_decoding(budget: Budget) -> None:
    """Make pdfminer's stream decoding count against ``budget``.

    pdfminer has no hook for stream filters: ``PDFStream.decode`` calls the
    module-level ``zlib``, ``lzwdecode``, ``rldecode`` and ``ccittfaxdecode``
    of :mod:`pdfminer.pdftypes`, and its parser, document, interpreter and
    font code all create plain ``PDFStream`` objects, so a subclass would
    never be used.  Those module names are therefore replaced, **only in the
    worker process** (:mod:`reader.library.importers.pdf_worker`) that exists
    to read this one file on one thread: the replacement cannot leak into the
    app, race another import or outlive the file.  Never call this in the
    app's own process.
    """
    from pdfminer import pdftypes

    class _BoundedZlib:
        """The part of :mod:`zlib` that ``PDFStream.decode`` uses, bounded."""

        error = zlib.error

        @staticmethod
        def decompress(data: bytes) -> bytes:
            return _inflate(data, budget)  # zlib.error goes to pdfminer's fallback

    pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]
    pdftypes.decompress_corrupted = lambda data: inflate_damaged(data, budget)  # type: ignore[assignment]
    pdftypes.lzwdecode = lambda data: lzw_decode(data, budget)  # type: ignore[assignment]
    pdftypes.rldecode = lambda data: run_length_decode(data, budget)  # type: ignore[assignment]
    pdftypes.ccittfaxdecode = no_fax_decode  # type: ignore[assignment]


# -- bounded interpretation and layout -----------------------------------------


def bounded_tools(budget: Budget, laparams: Any) -> tuple[Any, Any]:
    """A resource manager's device and interpreter that count against ``budget``.

    These are ordinary subclasses (pdfminer's extension points), built in a
    function so pdfminer is imported only when a PDF is read.
    """
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTPage, LTTextGroupLRTB
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdftypes import list_value, stream_value
    from pdfminer.utils import MATRIX_IDENTITY, apply_matrix_rect

    class BoundedPage(LTPage):
        """An ``LTPage`` whose text boxes are grouped flat when there are very many."""

        def group_textboxes(self, laparams, boxes):  # type: ignore[no-untyped-def]
            if len(boxes) > MAX_GROUPED_BOXES:
                return [LTTextGroupLRTB(boxes)]
            return super().group_textboxes(laparams, boxes)

    class BoundedAggregator(PDFPageAggregator):
        """Counts every glyph, path and image drawn, per page and per file."""

        def begin_page(self, page, ctm):  # type: ignore[no-untyped-def]
            budget.start_page()
            (x0, y0, x1, y1) = apply_matrix_rect(ctm, page.mediabox)
            self.cur_item = BoundedPage(self.pageno, (0, 0, abs(x0 - x1), abs(y0 - y1)))

        def render_char(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            budget.add_object(char=True)
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            budget.add_object(char=False)
            return super().paint_path(*args, **kwargs)

        def render_image(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            budget.add_object(char=False)
            return super().render_image(*args, **kwargs)

    class BoundedInterpreter(PDFPageInterpreter):
        """Counts content bytes run, XObjects drawn, states saved and stray operands."""

        def render_contents(self, resources, streams, ctm=MATRIX_IDENTITY):  # type: ignore[no-untyped-def]
            for stream in list_value(streams):
                data = stream_value(stream).get_data()
                budget.add_executed(len(data) if isinstance(data, bytes) else 0)
            return super().render_contents(resources, streams, ctm=ctm)

        def do_Do(self, xobjid_arg):  # type: ignore[no-untyped-def]
            budget.add_xobject_call()
            return super().do_Do(xobjid_arg)

        def do_q(self):  # type: ignore[no-untyped-def]
            budget.check_save_depth(len(self.gstack))
            return super().do_q()

        def push(self, obj):  # type: ignore[no-untyped-def]
            self.argstack.append(obj)
            if len(self.argstack) > 2 * MAX_OPERANDS:
                del self.argstack[:-MAX_OPERANDS]

    manager = PDFResourceManager(caching=True)
    device = BoundedAggregator(manager, laparams=laparams)
    return device, BoundedInterpreter(manager, device)
