"""Search finds an article whichever script, Simplified or Traditional, it and the query use.

A librarian's collection mixes Big5 files from Taiwan and Hong Kong with GB
files from the mainland; a reader types in one script.  The catalog folds text
and query to Simplified one character for one (``catalog.fold_script``), so the
matching sentence it shows is the article's own, in its own script.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import paths
from reader.library import catalog as cat
from reader.library.article import Article
from reader.library.store import Library
from reader.text import script as script_mod

READER = Path(sys.executable).with_name("reader")

TRAD_TITLE = "臺灣銀行發佈年度報告"
TRAD_TEXT = (
    "臺灣銀行昨天發佈了年度報告。報告說，數位服務的使用者增加了三成，後續還會擴大無障礙服務。"
)
SIMP_TITLE = "社区图书馆开设无障碍阅览室"
SIMP_TEXT = (
    "社区图书馆开设了无障碍阅览室。视障读者可以在这里借阅有声读物，工作人员会帮助他们使用读屏软件。"
)


@pytest.fixture
def mixed(tmp_path: Path, no_bundled: Path) -> dict[str, str]:
    """A Big5 file and a GB 2312 file imported through the real importer: script -> id."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "taiwan.txt").write_bytes(f"{TRAD_TITLE}\n\n{TRAD_TEXT}\n".encode("big5"))
    (inbox / "mainland.txt").write_bytes(f"{SIMP_TITLE}\n\n{SIMP_TEXT}\n".encode("gb2312"))
    with Library() as lib:
        results = lib.import_paths([inbox / "taiwan.txt", inbox / "mainland.txt"])
    assert [r.status for r in results] == ["imported", "imported"], results
    assert results[0].title == TRAD_TITLE  # stored as it came: Traditional
    return {"trad": results[0].id, "simp": results[1].id}


def ids(lib: Library, query: str) -> list[str]:
    return [h.id for h in lib.search(query)]


def test_the_script_fold_never_changes_a_length() -> None:
    table = cat.script_table()
    assert len(table) > 3000, "OpenCC's t2s characters are missing"
    assert all(len(k) == 1 and len(v) == 1 for k, v in table.items())
    every = "".join(chr(c) for lo, hi in script_mod._SCRIPT_RANGES for c in range(lo, hi + 1))
    folded = cat.fold_script(every)
    assert len(folded) == len(every)
    assert sum(a != b for a, b in zip(every, folded, strict=True)) == len(table)
    assert (
        cat.fold_script(TRAD_TEXT)
        == "台湾银行昨天发布了年度报告。报告说，数位服务的使用者增加了三成，后续还会扩大无障碍服务。"
    )
    # the full fold (width, case, script) is one-for-one on Chinese text too
    assert len(cat.fold(TRAD_TEXT)) == len(TRAD_TEXT)
    assert cat.fold("ＡＢＣ臺灣") == "abc台湾"


def test_simplified_text_folds_to_itself() -> None:
    for path in sorted((paths.PROJECT_ROOT / "articles").glob("*.md")):
        text = Article.load(path).text
        assert cat.fold_script(text) == text
        assert not cat.has_traditional(text)


def test_a_simplified_query_finds_the_traditional_article_and_back(mixed) -> None:
    lib = Library()
    assert ids(lib, "台湾银行") == [mixed["trad"]]
    assert ids(lib, "银行") == [mixed["trad"]]  # the audit's case
    assert ids(lib, "銀行") == [mixed["trad"]]
    assert ids(lib, "后续") == [mixed["trad"]]  # 後 → 后
    assert ids(lib, "圖書館") == [mixed["simp"]]
    assert ids(lib, "視障讀者") == [mixed["simp"]]
    assert ids(lib, "讀") == [mixed["simp"]]  # one character: a prefix of the bigrams
    assert ids(lib, "書館") == [mixed["simp"]]  # inside a longer word


def test_a_mixed_query_and_a_mixed_library(mixed) -> None:
    lib = Library()
    # the same word in both articles, typed in either script, finds both
    both = sorted(mixed.values())
    assert sorted(ids(lib, "無障礙")) == both
    assert sorted(ids(lib, "无障碍")) == both
    assert sorted(ids(lib, "无障礙")) == both  # a query mixing the scripts
    assert ids(lib, "臺灣银行 年度") == [mixed["trad"]]  # several parts, each in either script
    assert ids(lib, "銀行 阅览室") == []  # every part must occur in the same article


def test_the_sentence_shown_is_the_original_text(mixed) -> None:
    lib = Library()
    (hit,) = lib.search("年度报告")
    assert hit.title == TRAD_TITLE
    assert hit.sentence == "臺灣銀行昨天發佈了年度報告。"
    (hit,) = lib.search("后续")
    assert hit.sentence == "報告說，數位服務的使用者增加了三成，後續還會擴大無障礙服務。"
    (hit,) = lib.search("讀物 閱覽室")  # parts in different sentences: the first that has one
    assert hit.id == mixed["simp"]
    assert hit.sentence == "社区图书馆开设了无障碍阅览室。"


def test_a_long_sentence_is_cut_around_the_match_in_the_original() -> None:
    filler = "這是一段很長的句子，" * 30
    text = filler + "目標詞語在這裡出現" + "，" + "後面還有很多很多字" * 20 + "。"
    shown = cat.matching_sentence(text, "目标词语", max_chars=40)
    assert "目標詞語" in shown and shown.startswith("…") and shown.endswith("…")
    assert len(shown.strip("…")) == 40
    # exactly where the original has it: the folded text's offsets are the original's
    at = text.index("目標詞語")
    assert cat.fold_script(text).index("目标词语") == at


def test_the_cli_finds_big5_text_with_a_simplified_query(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = dict(os.environ, READER_HOME=str(home), COLUMNS="100")
    env.pop("READER_BUNDLED_ARTICLES", None)
    big5 = tmp_path / "taiwan.txt"
    big5.write_bytes(f"{TRAD_TITLE}\n\n{TRAD_TEXT}\n".encode("big5"))

    def reader(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(READER), "--lang", "zh", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    assert reader("import", str(big5)).returncode == 0
    for query in ("银行", "銀行"):
        proc = reader("search", query)
        assert proc.returncode == 0, proc.stderr
        assert TRAD_TITLE in proc.stdout and "臺灣銀行昨天發佈了年度報告。" in proc.stdout


def old_cuts(title: str, text: str) -> bytes:
    """The word cuts an index made before the script fold stored (jieba on the Traditional text)."""
    from reader.text.segment import words as cut

    def width_fold(s: str) -> str:
        import unicodedata

        return unicodedata.normalize("NFKC", s).casefold()

    source = width_fold(title) + "\n" + width_fold(text)
    return cat.pack_cuts(cut(source), source)


def test_an_index_made_before_the_script_fold_is_rebuilt_and_said_once(mixed) -> None:
    catalog_path = paths.data_dir() / "catalog.sqlite"
    trad = Library().get(mixed["trad"])
    # what a catalog of the previous version held: its index version, and jieba's cuts of
    # the Traditional text (contentless: the old terms themselves need not be there)
    db = sqlite3.connect(catalog_path)
    db.execute("UPDATE meta SET value = 'grams1/unicode-14.0.0' WHERE key = 'index'")
    db.execute(
        "UPDATE articles SET cuts = ? WHERE id = ?",
        (old_cuts(trad.title, trad.text), mixed["trad"]),
    )
    db.commit()
    db.close()

    lib = Library()
    assert ids(lib, "银行") == [mixed["trad"]]
    (notice,) = lib.notices
    assert notice.code == "index_upgraded" and notice.details["count"] == 2
    assert "search index was made by an older version" in notice
    from reader.commands.strings import note_line

    assert note_line(notice, "zh").startswith(
        "搜索索引由旧版本的 reader 建立，已重建（2篇文章，用时"
    )
    # the Traditional row was cut into words again, from its Simplified fold
    fresh = cat.IndexText.of(trad)
    row_cuts = lib.catalog.db.execute(
        "SELECT cuts FROM articles WHERE id = ?", (mixed["trad"],)
    ).fetchone()[0]
    assert row_cuts == fresh.cuts != old_cuts(trad.title, trad.text)
    assert {"台湾银行", "年度报告", "后续"} <= set(fresh.words.split())  # Simplified words
    assert lib.catalog.integrity_problems() == []
    lib.close()
    # said once: the next open finds the index current
    lib = Library()
    assert ids(lib, "銀行") == [mixed["trad"]] and lib.notices == []
    # and the rebuilt entries can still be taken out of the contentless index exactly
    lib.remove(mixed["trad"])
    assert ids(lib, "银行") == [] and lib.catalog.integrity_problems() == []
    lib.restore(mixed["trad"])
    assert ids(lib, "银行") == [mixed["trad"]] and lib.catalog.integrity_problems() == []
    lib.close()


def test_an_older_schema_rebuild_is_said_in_one_line(mixed) -> None:
    catalog_path = paths.data_dir() / "catalog.sqlite"
    db = sqlite3.connect(catalog_path)
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    db.commit()
    db.close()
    lib = Library()
    assert ids(lib, "银行") == [mixed["trad"]]
    (notice,) = lib.notices
    assert notice.code == "schema_upgraded" and notice.details["count"] == 2
    from reader.commands.strings import note_line

    assert note_line(notice, "zh").startswith("目录由旧版本的 reader 建立，已根据文章文件重建（2篇")
    assert note_line(notice, "en").startswith("the catalog was made by an older version of reader")
    lib.close()


def test_a_new_library_says_nothing_about_upgrades(mixed) -> None:
    lib = Library()
    assert lib.search("银行") and lib.notices == []
    lib.close()


def test_without_a_converter_each_script_still_finds_itself(monkeypatch) -> None:
    from reader.text import script

    monkeypatch.setattr(script, "_CONVERTER_VERSION", "none")
    monkeypatch.setattr(script, "_SCRIPT_TABLE", None)
    monkeypatch.setattr(script, "_SCRIPT_FOLD", None)
    monkeypatch.setattr(script, "_READING_FOLD", None)
    monkeypatch.setattr(cat, "_FOLD", None)
    monkeypatch.setattr(cat, "_UNFOLD", None)
    assert cat.script_table() == {}
    assert cat.fold("臺灣ＡＢＣ") == "臺灣abc"
    assert cat.index_version().endswith("/none")
    assert cat.matching_sentence(TRAD_TEXT, "銀行") == "臺灣銀行昨天發佈了年度報告。"


def test_index_version_names_the_converter() -> None:
    import opencc

    assert cat.INDEX_VERSION == cat.index_version()
    assert cat.index_version().startswith("grams2/")
    assert opencc.__version__ in cat.index_version()
