"""Hostile files built at test time: PDF decompression bombs and object floods,
and DOCX/EPUB whose XML carries entity-expansion ("billion laughs") payloads.

The PDFs are written by hand (a catalog, a page tree, pages, a Helvetica font
and content streams, with a correct cross-reference table) so each one is
exactly the attack it names and nothing else.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

#: The font every text page uses: a standard font, so no font file is needed.
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", filters: tuple[str, ...] = ()) -> bytes:
    """A stream object; ``data`` must already be encoded with ``filters``."""
    names = b""
    if filters:
        names = b" /Filter [" + b" ".join(b"/" + f.encode() for f in filters) + b"]"
    return b"<< /Length %d%s %s >>\nstream\n" % (len(data), names, extra) + data + b"\nendstream"


def one_page_pdf(content: bytes, *, filters: tuple[str, ...] = (), xobjects: bytes = b"") -> bytes:
    """One page drawing ``content`` (already encoded with ``filters``).

    Objects: 1 catalog, 2 pages, 3 page, 4 font, 5 content; ``xobjects`` is a
    resource dictionary entry body (``/F0 6 0 R …``) for objects appended by
    :func:`with_objects`.
    """
    resources = b"<< /Font << /F1 4 0 R >> /XObject << " + xobjects + b" >> >>"
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            + resources
            + b" /Contents 5 0 R >>",
            FONT,
            stream(content, filters=filters),
        ]
    )


def deflate_zeros(size: int) -> bytes:
    """``size`` zero bytes (a whole number of MiB) as a zlib stream, made in a blink.

    After a full flush deflate forgets everything before it, so every further
    MiB of zeros compresses to the same bytes: one block is compressed and
    repeated, then the end-of-stream block and the real Adler-32 of the whole
    are appended.  The result is an ordinary, valid zlib stream.
    """
    mib = 1 << 20
    assert size % mib == 0 and size >= 2 * mib
    block = bytes(mib)
    compressor = zlib.compressobj(9)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(size // mib):
        adler = zlib.adler32(block, adler)
    return first + again * (size // mib - 1) + b"\x03\x00" + struct.pack(">I", adler)


def flate_bomb(path: Path, size: int = 1 << 30) -> Path:
    """A PDF (about 1 MB) whose page content inflates to ``size`` zero bytes."""
    path.write_bytes(one_page_pdf(deflate_zeros(size), filters=("FlateDecode",)))
    return path


def double_flate_bomb(path: Path, size: int = 1 << 30) -> Path:
    """A PDF of a few kilobytes: two Flate filters, the inner output ``size`` zeros."""
    twice = zlib.compress(deflate_zeros(size), 9)
    path.write_bytes(one_page_pdf(twice, filters=("FlateDecode", "FlateDecode")))
    return path


def _page(path: Path, content: bytes, compress: bool) -> Path:
    if compress:
        path.write_bytes(one_page_pdf(zlib.compress(content, 9), filters=("FlateDecode",)))
    else:
        path.write_bytes(one_page_pdf(content))
    return path


def glyph_flood(path: Path, glyphs: int = 1_000_000, compress: bool = False) -> Path:
    """One page drawing ``glyphs`` letters (7 bytes each, or far less compressed)."""
    return _page(path, b"BT /F1 1 Tf 10 10 Td " + b"(a) Tj " * glyphs + b"ET", compress)


def save_flood(path: Path, saves: int = 1_000_000, compress: bool = False) -> Path:
    """One page saving the graphics state ``saves`` times and never restoring it."""
    return _page(path, b"q " * saves, compress)


def operand_flood(path: Path, operands: int = 1_000_000, compress: bool = False) -> Path:
    """One page pushing ``operands`` numbers with no operator to take them, then text."""
    content = b"1 " * operands + b"BT /F1 12 Tf 72 720 Td (Hello operands) Tj ET"
    return _page(path, content, compress)


def xobject_tree(path: Path, depth: int = 8, fanout: int = 10) -> Path:
    """Form XObjects each drawing the next one ``fanout`` times: ``fanout**depth`` draws."""
    forms = []
    first = 6
    for level in range(depth):
        if level + 1 < depth:
            body = b"".join(b"/X%d Do " % (level + 1) for _ in range(fanout))
            resources = b"<< /XObject << /X%d %d 0 R >> >>" % (level + 1, first + level + 1)
        else:
            body = b"BT /F1 1 Tf (x) Tj ET"
            resources = b"<< /Font << /F1 4 0 R >> >>"
        extra = b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources " + resources
        forms.append(stream(body, extra=extra))
    content = b"/X0 Do"
    base = one_page_pdf(content, xobjects=b"/X0 %d 0 R" % first)
    # Rebuild with the form objects appended after the five of one_page_pdf.
    objects = _objects_of(base) + forms
    path.write_bytes(pdf_bytes(objects))
    return path


def many_pages(path: Path, pages: int) -> Path:
    """``pages`` pages that all draw one short shared content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        FONT,
        stream(b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objects.extend(page for _ in range(pages))
    path.write_bytes(pdf_bytes(objects))
    return path


def _objects_of(pdf: bytes) -> list[bytes]:
    """The object bodies of a PDF made by :func:`pdf_bytes`, in order."""
    bodies = []
    rest = pdf
    number = 1
    while True:
        head = b"%d 0 obj\n" % number
        start = rest.find(head)
        if start < 0:
            return bodies
        end = rest.index(b"\nendobj\n", start)
        bodies.append(rest[start + len(head) : end])
        rest = rest[end:]
        number += 1


# -- XML entity expansion -----------------------------------------------------

#: Ten levels of ten references: 10**9 "lol"s if a parser expands them.
LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
LAUGH = "&lol9;"

#: One 100 KB entity referenced many times: quadratic blowup, no nesting.
QUADRATIC_DTD = '<!DOCTYPE q [<!ENTITY a "' + "a" * 100_000 + '">]>'
QUADRATIC = "&a;" * 20_000


def laughing_docx(path: Path, dtd: str = LAUGHS_DTD, payload: str = LAUGH) -> Path:
    """A Word document whose body XML declares and uses an entity bomb."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{dtd}'
        f'<w:document xmlns:w="{ns}"><w:body>'
        f"<w:p><w:r><w:t>正文第一段。{payload}</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return path


def laughing_epub(
    path: Path, *, where: str = "opf", dtd: str = LAUGHS_DTD, payload: str = LAUGH
) -> Path:
    """An EPUB whose package document (``where="opf"``), chapter (``"chapter"``)
    or container (``"container"``) declares and uses an entity bomb."""
    opf_dtd, chapter_dtd, container_dtd = "", "", ""
    title, body, note = "书名", "正文第一段。", ""
    if where == "opf":
        opf_dtd, title = dtd, "书名" + payload
    elif where == "chapter":
        chapter_dtd, body = dtd, "正文第一段。" + payload
    else:
        container_dtd, note = dtd, f"<note>{payload}</note>"
    container = (
        f'<?xml version="1.0"?>{container_dtd}'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="OEBPS/content.opf" '
        f'media-type="application/oebps-package+xml"/></rootfiles>{note}</container>'
    )
    opf = (
        f'<?xml version="1.0" encoding="UTF-8"?>{opf_dtd}'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>{title}</dc:title>'
        "<dc:language>zh</dc:language></metadata>"
        '<manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '</manifest><spine><itemref idref="c1"/></spine></package>'
    )
    chapter = (
        f'<?xml version="1.0" encoding="UTF-8"?>{chapter_dtd}'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>一</title></head>'
        f"<body><h1>第一章</h1><p>{body}</p></body></html>"
    )
    nav = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        '<head><title>目录</title></head><body><nav epub:type="toc"><ol>'
        '<li><a href="c1.xhtml">第一章</a></li></ol></nav></body></html>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/c1.xhtml", chapter, zipfile.ZIP_DEFLATED)
        archive.writestr("OEBPS/nav.xhtml", nav, zipfile.ZIP_DEFLATED)
    return path


def array_flood(path: Path, numbers: int = 3_000_000) -> Path:
    """One page whose text operator takes an array of ``numbers`` numbers.

    Within every count the importer keeps, but pdfminer builds the whole array
    in memory (about 100 bytes a number): only the worker's memory limit stops it.
    """
    content = b"BT /F1 12 Tf 72 720 Td [" + b"1 " * numbers + b"] TJ ET"
    return _page(path, content, compress=False)


def lzw_zeros(cycles: int = 20) -> bytes:
    """An LZW stream (PDF flavour, early change) of about 7 MB of zeros per cycle.

    Each code names the entry being defined (the "KwKwK" case): a run one
    zero longer than the last, so ~3,700 codes (5 KB) give 7 MB; then a clear
    code starts the next cycle.
    """
    bits: list[tuple[int, int]] = []
    for _ in range(cycles):
        width = 9
        bits.append((256, width))  # clear
        bits.append((0, width))  # one zero
        size = 258
        while size < 4000:
            bits.append((size, width))
            size += 1
            width = {511: 10, 1023: 11, 2047: 12}.get(size, width)
        bits.append((256, width))  # read at the current width, then back to 9
    bits.append((257, 9))  # end of data
    value, count = 0, 0
    for code, width in bits:
        value = (value << width) | code
        count += width
    pad = -count % 8
    return (value << pad).to_bytes((count + pad) // 8, "big")
