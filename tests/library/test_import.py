"""import_file on real files in every format, made by the tests themselves."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from reader.errors import UserError
from reader.library.article import Article
from reader.library.importers import ImportOutcome, ImportRefused, import_file
from tests.library import fixtures as fx


@pytest.fixture(scope="module")
def article() -> Article:
    """The bundled article with a kicker, a caption and a byline."""
    return fx.bundled(0)


def only(outcome: ImportOutcome) -> Article:
    assert len(outcome.articles) == 1, [a.title for a in outcome.articles]
    return outcome.articles[0]


def same_article(got: Article, want: Article) -> None:
    assert got.title == want.title
    assert got.subtitle == want.subtitle
    assert got.author == want.author
    assert fx.paragraphs(got) == fx.paragraphs(want)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16-le"),  # with a BOM (little-endian on this machine)
        ("utf-16-le", "utf-16-le"),  # no BOM
        ("utf-16-be", "utf-16-be"),  # no BOM
    ],
)
def test_plain_text_in_each_encoding(
    tmp_path: Path, article: Article, codec: str, reported: str
) -> None:
    path = tmp_path / f"copy-{codec}.txt"
    path.write_bytes(fx.as_plain_text(article).encode(codec))
    outcome = import_file(path)
    assert outcome.encoding == reported
    assert outcome.format == "text"
    same_article(only(outcome), article)
    assert only(outcome).source == path.name


def test_gb2312_short_text_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("中文测试，你好世界。".encode("gb2312"))
    outcome = import_file(path)
    assert outcome.encoding == "gb18030"
    assert only(outcome).text == "中文测试，你好世界。"


def test_big5_copy_of_a_traditional_article_and_opencc_back(
    tmp_path: Path, article: Article
) -> None:
    from opencc import OpenCC

    traditional = OpenCC("s2tw").convert(fx.as_plain_text(article))
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5"))
    outcome = import_file(path)
    assert outcome.encoding == "big5"
    got = only(outcome)
    assert got.title == "阿里巴巴發佈年度助殘行動報告"
    assert (
        fx.paragraphs(got)[0]
        == fx.paragraphs(
            Article.from_parts(
                [("paragraph", 0, OpenCC("s2tw").convert(fx.paragraphs(article)[0]))]
            )
        )[0]
    )
    simplified = import_file(path, convert="t2s")
    assert fx.paragraphs(only(simplified)) == fx.paragraphs(article)
    assert any(step.startswith("characters converted by OpenCC") for step in simplified.steps)


def test_encoding_override_wins_and_a_wrong_one_is_a_clear_error(
    tmp_path: Path, article: Article
) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(fx.as_plain_text(article).encode("gbk"))
    assert import_file(path, encoding="GBK").encoding == "gb18030"
    with pytest.raises(ImportRefused) as err:
        import_file(path, encoding="utf-8")
    assert str(err.value).startswith(f"{path}: not valid utf-8")
    assert "\n" not in str(err.value)


def test_hard_wrapped_copy_is_rejoined(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(fx.hard_wrap(fx.as_plain_text(article), 28), encoding="utf-8")
    outcome = import_file(path)
    same_article(only(outcome), article)
    assert any(step.startswith("hard-wrapped lines rejoined") for step in outcome.steps)


def test_hard_wrapped_latin_words_get_one_space(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_text(
        "The quick brown fox\njumps over the lazy\ndog and runs away.\n", encoding="utf-8"
    )
    assert (
        only(import_file(path)).text == "The quick brown fox jumps over the lazy dog and runs away."
    )


# --------------------------------------------------------------------------- formats


def test_docx_headings_paragraphs_caption_and_author(tmp_path: Path, article: Article) -> None:
    outcome = import_file(fx.make_docx(tmp_path / "story.docx", article))
    got = only(outcome)
    assert outcome.format == "docx"
    same_article(got, article)
    assert got.captions() == article.captions()
    assert got.parts() == article.parts() and got.id == article.id


def test_epub_chapters_as_headings_or_split(tmp_path: Path) -> None:
    chapters = [fx.bundled(1), fx.bundled(2)]
    path = fx.make_epub(tmp_path / "book.epub", chapters, title="公益合集")
    whole = only(import_file(path))
    assert whole.title == "公益合集" and whole.author == "编辑部"
    headings = [(b.level, whole.block_text(b)) for b in whole.blocks if b.kind == "heading"]
    assert headings == [(1, "公益合集"), (2, chapters[0].title), (2, chapters[1].title)]
    assert fx.paragraphs(whole) == fx.paragraphs(chapters[0]) + fx.paragraphs(chapters[1])
    split = import_file(path, split=True).articles
    assert [a.title for a in split] == [c.title for c in chapters]
    assert [fx.paragraphs(a) for a in split] == [fx.paragraphs(c) for c in chapters]


def test_pdf_reading_order_without_running_heads_and_page_numbers(
    tmp_path: Path, article: Article
) -> None:
    path = fx.make_pdf(tmp_path / "page.pdf", fx.paragraphs(article), title=article.title)
    outcome = import_file(path)
    got = only(outcome)
    assert outcome.format == "pdf"
    assert got.title == article.title
    assert fx.paragraphs(got) == fx.paragraphs(article)
    assert "公益时报 2022年12月6日" not in got.text and "责任编辑" not in got.text
    assert any(
        s.startswith("running headers, footers and page numbers removed") for s in outcome.steps
    )


def test_pdf_paragraph_split_across_pages_is_rejoined(tmp_path: Path) -> None:
    long = "这是一个很长的段落，" * 60 + "最后一句话在这里结束。"
    paragraphs = ["第一段说明一件事。" * 20, long, "最后一段。"]
    from pdfminer.high_level import extract_text

    path = fx.make_pdf(tmp_path / "split.pdf", paragraphs, title="跨页段落测试")
    pages = extract_text(str(path)).split("\f")
    assert sum(1 for p in pages if "这是一个很长的段落" in p) >= 2  # really split by a page
    got = only(import_file(path))
    assert fx.paragraphs(got) == paragraphs


def test_html_main_text_without_menus_scripts_and_footer(tmp_path: Path, article: Article) -> None:
    outcome = import_file(fx.make_html(tmp_path / "page.html", article))
    got = only(outcome)
    assert outcome.format == "html"
    same_article(got, article)
    assert got.parts() == article.parts() and got.id == article.id
    for noise in ("栏目", "侧栏", "脚本", "版权所有", "tracker", "样式", "评论"):
        assert noise not in got.text


def test_markdown_headings_captions_and_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: 标题甲\nauthor: 王五\n---\n\n# 标题甲\n\n第一段文字，\n换行继续。\n\n"
        "![图注文字](photo.jpg)\n\n## 小节\n\n第二段 **加粗** 文字。\n",
        encoding="utf-8",
    )
    got = only(import_file(path))
    assert (got.title, got.author) == ("标题甲", "王五")
    assert got.parts() == [
        ("heading", 1, "标题甲"),
        ("paragraph", 0, "第一段文字，换行继续。"),
        ("caption", 0, "图注文字"),
        ("heading", 2, "小节"),
        ("paragraph", 0, "第二段 加粗 文字。"),
    ]


def test_articles_own_format_round_trips_through_markdown_import(
    tmp_path: Path, article: Article
) -> None:
    path = tmp_path / "own.md"
    path.write_text(article.to_markdown(), encoding="utf-8")
    got = only(import_file(path))
    same_article(got, article)
    assert got.text == article.text and got.id == article.id


# --------------------------------------------------------------------------- hostile text


def test_ansi_colour_codes_and_terminal_escapes_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "ansi.txt"
    path.write_bytes(
        "\x1b[1;31m红色标题\x1b[0m\n\n\x1b]0;窗口标题\x07正文\x1b[2J第一句\x1b[10;5H。"
        "\x1b]8;;http://x.example\x1b\\链接\x1b]8;;\x1b\\文字\x07，\x1bP+q\x1b\\完。\n".encode()
    )
    outcome = import_file(path)
    got = only(outcome)
    assert got.text == "红色标题\n正文第一句。链接文字，完。"
    assert "\x1b" not in got.text and "\x07" not in got.text
    assert any(
        s.startswith("control characters and terminal escapes removed") for s in outcome.steps
    )


def test_rich_markup_is_kept_literally(tmp_path: Path) -> None:
    """Text that Rich or Textual would treat as markup is article text, byte for byte."""
    paragraphs = [
        "[bold red]加粗[/bold red]的[link=https://example.com/?q=1]链接[/link]和[/]与[@click=quit]按钮[/]。",
        "[b][i]嵌套[/i][/b]、[red on white]颜色[/]、[$accent]变量[/]、[reverse blink]闪烁[/]。",
        "转义\\[bold]不是粗体\\[/bold]，表情 :warning: 和 :smile: 也照原样。",
        "[@click=app.exit()]退出[/]、[link='file:///etc/passwd']本地文件[/link]、[on #ff0000]红底[/]。",
        "[not a tag、[unclosed 和 ] 单独的方括号，[[双层]]。",
    ]
    path = tmp_path / "rich.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    got = only(import_file(path))
    assert fx.paragraphs(got) == paragraphs
    assert got.text == "\n".join(paragraphs)


# --------------------------------------------------------------------------- bad input


def refused(path: Path, **kwargs: object) -> str:
    with pytest.raises(ImportRefused) as err:
        import_file(path, **kwargs)  # type: ignore[arg-type]
    message = str(err.value)
    assert isinstance(err.value, UserError)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_binary_empty_large_and_undecodable_files(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    assert refused(binary) == f"{binary}: a binary file, not text"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert refused(empty) == f"{empty}: the file is empty"
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"\n \n\t\n")
    assert refused(blank) == f"{blank}: the file is empty"
    large = tmp_path / "large.txt"
    large.write_text("字" * 400_000, encoding="utf-8")
    assert "too large" in refused(large, max_bytes=1_000_000)
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes([0x81, 0x20, 0xFE, 0x21, 0xC0, 0x7F]) * 200)
    message = refused(garbage)
    assert message.startswith(f"{garbage}: ") and ("undecodable" in message or "binary" in message)


def test_file_names_with_control_characters_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad\x1b[31mname.txt"
    path.write_text("正文。", encoding="utf-8")
    message = refused(path)
    assert "a control character (\\x1b)" in message and "\x1b" not in message
    undecodable = Path(os.fsdecode(bytes(tmp_path) + b"/bad-\xff-name.txt"))
    undecodable.write_text("正文。", encoding="utf-8")
    message = refused(undecodable)
    assert "invalid bytes" in message and "bad-\\xff-name.txt" in message
    message.encode("utf-8")  # printable on any UTF-8 terminal


def test_a_control_character_in_a_name_is_named_escaped(tmp_path: Path) -> None:
    """The reason names the control character, shown escaped; Chinese stays readable."""
    path = tmp_path / "we\x01ird.txt"
    path.write_text("正文。", encoding="utf-8")
    assert (
        refused(path)
        == f"{tmp_path}/we\\x01ird.txt: the file name contains a control character (\\x01)"
    )
    two = tmp_path / "标题\x1b[31m\x07.txt"
    two.write_text("正文。", encoding="utf-8")
    message = refused(two)
    assert message.endswith(
        "标题\\x1b[31m\\x07.txt: the file name contains control characters (\\x1b \\x07)"
    )


def test_the_library_gives_the_control_character_reason_once(tmp_path: Path) -> None:
    from reader.library.store import prepare_file

    path = tmp_path / "we\x01ird.txt"
    path.write_text("正文。", encoding="utf-8")
    (result,), _ = prepare_file(path, encoding=None, split=False, max_bytes=10_000, convert=None)
    assert result.status == "refused"
    assert result.reason == "the file name contains a control character (\\x01)"


@pytest.mark.parametrize(
    ("size", "limit", "shown"),
    [
        (3000, 1024, "too large (2.9 KB; the limit is 1 KB)"),
        (1100, 1024, "too large (1.1 KB; the limit is 1 KB)"),
        (1030, 1024, "too large (1.01 KB; the limit is 1 KB)"),
        (1025, 1024, "too large (1,025 bytes; the limit is 1,024 bytes)"),
        (900, 500, "too large (900 bytes; the limit is 500 bytes)"),
        (3 * 1024 * 1024, 2 * 1024 * 1024, "too large (3 MB; the limit is 2 MB)"),
    ],
)
def test_size_refusals_use_units_that_stay_meaningful(
    tmp_path: Path, size: int, limit: int, shown: str
) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * size)
    assert refused(path, max_bytes=limit) == f"{path}: {shown}"


def test_the_library_size_refusal_uses_the_same_units(tmp_path: Path) -> None:
    """`reader import --max-size 1K` on a 3 KB file: not "0.0 MB over the 0.0 MB limit"."""
    from reader.library.store import prepare_file

    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 3000)
    (result,), _ = prepare_file(path, encoding=None, split=False, max_bytes=1024, convert=None)
    assert result.reason == "2.9 KB is over the 1 KB import limit (--max-size)"


def test_folders_and_missing_files(tmp_path: Path) -> None:
    assert "folder" in refused(tmp_path)
    assert "cannot read" in refused(tmp_path / "missing.txt")


def test_corrupt_and_encrypted_pdf(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage garbage\n%%EOF")
    assert "corrupt PDF" in refused(corrupt) or "without a text layer" in refused(corrupt)
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(
        str(locked), encrypt=pdfencrypt.StandardEncryption("user-pw", ownerPassword="owner-pw")
    )
    c.drawString(72, 720, "secret text")
    c.save()
    assert refused(locked) == f"{locked}: an encrypted PDF (needs a password)"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)
    c.save()
    assert "without a text layer" in refused(path)


def test_corrupt_and_encrypted_docx_and_epub(tmp_path: Path, article: Article) -> None:
    good = fx.make_docx(tmp_path / "good.docx", article).read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good[: len(good) // 2])
    assert "corrupt Word document" in refused(truncated)
    ole = tmp_path / "locked.docx"  # password-protected Office files are OLE containers
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert "encrypted" in refused(ole)
    not_word = tmp_path / "other.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "corrupt Word document" in refused(not_word)
    epub = fx.make_epub(tmp_path / "book.epub", [article]).read_bytes()
    broken = tmp_path / "broken.epub"
    broken.write_bytes(epub[:200])
    assert "corrupt EPUB" in refused(broken)
    drm = tmp_path / "drm.epub"
    with zipfile.ZipFile(tmp_path / "book.epub") as src, zipfile.ZipFile(drm, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(
            "META-INF/encryption.xml",
            "<encryption><EncryptedData><EncryptionMethod "
            'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></EncryptedData></encryption>',
        )
    assert "encrypted EPUB" in refused(drm)


def test_zip_bombs_are_refused_before_unpacking(tmp_path: Path, article: Article) -> None:
    source = fx.make_docx(tmp_path / "good.docx", article)
    bomb = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(source) as src,
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/media/zeros.bin", b"\0" * (4 << 20))
    assert bomb.stat().st_size < 200_000
    message = refused(bomb)
    assert "zip bomb" in message
    over = tmp_path / "over.epub"
    with zipfile.ZipFile(over, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        dst.writestr("OEBPS/big.xhtml", os.urandom(600_000).hex())  # barely compressible
    assert "size limit" in refused(over, max_bytes=1_000_000)


def test_a_non_document_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "neither .docx nor .epub" in refused(path)


def test_two_column_pdf_reads_column_by_column(tmp_path: Path) -> None:
    paragraphs = [
        "左栏第一段讲的是第一件事情，它的内容比较长，需要换好几行才能排完。" * 8,
        "左栏第二段接着讲第二件事情，也要写得足够长，好让它占满几行。" * 8,
        "第三段可能排到右栏去了，读的时候应该在左栏读完以后再读它。" * 8,
        "第四段也很长，它会一直排到第二页上去，在那里接着读下去才对。" * 8,
        "第五段是最后一段，结束。",
    ]
    path = fx.make_pdf(tmp_path / "columns.pdf", paragraphs, title="两栏排版", columns=2)
    from pdfminer.high_level import extract_text

    assert extract_text(str(path)).count("\f") >= 2  # two pages, so running heads repeat
    got = only(import_file(path))
    assert got.title == "两栏排版"
    assert fx.paragraphs(got) == paragraphs


def test_gbk_html_with_a_meta_charset(tmp_path: Path, article: Article) -> None:
    page = fx.make_html(tmp_path / "utf8.html", article).read_text(encoding="utf-8")
    path = tmp_path / "gbk.html"
    page = page.replace('charset="utf-8"', 'charset="gbk"').replace("©", "")
    path.write_bytes(page.encode("gbk"))
    outcome = import_file(path)
    assert outcome.encoding == "gb18030"
    assert fx.paragraphs(only(outcome)) == fx.paragraphs(article)


def test_list_items_and_table_cells_are_never_joined(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text("# 清单\n\n- 苹果\n- 香蕉\n\n| 姓名 | 城市 |\n| --- | --- |\n| 张三 | 北京 |\n")
    assert fx.paragraphs(only(import_file(md))) == ["苹果", "香蕉", "姓名", "城市", "张三", "北京"]
    import docx

    document = docx.Document()
    document.add_heading("表格", level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "姓名"
    table.rows[0].cells[1].text = "张三"
    document.add_paragraph("第一项", style="List Bullet")
    document.add_paragraph("第二项", style="List Bullet")
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert fx.paragraphs(only(import_file(path))) == ["姓名", "张三", "第一项", "第二项"]


def test_a_backslash_in_a_file_name_is_an_ordinary_character(tmp_path: Path) -> None:
    """On POSIX a backslash is legal in a name (a literal "we\\x01ird.txt" too):
    not a path separator, no reason to refuse the file."""
    for name in ("dir\\name.txt", "we\\x01ird.txt"):
        path = tmp_path / name
        path.write_text("正文。", encoding="utf-8")
        got = only(import_file(path))
        assert (got.text, got.source) == ("正文。", name)


def test_outcome_counts_match_the_reported_steps(tmp_path: Path, article: Article) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(fx.hard_wrap(fx.as_plain_text(article), 28), encoding="utf-8")
    outcome = import_file(path)
    assert outcome.counts["wraps"] > 0 and outcome.counts["articles"] == 1
    assert len(outcome.steps) == len(outcome.counts)


def test_html_br_separated_paragraphs_and_source_line_wraps(tmp_path: Path) -> None:
    path = tmp_path / "br.html"
    path.write_text(
        "<html><body><h1>标题</h1><div>第一段的文字\n写在两行里。<br><br>第二段文字。<br>"
        "第三段被换行<br>切开了。</div></body></html>",
        encoding="utf-8",
    )
    got = only(import_file(path))
    assert fx.paragraphs(got) == [
        "第一段的文字写在两行里。",
        "第二段文字。",
        "第三段被换行切开了。",
    ]


def _seed_articles() -> list[Article]:
    return sorted((Article.load(p) for p in fx.ARTICLES.glob("*.md")), key=lambda a: a.id)


@pytest.mark.parametrize("variant", ["gbk", "utf-16", "utf-16-be", "wrapped", "crlf"])
def test_copies_of_the_seed_import_to_exactly_the_bundled_articles(
    tmp_path: Path, variant: str
) -> None:
    from reader.library.importers.seed import SEED_DIR

    raw = (SEED_DIR / "000_e8b7355eef64c4a3.txt").read_text(encoding="utf-8")
    path = tmp_path / f"seed-{variant}.txt"
    if variant == "wrapped":
        path.write_text(fx.hard_wrap(raw, 26), encoding="utf-8")
    elif variant == "crlf":
        path.write_bytes(raw.replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_bytes(raw.encode(variant))
    got = sorted(import_file(path).articles, key=lambda a: a.id)
    want = _seed_articles()
    assert [a.id for a in got] == [a.id for a in want]
    for g, w in zip(got, want, strict=True):
        assert (g.title, g.subtitle, g.author, g.text) == (w.title, w.subtitle, w.author, w.text)
        assert g.blocks == w.blocks


def test_big5_traditional_seed_converted_back_matches_the_bundled_text(tmp_path: Path) -> None:
    from opencc import OpenCC

    from reader.library.importers.seed import SEED_DIR

    raw = (SEED_DIR / "000_e8b7355eef64c4a3.txt").read_text(encoding="utf-8")
    path = tmp_path / "seed-big5.txt"
    path.write_bytes(OpenCC("s2tw").convert(raw).encode("big5"))
    outcome = import_file(path, convert="t2s")
    assert outcome.encoding == "big5"
    want = {a.title: a for a in _seed_articles()}
    got = {a.title: a for a in outcome.articles}
    assert got.keys() == want.keys()
    for title, article in got.items():
        assert article.author == want[title].author
        assert len(article.text) == len(want[title].text)
        # OpenCC's t2s cannot undo every s2tw choice (随著 stays 著): a handful at most.
        differ = sum(a != b for a, b in zip(article.text, want[title].text, strict=True))
        assert differ <= 3, title


def test_epub_chapter_without_heading_takes_its_toc_title(tmp_path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("no-headings")
    book.set_title("无标题书")
    book.set_language("zh")
    chapters = []
    for number, body in enumerate(["第一章的正文。", "第二章的正文。"], 1):
        item = epub.EpubHtml(title=f"目录第{number}项", file_name=f"c{number}.xhtml", lang="zh")
        item.content = f"<html><body><p>{body}</p></body></html>"
        book.add_item(item)
        chapters.append(item)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = chapters
    path = tmp_path / "plain.epub"
    epub.write_epub(str(path), book)
    whole = only(import_file(path))
    assert whole.parts() == [
        ("heading", 1, "无标题书"),
        ("heading", 2, "目录第1项"),
        ("paragraph", 0, "第一章的正文。"),
        ("heading", 2, "目录第2项"),
        ("paragraph", 0, "第二章的正文。"),
    ]
    assert [a.title for a in import_file(path, split=True).articles] == ["目录第1项", "目录第2项"]


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Café au lait, naïve résumé. Señor Müller drinks crème brûlée.", "cp1252"),
        ("Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.", "cp1250"),
        ("𠀀𠀁 GB18030 四字节字符测试。", "gb18030"),
        ("Plain ASCII English in UTF-16 without a BOM.", "utf-16-le"),
    ],
)
def test_other_encodings_decode_to_the_same_text(tmp_path: Path, text: str, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes((text + "\n").encode(codec))
    outcome = import_file(path)
    assert only(outcome).text == text
    assert outcome.encoding == codec


@pytest.mark.parametrize("columns", [1, 2, 3, 4])
def test_a_newspaper_pdf_of_the_bundled_stories_gives_them_back(
    tmp_path: Path, columns: int
) -> None:
    """Columns, kickers, a small-print caption, bylines, running head, page numbers."""
    want = sorted(_seed_articles(), key=lambda a: a.title)
    path = fx.make_newspaper_pdf(tmp_path / "paper.pdf", want, columns=columns)
    outcome = import_file(path)
    got = sorted(outcome.articles, key=lambda a: a.title)
    assert [(a.title, a.subtitle, a.author) for a in got] == [
        (a.title, a.subtitle, a.author) for a in want
    ]
    for g, w in zip(got, want, strict=True):
        assert g.parts() == w.parts()
        assert g.id == w.id
    assert outcome.counts["headers"] >= 2 and outcome.counts["captions"] == 1


def test_reader_article_format_is_taken_literally_not_as_commonmark(tmp_path: Path) -> None:
    article = Article.from_parts(
        [
            ("heading", 1, "格式"),
            ("paragraph", 0, "1. 第一项不是列表。"),
            ("paragraph", 0, "*星号*和_下划线_和<b>尖括号</b>都是文字。"),
            ("paragraph", 0, "# 不是标题"),
            ("caption", 0, "图注"),
        ],
        author="王五",
        tags=["测试"],
    )
    path = tmp_path / "own.md"
    path.write_text(article.to_markdown(), encoding="utf-8")
    outcome = import_file(path)
    got = only(outcome)
    assert outcome.format == "article"
    assert got.parts() == article.parts() and got.id == article.id
    assert (got.author, got.tags, got.source) == ("王五", ["测试"], "own.md")
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        '+++\ntitle = "标\\u001b[31m题"\n+++\n\n# 标\x1b[31m题\n\n正\x1b]0;x\x07文。\n',
        encoding="utf-8",
    )
    clean = only(import_file(hostile))
    assert (clean.title, clean.text) == ("标题", "标题\n正文。")
    broken = tmp_path / "broken.md"
    broken.write_text("+++\ntitle = \n+++\n正文。\n", encoding="utf-8")
    assert "front matter is not valid TOML" in refused(broken)


def test_commonmark_copy_of_a_bundled_article_is_the_same_article(
    tmp_path: Path, article: Article
) -> None:
    lines = [f"# {article.title}", f"## {article.subtitle}"]
    body = [(b.kind, article.block_text(b)) for b in article.blocks if b.kind != "heading"]
    for i, (kind, text) in enumerate(body):
        if kind == "caption":
            lines.append(f"![{text}](photo.jpg)")
        else:
            lines.append(text + (f"({article.author})" if i == len(body) - 1 else ""))
    path = tmp_path / "copy.md"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    got = only(import_file(path))
    same_article(got, article)
    assert got.parts() == article.parts() and got.id == article.id


def test_an_unknown_conversion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("漢字。", encoding="utf-8")
    assert "unknown Chinese conversion 'x2y'" in refused(path, convert="x2y")
    assert only(import_file(path, convert="tw2s")).text == "汉字。"


@pytest.mark.parametrize(("name", "codec"), [("doc.txt", "gbk"), ("doc.md", "utf-8")])
def test_a_librarians_file_takes_the_first_headline_line_as_title(
    tmp_path: Path, name: str, codec: str
) -> None:
    """The audit's file: "测试GBK标题 / 落叶艺术公益展 / body" is title, then subtitle."""
    path = tmp_path / name
    text = "测试GBK标题\n\n落叶艺术公益展\n\n市民带着落叶来到展览现场。\n\n展览持续一周。\n"
    path.write_bytes(text.encode(codec))
    got = only(import_file(path))
    assert (got.title, got.subtitle) == ("测试GBK标题", "落叶艺术公益展")


def test_a_docx_without_heading_styles_takes_the_first_line_as_title(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("年度报告", "二〇二二年助残行动", "正文第一段。", "正文第二段。"):
        document.add_paragraph(text)
    path = tmp_path / "plain.docx"
    document.save(str(path))
    got = only(import_file(path))
    assert (got.title, got.subtitle) == ("年度报告", "二〇二二年助残行动")


def _tight_pdf(path: Path, headline: list[tuple[str, float]], body: list[str]) -> Path:
    """Lines drawn close together, so pdfminer puts headline and body in one box."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), pagesize=A4)
    y = 780.0
    for text, size in headline:
        page.setFont("STSong-Light", size)
        page.drawString(60, y, text)
        y -= size + 4
    page.setFont("STSong-Light", 11)
    for line in body:
        page.drawString(60, y, line)
        y -= 15
    page.save()
    return path


_BODY = [
    "近日，阿里巴巴和阿里巴巴公益基金会共同发布《阿里巴巴的助残心愿",
    "与行动 2022》，从无差别就业、无障碍生活、无后顾之忧等三个方面总",
    "结了阿里巴巴过去一年在助残方面的心愿和行动。",
]


def test_a_pdf_title_in_large_print_is_the_title_not_part_of_the_first_paragraph(
    tmp_path: Path,
) -> None:
    path = _tight_pdf(tmp_path / "doc2.pdf", [("阿里巴巴助残报告", 16)], _BODY)
    got = only(import_file(path))
    assert got.title == "阿里巴巴助残报告"
    assert got.parts() == [
        ("heading", 1, "阿里巴巴助残报告"),
        ("paragraph", 0, "".join(_BODY)),
    ]


def test_a_pdf_headline_in_two_print_sizes_gives_title_and_subtitle(tmp_path: Path) -> None:
    headline = [("阿里巴巴助残报告", 18), ("支持数十万残疾人创业就业", 13.5)]
    got = only(import_file(_tight_pdf(tmp_path / "two.pdf", headline, _BODY)))
    assert (got.title, got.subtitle) == ("阿里巴巴助残报告", "支持数十万残疾人创业就业")
    assert got.parts()[2] == ("paragraph", 0, "".join(_BODY))


def test_body_size_lines_in_a_pdf_never_become_a_title(tmp_path: Path) -> None:
    """A short body-size first line is not headline print: the file name stays the title."""
    path = _tight_pdf(tmp_path / "plain.pdf", [("不是标题的短行", 11)], _BODY)
    got = only(import_file(path))
    assert got.title == "plain" and got.parts()[0][0] == "paragraph"
