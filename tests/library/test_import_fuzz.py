"""Hostile bytes under every extension: an outcome or a one-line refusal, nothing else."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.importers import ImportRefused, import_file
from tests.library import fixtures as fx

EXTENSIONS = [".txt", ".md", ".html", ".docx", ".epub", ".pdf", ""]


def _import_or_refuse(path: Path) -> None:
    try:
        outcome = import_file(path)
    except ImportRefused as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message
        return
    assert outcome.articles and all(a.text for a in outcome.articles)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_crash_the_importer(tmp_path: Path, data: bytes, ext: str) -> None:
    path = tmp_path / f"random{ext}"
    path.write_bytes(data)
    _import_or_refuse(path)


@pytest.fixture(scope="module")
def good_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("good")
    article = fx.bundled(0)
    return {
        ".docx": fx.make_docx(folder / "a.docx", article).read_bytes(),
        ".epub": fx.make_epub(folder / "a.epub", [article]).read_bytes(),
        ".pdf": fx.make_pdf(
            folder / "a.pdf", fx.paragraphs(article)[:3], title=article.title
        ).read_bytes(),
        ".html": fx.make_html(folder / "a.html", article).read_bytes(),
    }


@pytest.mark.parametrize("ext", [".docx", ".epub", ".pdf", ".html"])
def test_damaged_real_files_are_imported_or_refused_cleanly(
    tmp_path: Path, good_files: dict[str, bytes], ext: str
) -> None:
    rng = random.Random(f"damage{ext}")
    original = good_files[ext]
    for round_no in range(25):
        data = bytearray(original)
        if round_no % 3 == 0:
            data = data[: rng.randrange(1, len(data))]
        else:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"damaged-{round_no}{ext}"
        path.write_bytes(bytes(data))
        _import_or_refuse(path)
