"""Refusal codes and their Chinese sentences: every refusal the importers and the
library make has a code, every code has Chinese words, and the app's import
line speaks them while ``reader import`` keeps its English."""

from __future__ import annotations

import ast
import errno
import io
import pickle
import re
import zipfile
from pathlib import Path

import pytest

import reader.library.importers as importers_pkg
from reader.library.importers import ImportRefused, import_file
from reader.library.importers.reasons import REASONS_ZH, chinese_reason
from reader.library.store import ImportResult, Library

LIBRARY = Path(importers_pkg.__file__).parent.parent
SOURCES = [*sorted((LIBRARY / "importers").rglob("*.py")), LIBRARY / "store.py"]

#: Latin words a Chinese sentence may contain: format names and size units.
ALLOWED_WORDS = {"PDF", "EPUB", "DOCX", "HTML", "Office", "KB", "MB", "GB"}

#: Sites that pass a code through from the exception they wrap, not a literal.
PASS_THROUGH = {"self.code", "code", "exc.code"}

SAMPLE_DETAILS: list[dict[str, object]] = [
    {},
    {"size": 3000, "limit": 1024},
    {"limit": 1024},
    {"size": 900, "limit": 500},
    {"errno": errno.EACCES},
    {"errno": errno.ENOENT},
    {"errno": 9999},
    {"format": "pdf"},
    {"format": "docx"},
    {"format": "epub"},
    {"format": "html"},
    {"format": "weird"},
]


def _raise_sites() -> list[tuple[str, int, str]]:
    """(file, line, code source) for each ImportRefused/UndecodableText/refused ImportResult."""
    sites = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "ImportResult":
                status = node.args[1] if len(node.args) > 1 else None
                if not (isinstance(status, ast.Constant) and status.value == "refused"):
                    continue
            elif name not in ("ImportRefused", "UndecodableText"):
                continue
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            where = f"{path.name}:{node.lineno}"
            if code is None:
                # UndecodableText's code defaults to "undecodable"
                sites.append(
                    (where, node.lineno, "undecodable" if name == "UndecodableText" else "")
                )
            elif isinstance(code, ast.Constant):
                sites.append((where, node.lineno, code.value))
            else:
                sites.append((where, node.lineno, "=" + ast.unparse(code)))
    return sites


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text))


def test_the_raise_sites_are_found() -> None:
    """The scan below sees the real raise sites (a broken scan would pass vacuously)."""
    sites = _raise_sites()
    assert len(sites) >= 40
    codes = {code for _, _, code in sites}
    assert {"binary", "empty", "too_large", "corrupt", "zip_bomb", "no_text_layer"} <= codes


@pytest.mark.parametrize(("where", "line", "code"), _raise_sites())
def test_every_refusal_has_a_code_with_chinese_words(where: str, line: int, code: str) -> None:
    assert code, f"{where}: a refusal without code=…"
    if code.startswith("="):
        assert code[1:] in PASS_THROUGH, f"{where}: code passed as {code[1:]!r}"
        return
    assert code in REASONS_ZH, f"{where}: code {code!r} has no Chinese rendering"


@pytest.mark.parametrize("code", sorted(REASONS_ZH))
def test_each_chinese_reason_is_chinese(code: str) -> None:
    for details in SAMPLE_DETAILS:
        text = chinese_reason(code, details)
        assert text, (code, details)
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert _latin_words(text) <= ALLOWED_WORDS, (code, details, text)
        assert "\n" not in text


def test_details_are_in_the_sentence() -> None:
    assert (
        chinese_reason("too_large", {"size": 3000, "limit": 1024})
        == "文件太大（2.9 KB，上限 1 KB）"
    )
    assert chinese_reason("too_large", {"size": 900, "limit": 500}) == (
        "文件太大（900 字节，上限 500 字节）"
    )
    assert chinese_reason("too_large", {"limit": 2 * 1024 * 1024}) == "文件太大（上限 2 MB）"
    assert chinese_reason("encrypted", {"format": "pdf"}) == "PDF 有密码保护"
    assert chinese_reason("encrypted", {}) == "文件有密码保护"
    assert chinese_reason("unreadable", {"errno": errno.EACCES}) == "无法读取（没有读取权限）"
    assert chinese_reason("unreadable", {"errno": 9999}) == "无法读取文件"


def test_an_unknown_code_falls_back_to_the_english_reason(tmp_path: Path) -> None:
    assert chinese_reason("no-such-code") is None
    result = ImportResult(tmp_path / "a.txt", "refused", reason="odd trouble", code="no-such-code")
    assert result.line("zh") == f"{tmp_path}/a.txt：未导入，odd trouble"
    old = ImportResult(tmp_path / "b.txt", "refused", reason="empty file")
    assert old.line("zh") == f"{tmp_path}/b.txt：未导入，empty file"


def _zh_reason(result: ImportResult) -> str:
    line = result.line("zh")
    prefix = f"{result.path}：未导入，"
    assert line.startswith(prefix), line
    return line[len(prefix) :]


def test_the_import_screen_says_binary_empty_and_oversized_in_chinese(tmp_path: Path) -> None:
    binary = tmp_path / "程序.bin"
    binary.write_bytes(bytes(range(256)) * 2)
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    big = tmp_path / "大.txt"
    big.write_text("很长的文字。" * 200, encoding="utf-8")  # 3,600 bytes
    results = Library().import_paths([binary, empty, big], max_bytes=1024)
    assert [r.status for r in results] == ["refused"] * 3
    assert [_zh_reason(r) for r in results] == [
        "不是文本文件",
        "文件是空的",
        "文件太大（3.5 KB，上限 1 KB）",
    ]
    # line() without a language: the English lines of `reader --lang en import`, word for word
    assert [r.line() for r in results] == [
        f"{binary}: refused: a binary file, not text",
        f"{empty}: refused: the file is empty",
        f"{big}: refused: 3.5 KB is over the 1 KB import limit (--max-size)",
    ]
    assert [r.code for r in results] == ["binary", "empty", "too_large"]


def test_importer_refusals_reach_the_chinese_line(tmp_path: Path) -> None:
    """Codes raised deep in the importers survive the file-name prefix and the store."""
    pdf = tmp_path / "坏.pdf"
    pdf.write_bytes(b"%PDF-1.4\n garbage garbage \n%%EOF\n")
    locked = tmp_path / "锁.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    data[6] |= 0x1  # the local header's "encrypted" flag …
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # … and the central directory's, which zipfile reads
    locked.write_bytes(bytes(data))
    other = tmp_path / "包.zip"
    other.write_bytes(buffer.getvalue().replace(b"word/", b"misc/"))
    missing = tmp_path / "不存在.txt"
    weird = tmp_path / "名\x01字.txt"
    weird.write_text("正文。", encoding="utf-8")
    results = Library().import_paths([pdf, locked, other, missing, weird])
    assert [r.code for r in results] == [
        "corrupt",
        "encrypted",
        "other_zip",
        "missing",
        "name_control",
    ]
    reasons = [_zh_reason(r) for r in results[:4]]
    assert reasons == [
        "文件已损坏",
        "DOCX 有密码保护",
        "不支持的压缩包（只能导入 DOCX 和 EPUB）",
        "文件或文件夹不存在",
    ]
    assert results[4].line("zh").endswith("：未导入，文件名含控制字符")


def test_undecodable_text_has_its_code(tmp_path: Path) -> None:
    path = tmp_path / "乱码.txt"
    path.write_bytes("中文".encode() + b"\x81" * 40)
    with pytest.raises(ImportRefused) as err:
        import_file(path, encoding="utf-8")
    assert err.value.code == "wrong_encoding"
    assert str(err.value).startswith(f"{path}: not valid utf-8")
    assert chinese_reason(err.value.code, err.value.details) == "文件不是指定的文字编码"


def test_the_english_message_and_code_survive_the_prefix_and_pickling(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 3000)
    with pytest.raises(ImportRefused) as err:
        import_file(path, max_bytes=1024)
    assert str(err.value) == f"{path}: too large (2.9 KB; the limit is 1 KB)"
    assert (err.value.code, err.value.details) == ("too_large", {"size": 3000, "limit": 1024})
    again = pickle.loads(pickle.dumps(err.value))
    assert (str(again), again.code, again.details) == (
        str(err.value),
        "too_large",
        {"size": 3000, "limit": 1024},
    )
    assert chinese_reason(again.code, again.details) == "文件太大（2.9 KB，上限 1 KB）"
