"""The catalog's index terms, queries and ranking, on a real SQLite file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.article import Article
from reader.library.catalog import Catalog, build_query, fold, grams, matching_sentence


def make(title: str, *paragraphs: str, author: str = "", tags=()) -> Article:
    return Article.from_parts(
        [("heading", 1, title), *(("paragraph", 0, p) for p in paragraphs)],
        author=author,
        tags=tags,
    )


@pytest.fixture
def catalog(tmp_path: Path):
    cat = Catalog.open(tmp_path / "catalog.sqlite")
    yield cat
    cat.close()


def put(catalog: Catalog, tmp_path: Path, article: Article) -> None:
    path = tmp_path / f"{article.id}.md"
    path.write_text(article.to_markdown(), encoding="utf-8")
    catalog.db.execute("BEGIN IMMEDIATE")
    catalog.put(article, origin="user", path=path, stat=os.stat(path))
    catalog.db.execute("COMMIT")


def test_grams_are_bigrams_of_han_runs_and_whole_latin_words():
    assert grams("残疾人") == "残疾 疾人 人"
    assert grams("iPhone手机，ＡＢＣ 2022年") == "iphone 手机 机 abc 2022 年"
    assert grams("，。！") == ""


def test_fold_makes_width_and_case_alike():
    assert fold("ＡＢＣ") == fold("abc") == fold("ABC")


def test_query_for_a_han_run_is_a_phrase_of_consecutive_bigrams():
    expr = build_query("疾人")
    assert expr is not None and '"疾人"' in expr
    expr = build_query("残疾人")
    assert '"残疾" + "疾人"' in expr
    assert build_query("，。") is None
    assert build_query("   ") is None


def test_search_finds_chinese_queries_inside_longer_words(catalog, tmp_path):
    a = make("助残行动", "阿里巴巴支持数十万残疾人创业就业。", author="皮磊")
    b = make("落叶艺术展", "上海武康路的落叶艺术公益展吸引市民。", author="李庆")
    put(catalog, tmp_path, a)
    put(catalog, tmp_path, b)
    # 疾人 is never a word on its own (jieba: 残疾人), 里巴 neither (阿里巴巴)
    for query in ("疾人", "里巴", "数十万残", "残疾人", "巴"):
        hits = catalog.search(query)
        assert [h.id for h in hits] == [a.id], query
    assert [h.id for h in catalog.search("武康")] == [b.id]
    assert [h.id for h in catalog.search("李庆")] == [b.id]
    assert catalog.search("疾人创业")[0].sentence == "阿里巴巴支持数十万残疾人创业就业。"
    # adjacent characters across punctuation or across words of different runs do not match
    assert catalog.search("业上") == []
    assert catalog.search("不存在的词") == []


def test_every_part_of_a_query_must_occur(catalog, tmp_path):
    a = make("甲", "银行利率上调。", "天气晴朗。")
    b = make("乙", "银行今天休息。")
    put(catalog, tmp_path, a)
    put(catalog, tmp_path, b)
    assert {h.id for h in catalog.search("银行")} == {a.id, b.id}
    assert [h.id for h in catalog.search("银行 天气")] == [a.id]


def test_latin_words_match_by_prefix_case_and_width_folded(catalog, tmp_path):
    a = make("新品", "Apple 发布了 iPhone 手机。")
    put(catalog, tmp_path, a)
    for query in ("iphone", "IPHONE", "ｉＰｈｏｎｅ", "iph"):
        assert [h.id for h in catalog.search(query)] == [a.id], query


def test_title_match_ranks_above_a_passing_mention(catalog, tmp_path):
    mention = make("城市新闻", "今天的新闻很多。", "有人提到了图书馆。", "其他事情。")
    titled = make("图书馆开放", "市民可以免费借书。")
    put(catalog, tmp_path, mention)
    put(catalog, tmp_path, titled)
    assert [h.id for h in catalog.search("图书馆")] == [titled.id, mention.id]


def test_a_whole_word_ranks_above_the_same_characters_across_words(catalog, tmp_path):
    # 和尚 as a word versus 和 + 尚未 ("and not yet")
    word = make("寺庙", "一个和尚挑水喝。", "山上很安静。")
    across = make("消息", "他和尚未出发的人见面。", "山上很安静。")
    put(catalog, tmp_path, across)
    put(catalog, tmp_path, word)
    assert [h.id for h in catalog.search("和尚")] == [word.id, across.id]


def test_matching_sentence_prefers_the_whole_query_and_cuts_long_sentences():
    text = "第一句话。第二句提到银行。第三句。"
    assert matching_sentence(text, "银行") == "第二句提到银行。"
    assert matching_sentence(text, "没有") == "第一句话。"
    long = "前" * 300 + "银行" + "后" * 300 + "。"
    cut = matching_sentence(long, "银行", max_chars=60)
    assert "银行" in cut and len(cut) <= 62 and cut.startswith("…") and cut.endswith("…")


def test_the_catalog_is_in_wal_mode_with_a_busy_timeout(catalog):
    assert catalog.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert catalog.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 10000


def test_a_file_that_is_not_sqlite_is_reported_as_corrupt(tmp_path):
    from reader.library.catalog import CatalogCorrupt

    bad = tmp_path / "catalog.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogCorrupt):
        Catalog.open(bad)


def test_an_older_schema_is_rebuilt(tmp_path):
    path = tmp_path / "catalog.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema', '0')")
    db.execute("CREATE TABLE articles (x)")
    db.commit()
    db.close()
    cat = Catalog.open(path)
    assert cat.rows() == []
    cat.close()


@given(st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_fast_content_id_is_exactly_content_id(text):
    from reader.library.article import content_id
    from reader.library.catalog import fast_content_id

    assert fast_content_id(text) == content_id(text)


def test_fast_content_id_on_awkward_text():
    from reader.library.article import content_id
    from reader.library.catalog import fast_content_id

    samples = [
        "ＡＢＣ，全角。……“引号”",
        "e\u0301 café ﬁne ㈱ ① ㍿ 𠀀 豈",
        "\u1100\u1161\u11a8 한국어",
        "中文\u3000空格\t制表\n换行",
        "阿里巴巴发布年度助残行动报告。" * 50,
    ]
    for text in samples:
        assert fast_content_id(text) == content_id(text), text


def test_query_syntax_in_the_users_words_is_just_text(catalog, tmp_path):
    a = make("语法", "AND OR NOT NEAR 都是普通的词。")
    put(catalog, tmp_path, a)
    for query in ['"', "AND", "NOT 普通", "*", "(", ")", "NEAR(a b)", "a:b", "^普通", "{body}:x"]:
        catalog.search(query)  # never a syntax error
    assert [h.id for h in catalog.search("NOT 普通")] == [a.id]
    assert [h.id for h in catalog.search("near")] == [a.id]
