"""Search finds and ranks exactly what it did before the catalog was made smaller.

``catalog_golden.json`` holds, for a fixed corpus and a fixed list of queries,
the results the catalog gave (ids in order, matching sentence, score) when it
was recorded — first with the schema-2 catalog (plain text and jieba's words
stored in the rows, body bigrams in the fourth index column), before the
compact layout.  Any change to what is indexed, how a query is built or how
results are ranked shows up here as a difference in a named query.

Re-record (only when a change of results is intended, and say so in the commit):
``.venv/bin/python tests/library/test_catalog_golden.py``.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("catalog_golden.json")

#: Queries covering what search does for a user: whole words, pieces of longer words,
#: phrases across words, several parts, one character, Latin and digits (case/width
#: folded, prefixes), title and author matches, rare phrases and no match at all.
QUERIES = [
    "阿里巴巴",
    "疾人",
    "益基",
    "残疾人",
    "数十万残",
    "淘宝 残疾人",
    "专用阅读器",
    "视障读者",
    "捐",
    "人",
    "巴",
    "nihao00",
    "NIHAO",
    "ｎｉｈａｏ01",
    "王芳",
    "皮磊 残疾人",
    "第12号",
    "第123号",
    "量子计算机",
    "公益",
    "基金会",
    "和尚",
    "上海",
    "艺术展",
    "志愿者",
    "年",
    "2022",
    "业上",
    "的",
    "行动 报告 公益",
]


def sentence_pool() -> list[str]:
    from reader.library.article import Article

    sentences: list[str] = []
    for path in sorted((REPO / "articles").glob("*.md")):
        article = Article.load(path)
        for block in article.blocks:
            if block.kind == "paragraph":
                text = article.block_text(block)
                sentences.extend(s for s in re.findall(r"[^。！？]+[。！？]+[”」]?", text) if s)
    return sentences


def corpus(count: int = 240):
    """Deterministic articles of real news sentences, with planted words and Latin names."""
    from reader.library.article import Article

    rng = random.Random(7)
    pool = sentence_pool()
    articles = []
    for i in range(count):
        paragraphs = []
        for _ in range(rng.randint(2, 6)):
            paragraphs.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 4))))
        if i % 37 == 5:
            paragraphs[-1] += "记者在现场体验了一台视障读者专用阅读器。"
        if i % 11 == 3:
            paragraphs.insert(
                1, f"用户 nihao{i % 3:02d} 说：一个和尚挑水喝，他和尚未出发的人见面。"
            )
        if i % 29 == 0:
            paragraphs.append("AND OR NOT 都是普通的词，2022年。")
        articles.append(
            Article.from_parts(
                [("heading", 1, f"第{i}号文章")] + [("paragraph", 0, p) for p in paragraphs],
                author=rng.choice(["皮磊", "李庆", "王芳", "张伟", ""]),
                tags=rng.choice([(), ("公益",), ("上海", "艺术展")]),
            )
        )
    return articles


def results(library) -> dict[str, list[list]]:
    out = {}
    for query in QUERIES:
        out[query] = [
            [h.id, h.sentence, round(h.score, 9), h.bundled] for h in library.search(query, 12)
        ]
    return out


def build(home: Path):
    from reader.library.store import Library

    os.environ["READER_HOME"] = str(home)
    library = Library(bundled_dir=REPO / "articles")
    library.add_many([(a, None) for a in corpus()])
    return library


def test_search_results_are_those_recorded(tmp_path):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    library = build(tmp_path / "home")
    try:
        found = results(library)
    finally:
        library.close()
    assert set(found) == set(golden)
    for query in QUERIES:
        want, got = golden[query], found[query]
        assert [r[0] for r in got] == [r[0] for r in want], query
        assert [r[1] for r in got] == [r[1] for r in want], query
        assert [r[3] for r in got] == [r[3] for r in want], query
        for g, w in zip(got, want, strict=True):
            assert g[2] == pytest.approx(w[2], rel=1e-6, abs=1e-9), query
    # the corpus really exercises the cases: many matches, some rare, some none
    assert len(found["阿里巴巴"]) == 12 and len(found["量子计算机"]) == 0
    assert 0 < len(found["专用阅读器"]) < 12


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        lib = build(Path(tmp) / "home")
        data = results(lib)
        lib.close()
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"recorded {sum(map(len, data.values()))} results for {len(data)} queries in {GOLDEN}")
