"""Hostile files: decompression bombs, object floods and entity expansion.

Each one must give a one-line refusal naming the file and the reason (with a
code that has Chinese words), in bounded memory and time, with no traceback,
and leave the library exactly as it was.  Memory is measured for real: the
import runs in a fresh interpreter, which reports its own peak RSS and that of
the PDF worker process it started (``RUSAGE_CHILDREN``).  Unbounded, the
1 GB bomb alone would need over a gigabyte.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from reader.library.importers import ImportRefused, import_file
from reader.library.importers.pdf_limits import (
    MAX_OPERANDS,
    Budget,
    Limits,
    bounded_tools,
    inflate,
)
from reader.library.importers.pdf_worker import extract_lines
from reader.library.importers.reasons import chinese_reason
from reader.library.store import Library
from reader.paths import PROJECT_ROOT, data_dir
from tests.library import hostile

#: Peak RSS allowed for the process that calls ``import_file`` and for its PDF worker.
PARENT_MB = 150
WORKER_MB = 300

_MEASURE = """
import json, resource, sys
from reader.library.importers import ImportRefused, import_file
try:
    outcome = import_file(sys.argv[1])
    result = {"texts": [a.text for a in outcome.articles]}
except ImportRefused as exc:
    result = {"refused": str(exc), "code": exc.code, "details": exc.details}
# VmHWM, not RUSAGE_SELF: Linux carries the spawning process's peak across exec
with open("/proc/self/status") as status:
    peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
result["parent_mb"] = peak_kb / 1024
result["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(result, ensure_ascii=False))
"""


def measured_import(path: Path) -> dict:
    """Import ``path`` in a fresh interpreter: its outcome or refusal and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def assert_refused(result: dict, path: Path, code: str) -> None:
    """A one-line refusal naming the file, with ``code``, in bounded memory."""
    assert "refused" in result, result
    message = result["refused"]
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    assert result["code"] == code, message
    assert chinese_reason(result["code"], result["details"])
    assert result["parent_mb"] < PARENT_MB, result
    assert result["worker_mb"] < WORKER_MB, result


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> bytes:
    """1 GiB of zero bytes, deflated (about 1 MB)."""
    return hostile.deflate_zeros(1 << 30)


# -- PDF decompression bombs ----------------------------------------------------


def test_a_flate_stream_of_a_gigabyte_of_zeros_is_refused(
    tmp_path: Path, gigabyte_of_zeros: bytes
) -> None:
    path = tmp_path / "炸弹.pdf"
    path.write_bytes(hostile.one_page_pdf(gigabyte_of_zeros, filters=("FlateDecode",)))
    assert path.stat().st_size < 2 << 20
    result = measured_import(path)
    assert_refused(result, path, "pdf_bomb")
    assert "decompression bomb" in result["refused"]
    assert result["details"] == {"format": "pdf", "limit": 100 << 20}
    assert (
        chinese_reason("pdf_bomb", result["details"])
        == "PDF 里的压缩数据解压后超过 100 MB，疑似压缩炸弹，已拒绝"
    )


def test_two_flate_filters_in_a_few_kilobytes_are_refused(
    tmp_path: Path, gigabyte_of_zeros: bytes
) -> None:
    path = tmp_path / "double.pdf"
    twice = zlib.compress(gigabyte_of_zeros, 9)
    path.write_bytes(hostile.one_page_pdf(twice, filters=("FlateDecode", "FlateDecode")))
    assert path.stat().st_size < 10_000
    assert_refused(measured_import(path), path, "pdf_bomb")


def test_a_small_stream_that_inflates_over_200_times_is_refused(tmp_path: Path) -> None:
    """The zip rule: past 8 MB of output, a stream may not expand over 200 times."""
    path = hostile.glyph_flood(tmp_path / "ratio.pdf", 1_500_000, compress=True)
    result = measured_import(path)
    assert_refused(result, path, "pdf_bomb")
    assert "expands over 200 times" in result["refused"]


def test_an_lzw_stream_is_bounded_like_flate(tmp_path: Path) -> None:
    """LZW expands over a thousand times: 84 KB of codes would give 112 MB of zeros."""
    codes = hostile.lzw_zeros(16)
    path = tmp_path / "lzw.pdf"
    path.write_bytes(hostile.one_page_pdf(codes, filters=("LZWDecode",)))
    result = measured_import(path)
    assert_refused(result, path, "pdf_bomb")
    assert f"({len(codes):,} bytes to over" in result["refused"]


def test_run_length_behind_flate_counts_against_the_same_budget(tmp_path: Path) -> None:
    """RunLength gives up to 64 times its input; here 2 MB of runs (from 2 KB of
    Flate) would give 128 MB, and is refused before it is decoded."""
    runs = b"\x81\x00" * 1_000_000 + b"\x80"  # each pair: 128 zero bytes
    path = tmp_path / "runs.pdf"
    path.write_bytes(
        hostile.one_page_pdf(zlib.compress(runs, 9), filters=("FlateDecode", "RunLengthDecode"))
    )
    assert path.stat().st_size < 20_000
    result = measured_import(path)
    assert_refused(result, path, "pdf_bomb")
    # the Flate stage alone made 2 MB: the 124 MB are the run-length stage's
    assert "(at least 124 MB)" in result["refused"]


# -- PDF object floods ----------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "what"),
    [
        (hostile.glyph_flood, "objects"),  # a million glyphs on one page
        (hostile.save_flood, "nesting"),  # a million unrestored graphics states
        (hostile.xobject_tree, "xobjects"),  # 10**8 form drawings from 2 KB
    ],
)
def test_a_page_with_a_flood_of_objects_is_refused(tmp_path: Path, maker, what: str) -> None:
    path = maker(tmp_path / f"{what}.pdf")
    result = measured_import(path)
    assert_refused(result, path, "pdf_too_complex")
    assert result["details"]["what"] == what
    assert result["details"]["page"] == 1
    assert "too complex to read safely" in result["refused"]


def test_a_pdf_of_over_ten_thousand_pages_is_refused(tmp_path: Path) -> None:
    path = hostile.many_pages(tmp_path / "pages.pdf", 10_001)
    result = measured_import(path)
    assert_refused(result, path, "pdf_too_complex")
    assert result["details"] == {"format": "pdf", "what": "pages", "limit": 10_000}
    assert chinese_reason("pdf_too_complex", result["details"]) == (
        "PDF 页数太多，无法安全读取，已拒绝"
    )


def test_operands_without_an_operator_are_dropped_not_hoarded(tmp_path: Path) -> None:
    """pdfminer keeps every stray operand; the bounded interpreter keeps the last few."""
    from pdfminer.layout import LAParams
    from pdfminer.pdfpage import PDFPage

    path = hostile.operand_flood(tmp_path / "operands.pdf", 100_000)
    _device, interpreter = bounded_tools(Budget(Limits.for_size_limit(50 << 20)), LAParams())
    with path.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            interpreter.process_page(page)
    assert len(interpreter.argstack) <= 2 * MAX_OPERANDS
    # and the text after them is still read
    assert import_file(path).articles[0].text == "Hello operands"


def test_a_page_of_many_scattered_labels_is_read_without_quadratic_grouping(
    tmp_path: Path,
) -> None:
    """Over 500 text boxes skip pdfminer's pairwise grouping; every label is still read."""
    ops = [b"BT /F1 8 Tf"]
    for i in range(600):
        ops.append(b"1 0 0 1 %d %d Tm (L%03d) Tj" % (20 + (i % 20) * 28, 40 + (i // 20) * 25, i))
    ops.append(b"ET")
    path = tmp_path / "map.pdf"
    path.write_bytes(hostile.one_page_pdf(b"\n".join(ops)))
    text = "\n".join(a.text for a in import_file(path).articles)
    assert all(f"L{i:03d}" in text for i in range(600))


# -- the worker's last line of defence ------------------------------------------


def test_the_worker_memory_limit_turns_exhaustion_into_a_refusal(tmp_path: Path) -> None:
    """Within every count, pdfminer still builds a 3-million-number array in memory."""
    small = 100 << 20
    # the limit leaves room for an ordinary page…
    plain = hostile.one_page_pdf(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET")
    assert extract_lines(plain, max_bytes=50 << 20, memory=small)[0]
    # …but not for the array
    data = hostile.array_flood(tmp_path / "array.pdf").read_bytes()
    with pytest.raises(ImportRefused) as err:
        extract_lines(data, max_bytes=50 << 20, memory=small)
    assert err.value.code == "over_limits"
    assert err.value.details == {"format": "pdf", "resource": "memory", "limit": small}
    assert chinese_reason("over_limits", err.value.details) == (
        "读取这个 PDF 需要的内存超过上限（100 MB），已拒绝"
    )


def test_the_worker_cpu_limit_turns_a_slow_file_into_a_refusal(tmp_path: Path) -> None:
    data = hostile.array_flood(tmp_path / "array.pdf").read_bytes()
    with pytest.raises(ImportRefused) as err:
        extract_lines(data, max_bytes=50 << 20, seconds=1)
    assert err.value.code == "over_limits"
    assert err.value.details == {"format": "pdf", "resource": "time", "limit": 1}
    assert str(err.value) == "reading this PDF took more than 1 second of processor time: refused"
    assert chinese_reason("over_limits", err.value.details) == (
        "读取这个 PDF 用的时间超过上限（1 秒），已拒绝"
    )


# -- bounded inflation behaves like pdfminer's on damaged streams ----------------


def test_inflate_keeps_pdfminer_behaviour_for_damaged_streams() -> None:
    text = "第一段正文。".encode() * 1000
    good = zlib.compress(text)
    budget = Budget(Limits.for_size_limit(50 << 20))
    assert inflate(good, budget) == text
    bad_checksum = good[:-4] + bytes(4)
    assert inflate(bad_checksum, budget) == text  # only the Adler-32 trailer is wrong
    assert inflate(good[:-4], budget) == text  # no trailer at all
    assert inflate(b"\x78\x9c garbage that is not deflate", budget) == b""
    assert budget.decoded == 3 * len(text)


def test_a_bomb_is_stopped_within_one_step_and_the_refusal_sticks() -> None:
    bomb = hostile.deflate_zeros(64 << 20)
    budget = Budget(Limits.for_size_limit(50 << 20))
    with pytest.raises(ImportRefused) as err:
        inflate(bomb, budget)
    assert err.value.code == "pdf_bomb"
    assert budget.decoded == 0
    # pdfminer may swallow the exception; every later stream is refused at once
    with pytest.raises(ImportRefused):
        inflate(zlib.compress(b"harmless"), budget)
    assert budget.refusal is err.value


# -- XML entity expansion in DOCX and EPUB ----------------------------------------


@pytest.mark.parametrize("payload", ["laughs", "quadratic"])
def test_a_docx_with_an_entity_bomb_is_refused(tmp_path: Path, payload: str) -> None:
    """python-docx parses with resolve_entities=False, and libxml2 refuses entity
    amplification itself: the document cannot be read, in a few megabytes."""
    dtd, use = _entity_bomb(payload)
    path = hostile.laughing_docx(tmp_path / f"{payload}.docx", dtd, use)
    result = measured_import(path)
    assert_refused(result, path, "corrupt")
    assert result["worker_mb"] < 100 and result["parent_mb"] < 100


@pytest.mark.parametrize("payload", ["laughs", "quadratic"])
def test_an_epub_with_an_entity_bomb_in_its_package_is_refused(
    tmp_path: Path, payload: str
) -> None:
    dtd, use = _entity_bomb(payload)
    path = hostile.laughing_epub(tmp_path / f"{payload}.epub", where="opf", dtd=dtd, payload=use)
    result = measured_import(path)
    assert_refused(result, path, "corrupt")
    assert result["parent_mb"] < 100


@pytest.mark.parametrize("where", ["chapter", "container"])
def test_an_entity_bomb_in_an_epub_chapter_or_container_is_never_expanded(
    tmp_path: Path, where: str
) -> None:
    """Chapters go through lxml's HTML parser (no DTD entities); ebooklib's XML
    parser does not resolve them: the text is read, the laughs are not."""
    path = hostile.laughing_epub(tmp_path / f"{where}.epub", where=where)
    result = measured_import(path)
    assert "texts" in result, result
    text = "\n".join(result["texts"])
    assert "正文第一段。" in text
    assert "lollol" not in text and len(text) < 200
    assert result["parent_mb"] < 100


@pytest.mark.parametrize("name", ["laughs.html", "laughs.xhtml"])
def test_an_entity_bomb_in_html_is_never_expanded(tmp_path: Path, name: str) -> None:
    """HTML and XHTML files go through lxml's HTML parser, which has no DTD entities."""
    head = '<?xml version="1.0"?>' if name.endswith("xhtml") else ""
    path = tmp_path / name
    path.write_text(
        f"{head}{hostile.LAUGHS_DTD}<html><body><h1>标题</h1>"
        f"<p>正文第一段。{hostile.LAUGH}</p></body></html>",
        encoding="utf-8",
    )
    text = "\n".join(a.text for a in import_file(path).articles)
    assert "正文第一段。" in text and "lollol" not in text and len(text) < 100


def test_external_entities_are_not_read_from_disk(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    dtd = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    docx_path = hostile.laughing_docx(tmp_path / "xxe.docx", dtd, "&xxe;")
    epub_path = hostile.laughing_epub(
        tmp_path / "xxe.epub", where="chapter", dtd=dtd, payload="&xxe;"
    )
    for path in (docx_path, epub_path):
        try:
            outcome = import_file(path)
        except ImportRefused as exc:
            assert "\n" not in str(exc) and "TOP-SECRET" not in str(exc)
            continue
        assert all("TOP-SECRET" not in a.text for a in outcome.articles)


def _entity_bomb(kind: str) -> tuple[str, str]:
    if kind == "laughs":
        return hostile.LAUGHS_DTD, hostile.LAUGH
    return hostile.QUADRATIC_DTD, hostile.QUADRATIC


# -- nothing stored changes -----------------------------------------------------


def _snapshot(folder: Path) -> dict[str, object]:
    """Every stored file's bytes; SQLite databases by their content (a read alone
    rewrites the WAL index, ``-shm``, so bytes would differ without a change)."""
    import sqlite3

    stored: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if not path.is_file() or name.endswith(("-shm", "-wal")):
            continue
        if path.suffix in (".sqlite", ".db"):
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                stored[name] = list(db.iterdump())
        else:
            stored[name] = path.read_bytes()
    return stored


def test_hostile_files_leave_the_library_unchanged(
    tmp_path: Path, gigabyte_of_zeros: bytes
) -> None:
    good = tmp_path / "好.txt"
    good.write_text(
        "一篇正常的文章\n\n这是正文的第一段。\n\n这是正文的第二段。\n", encoding="utf-8"
    )
    library = Library()
    assert [r.status for r in library.import_paths([good])] == ["imported"]
    before = _snapshot(data_dir())
    entries = [(e.id, e.title) for e in Library().entries()]
    assert before and "一篇正常的文章" in [title for _, title in entries]
    bomb = tmp_path / "炸弹.pdf"
    bomb.write_bytes(hostile.one_page_pdf(gigabyte_of_zeros, filters=("FlateDecode",)))
    hostile_files = [
        bomb,
        hostile.save_flood(tmp_path / "saves.pdf"),
        hostile.laughing_docx(tmp_path / "laughs.docx"),
    ]
    results = Library().import_paths(hostile_files)
    assert [r.code for r in results] == ["pdf_bomb", "pdf_too_complex", "corrupt"]
    assert [r.status for r in results] == ["refused"] * 3
    for result in results:
        line = result.line("zh")
        assert "\n" not in line and line.startswith(f"{result.path}：未导入，")
        assert (
            result.line().startswith(f"{result.path}: refused: a PDF") or result.code == "corrupt"
        )
    assert results[0].line("zh").endswith("PDF 里的压缩数据解压后超过 100 MB，疑似压缩炸弹，已拒绝")
    assert _snapshot(data_dir()) == before
    assert [(e.id, e.title) for e in Library().entries()] == entries
