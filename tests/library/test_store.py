"""The library in-process: real files, real SQLite, READER_HOME per test."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
import types
from pathlib import Path

import pytest

from reader import paths
from reader.errors import UserError
from reader.library import atomic
from reader.library.article import Article, content_id
from reader.library.store import Library, UnknownArticle, configured_max_bytes

BUNDLED = paths.PROJECT_ROOT / "articles"


def make(title: str, *paragraphs: str, author: str = "", id: str | None = None) -> Article:
    return Article.from_parts(
        [("heading", 1, title), *(("paragraph", 0, p) for p in paragraphs)], author=author, id=id
    )


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One real bundled article in a folder of its own."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    source = sorted(BUNDLED.glob("*.md"))[0]
    (folder / source.name).write_bytes(source.read_bytes())
    monkeypatch.setenv("READER_BUNDLED_ARTICLES", str(folder))
    return folder


def test_bundled_articles_appear_in_every_library(bundled):
    entries = Library().entries()
    assert [e.bundled for e in entries] == [True]
    assert Library().get("1").title == entries[0].title


def test_add_stores_a_file_by_id_and_finds_duplicates_by_content(bundled):
    lib = Library()
    a = make("测试", "第一段。")
    assert lib.add(a) == ("imported", a.id)
    stored = paths.data_dir() / "articles" / f"{a.id}.md"
    assert Article.load(stored).text == a.text
    # the same text with other metadata, or other whitespace and width, is a duplicate
    again = Article.from_parts(
        [(k, lv, t.replace("。", " 。")) for k, lv, t in a.parts()], title="别的", author="某人"
    )
    assert Library().add(again) == ("duplicate", a.id)
    # a bundled article's text is a duplicate of the bundled one
    original = Article.load(next(bundled.glob("*.md")))
    copy = Article.from_parts(original.parts(), title="copy")
    assert Library().add(copy) == ("duplicate", original.id)
    assert len(Library().entries()) == 2


def test_unsafe_or_taken_ids_are_replaced_by_the_content_id(bundled):
    lib = Library()
    evil = make("逃逸", "路径分隔符。", id="../../etc/passwd")
    status, id = lib.add(evil)
    assert status == "imported" and id == content_id(evil.text)
    assert "/" not in id and "." not in id
    assert (paths.data_dir() / "articles" / f"{id}.md").exists()
    assert not list((paths.data_dir()).glob("../etc*"))
    original = Article.load(next(bundled.glob("*.md")))
    clash = make("同号", "内容不同。", id=original.id)
    status, id = lib.add(clash)
    assert status == "imported" and id != original.id
    assert {e.id for e in Library().entries()} >= {original.id, id}


def test_entries_get_and_unknown_ids(bundled):
    lib = Library()
    a = make("甲文", "内容甲。")
    lib.add(a)
    assert Library().get(a.id[:6]).title == "甲文"
    with pytest.raises(UnknownArticle):
        Library().get("zzzz")


def test_search_through_the_library(bundled):
    lib = Library()
    a = make("助残行动", "阿里巴巴支持数十万残疾人创业就业。")
    lib.add(a)
    hits = Library().search("疾人创")
    assert hits[0].id == a.id and "残疾人创业" in hits[0].sentence
    # the bundled article about the same topic is found too
    assert any(h.bundled for h in Library().search("残疾"))


def test_edit_rewrites_the_file_and_the_catalog(bundled):
    lib = Library()
    a = make("旧标题", "正文。")
    lib.add(a)
    edited, copied = Library().edit(a.id, title="新标题", author="作者", add_tags=["新闻", "新闻"])
    assert not copied and edited.tags == ["新闻"]
    on_disk = Article.load(paths.data_dir() / "articles" / f"{a.id}.md")
    assert (on_disk.title, on_disk.author, on_disk.tags) == ("新标题", "作者", ["新闻"])
    assert on_disk.text == a.text
    assert Library().search("新标题")[0].id == a.id
    Library().edit(a.id, remove_tags=["新闻"])
    assert Library().entry(a.id).tags == ()
    with pytest.raises(UserError):
        Library().edit(a.id, title="  ")
    with pytest.raises(UserError):
        Library().edit(a.id, title="bad\x1b[31m")


def test_editing_a_bundled_article_makes_an_overriding_copy(bundled):
    source = next(bundled.glob("*.md"))
    before = source.read_bytes()
    original = Article.load(source)
    _, copied = Library().edit(original.id, title="我的标题")
    assert copied and source.read_bytes() == before
    entries = Library().entries()
    assert [(e.id, e.title, e.bundled) for e in entries] == [(original.id, "我的标题", False)]
    assert Library().get(original.id).title == "我的标题"
    assert [h.title for h in Library().search(original.title[:4])] == ["我的标题"]
    # removing the copy brings the original back
    entry, restored_original = Library().remove(original.id)
    assert restored_original and not entry.bundled
    assert [(e.title, e.bundled) for e in Library().entries()] == [(original.title, True)]
    with pytest.raises(UserError, match="bundled"):
        Library().remove(original.id)
    assert source.read_bytes() == before


def test_remove_and_restore_round_trip(bundled):
    lib = Library()
    a = make("要删除的", "正文内容。")
    lib.add(a)
    entry, _ = Library().remove(a.id)
    assert not entry.path.exists()
    assert a.id not in {e.id for e in Library().entries()}
    assert Library().search("要删除") == []
    assert [t.id for t in Library().trash()] == [a.id]
    assert Library().restore(a.id[:5]).id == a.id
    assert Library().search("要删除")[0].id == a.id
    assert Library().trash() == []
    with pytest.raises(UnknownArticle):
        Library().restore(a.id)


def test_removing_the_same_id_twice_keeps_both_in_the_trash(bundled):
    a = make("两次", "同一篇。")
    Library().add(a)
    Library().remove(a.id)
    Library().add(a)
    Library().edit(a.id, title="第二次")
    Library().remove(a.id)
    assert len(Library().trash()) == 2
    assert Library().restore(a.id).title == "第二次"  # the most recent first
    with pytest.raises(UserError, match="already"):
        Library().restore(a.id)
    assert len(Library().trash()) == 1


def test_restore_refuses_text_the_library_already_has_again(bundled):
    a = make("重复", "又导入一次。")
    Library().add(a)
    Library().remove(a.id)
    b = Article.from_parts(a.parts(), id="other-id")
    assert Library().add(b) == ("imported", "other-id")
    with pytest.raises(UserError, match="already has this text as other-id"):
        Library().restore(a.id)
    assert len(Library().trash()) == 1


def test_a_file_edited_by_hand_is_picked_up(bundled):
    a = make("手改", "原来的正文。")
    Library().add(a)
    path = paths.data_dir() / "articles" / f"{a.id}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("原来的正文", "改过的正文"), "utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse clocks
    assert Library().search("改过")[0].id == a.id
    assert Library().search("原来") == []


def test_unreadable_article_files_are_reported_and_left_alone(bundled):
    folder = paths.data_dir() / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / "broken.md"
    bad.write_text("+++\ntitle = \n+++\n正文", encoding="utf-8")
    lib = Library()
    assert len(lib.entries()) == 1
    assert len(lib.errors) == 1 and "broken.md" in lib.errors[0]
    report = Library().check()
    assert not report.consistent and "broken.md" in report.problems[0]
    assert bad.exists()
    bad.write_text('+++\ntitle = "好了"\n+++\n修好的正文。', encoding="utf-8")
    os.utime(bad, ns=(2, 2))
    assert Library().check().consistent
    assert "好了" in {e.title for e in Library().entries()}


def test_check_repairs_missing_rows_orphan_rows_index_and_temp_files(bundled):
    lib = Library()
    a, b, c = make("甲", "甲的正文。"), make("乙", "乙的正文。"), make("丙", "丙的正文。")
    for x in (a, b, c):
        lib.add(x)
    lib.close()
    folder = paths.data_dir() / "articles"
    # a row whose file is gone, a file with no row, an index entry with no row,
    # a row with no index entry
    (folder / f"{a.id}.md").unlink()
    from reader.library.catalog import Catalog, IndexText

    catalog = Catalog.open(paths.data_dir() / "catalog.sqlite")
    db = catalog.db
    rowid = db.execute("SELECT rowid FROM articles WHERE id = ?", (b.id,)).fetchone()[0]
    db.execute("BEGIN IMMEDIATE")
    catalog.delete(rowid)
    catalog._index(999, IndexText.of(make("孤儿", "没有文章的索引。")))
    crow = db.execute("SELECT rowid FROM articles WHERE id = ?", (c.id,)).fetchone()[0]
    catalog._index(crow, catalog._stored_index(crow), "delete")
    db.execute("COMMIT")
    assert catalog.search("没有文章的索引") == []  # the orphan entry never shows
    catalog.close()
    tmp = atomic.temp_path_for(folder / "zzz.md")
    tmp.write_text("half an artic", encoding="utf-8")

    report = Library().check()
    text = "\n".join(report.fixes)
    assert report.consistent
    assert f"removed the catalog entry for {a.id}" in text
    assert f"added the catalog entry for {b.id}" in text
    assert "rebuilt the search index (1 entries without an article, 1 articles missing" in text
    assert tmp.name in text and not tmp.exists()
    assert Library().check().fixes == []
    assert {e.id for e in Library().entries()} == {
        b.id,
        c.id,
        Article.load(next(bundled.glob("*.md"))).id,
    }
    assert Library().search("丙的")[0].id == c.id
    assert Library().search("乙的")[0].id == b.id


def test_a_corrupt_catalog_is_rebuilt_from_the_files(bundled):
    a = make("保住", "文件不能丢。")
    Library().add(a)
    catalog = paths.data_dir() / "catalog.sqlite"
    catalog.write_bytes(b"\0garbage" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(str(catalog) + suffix).unlink(missing_ok=True)
    lib = Library()
    assert lib.search("不能丢")[0].id == a.id
    assert any("rebuilt" in n for n in lib.notices)
    assert (paths.data_dir() / "articles" / f"{a.id}.md").exists()
    assert list(paths.data_dir().glob("catalog.sqlite.damaged-*"))


def test_check_rebuilds_a_catalog_damaged_inside(bundled):
    for i in range(30):
        Library().add(make(f"第{i}篇", f"正文{i}。" * 200))
    gc.collect()  # close the connections above, so the last close checkpoints the WAL
    lib = Library()
    lib.entries()
    lib.close()
    assert not Path(str(paths.data_dir() / "catalog.sqlite") + "-wal").exists()
    catalog = paths.data_dir() / "catalog.sqlite"
    data = bytearray(catalog.read_bytes())
    data[8192:16384] = b"\xff" * 8192  # wreck some pages, keep the header
    catalog.write_bytes(bytes(data))
    report = Library().check()
    assert any("rebuil" in f for f in report.fixes), report.fixes
    assert len(Library().entries()) == 31
    assert Library().search("第7篇")[0].title == "第7篇"


def test_import_paths_reports_each_file_and_keeps_going(bundled, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text(make("甲", "甲文。").to_markdown(), encoding="utf-8")
    (folder / "sub" / "b.md").write_text(make("乙", "乙文。").to_markdown(), encoding="utf-8")
    (folder / "sub" / "c.md").write_text(make("甲", "甲文。").to_markdown(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / ".hidden.md").write_text(make("隐", "隐藏。").to_markdown(), encoding="utf-8")
    calls = []
    results = Library().import_paths(
        [folder, tmp_path / "missing"], progress=lambda *a: calls.append(a[:2])
    )
    summary = [(r.path.name, r.status) for r in results]
    assert summary == [
        ("a.md", "imported"),
        ("empty.txt", "refused"),
        ("b.md", "imported"),
        ("c.md", "duplicate"),
        ("missing", "refused"),
    ]
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert results[3].id == results[0].id
    assert all(r.reason for r in results if r.status == "refused")
    assert "\n" not in results[1].line()


def test_files_over_the_size_limit_are_refused_before_reading(bundled, tmp_path):
    big = tmp_path / "big.md"
    big.write_text(make("大", "很长。" * 1000).to_markdown(), encoding="utf-8")
    result = Library().import_paths([big], max_bytes=1000)[0]
    assert result.status == "refused" and "limit" in result.reason
    assert Library().entries()[-1].bundled


def test_the_size_limit_comes_from_settings(bundled, tmp_path):
    assert configured_max_bytes() == 50 * 1024 * 1024
    (paths.config_dir() / "settings.toml").write_text("max_import_mb = 1\n", encoding="utf-8")
    assert configured_max_bytes() == 1024 * 1024
    big = tmp_path / "big.md"
    big.write_text(make("大", "很长。" * 200_000).to_markdown(), encoding="utf-8")
    result = Library().import_paths([big])[0]
    assert result.status == "refused" and "1 MB import limit" in result.reason
    # a bad value is reported by the settings and the default is used
    (paths.config_dir() / "settings.toml").write_text("max_import_mb = -3\n", encoding="utf-8")
    assert configured_max_bytes() == 50 * 1024 * 1024


def test_control_characters_in_file_names_are_shown_escaped(bundled, tmp_path):
    name = tmp_path / "bad\x1b[31mname.md"
    name.write_text("", encoding="utf-8")
    result = Library().import_paths([name])[0]
    assert result.status == "refused"
    assert "\x1b" not in result.line() and "\\x1b" in result.line()


def test_audio_export_calls_the_speech_export(monkeypatch, tmp_path, capsys):
    from reader.cli import main

    calls = []

    def export_audio(article, path, progress=None):
        calls.append((article.id, path))
        progress(0.5)
        path.write_bytes(b"RIFF")

    module = types.ModuleType("reader.speech.export")
    module.export_audio = export_audio  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reader.speech.export", module)
    first = Library().entries()[0]
    assert main(["export", first.id, "-o", str(tmp_path / "a.wav")]) == 0
    assert calls == [(first.id, tmp_path / "a.wav")]
    assert main(["export", first.id, "--format", "ogg", "-o", str(tmp_path / "b")]) == 0
    assert calls[-1][1] == tmp_path / "b.ogg"


def test_audio_export_without_the_speech_engine_is_a_one_line_error(monkeypatch, tmp_path, capsys):
    from reader.cli import main

    monkeypatch.setitem(sys.modules, "reader.speech.export", None)
    first = Library().entries()[0]
    assert main(["export", first.id, "-o", str(tmp_path / "a.mp3")]) == 2
    err = capsys.readouterr().err
    assert err == "reader: 这个安装版本不能导出音频\n"
    assert not (tmp_path / "a.mp3").exists()


def test_edits_at_once_from_several_threads_all_count(bundled):
    import threading

    a = make("并发", "同时编辑。")
    Library().add(a)
    errors = []

    def tag(i: int) -> None:
        try:
            with Library() as library:
                library.edit(a.id, add_tags=[f"t{i}"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=tag, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(Library().entry(a.id).tags) == sorted(f"t{i}" for i in range(8))


def test_one_library_can_be_searched_from_another_thread(bundled):
    import threading

    from reader.library import store

    a = make("线程", "在工作线程里搜索。")
    assert store.import_paths([]) == []
    Library().add(a)
    library = Library()
    library.entries()
    found = []
    worker = threading.Thread(target=lambda: found.extend(library.search("工作线程")))
    worker.start()
    worker.join()
    assert [h.id for h in found] == [a.id]
    assert [h.id for h in store.search("工作线程")] == [a.id]


def test_result_lines_in_english_and_chinese(tmp_path):
    from reader.library.store import ImportResult

    done = ImportResult(tmp_path / "a.txt", "imported", "abc", "标题", encoding="gbk")
    assert done.line() == f"{tmp_path}/a.txt: imported as abc (标题) [gbk]"
    assert done.line("zh") == f"{tmp_path}/a.txt：已导入《标题》，编号 abc"
    dup = ImportResult(tmp_path / "b.txt", "duplicate", "abc")
    assert dup.line("zh").endswith("与 abc 内容相同") and dup.ok
    bad = ImportResult(tmp_path / "c.txt", "refused", reason="empty file")
    assert bad.line() == f"{tmp_path}/c.txt: refused: empty file" and not bad.ok


def test_the_contentless_index_stays_exact_through_every_change(bundled):
    from reader.library.catalog import INDEX_VERSION, Catalog

    a = make("原题", "第一版的正文。")
    Library().add(a)
    for i in range(3):
        Library().edit(a.id, title=f"第{i}次改题", add_tags=[f"标签{i}"])
    path = paths.data_dir() / "articles" / f"{a.id}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("第一版", "第二版"), "utf-8")
    os.utime(path, ns=(3, 3))
    Library().edit(a.id, remove_tags=["标签1"])
    Library().remove(a.id)
    Library().restore(a.id)
    lib = Library()
    assert [h.id for h in lib.search("第2次改题")] == [a.id]
    assert [h.id for h in lib.search("标签2")] == [a.id]
    assert lib.search("标签1") == [] and lib.search("第一版") == []
    assert [h.id for h in lib.search("第二版")] == [a.id]
    assert lib.catalog.integrity_problems() == []
    lib.close()
    # a different index version (another Python's Unicode tables) rebuilds the index
    db = sqlite3.connect(paths.data_dir() / "catalog.sqlite")
    db.execute("UPDATE meta SET value = 'old' WHERE key = 'index'")
    db.commit()
    db.close()
    catalog = Catalog.open(paths.data_dir() / "catalog.sqlite")
    version = catalog.db.execute("SELECT value FROM meta WHERE key = 'index'").fetchone()[0]
    assert version == INDEX_VERSION
    assert [h.id for h in catalog.search("第二版")] == [a.id]
    assert catalog.integrity_problems() == []
    catalog.close()
