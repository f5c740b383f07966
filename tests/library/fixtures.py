"""Real files in every import format, made by the tests themselves.

Each maker writes a file into a folder and returns its path; the content is a
bundled article (or a short known text), so the tests can compare what the
importer gives back with what went in.
"""

from __future__ import annotations

from pathlib import Path

from reader.library.article import Article
from reader.paths import PROJECT_ROOT

ARTICLES = PROJECT_ROOT / "articles"


def bundled(index: int = 0) -> Article:
    """A bundled article, by position in id order (0: the one with a caption)."""
    paths = sorted(ARTICLES.glob("*.md"))
    articles = [Article.load(p) for p in paths]
    with_caption = [a for a in articles if a.captions()]
    others = [a for a in articles if not a.captions()]
    return (with_caption + others)[index]


def paragraphs(article: Article) -> list[str]:
    return [article.block_text(b) for b in article.blocks if b.kind == "paragraph"]


def as_plain_text(article: Article) -> str:
    """The article as a librarian's plain text file: title, then subtitle (the
    document convention for a single article), blank-line paragraphs, byline."""
    lines = [article.title]
    if article.subtitle:
        lines.append(article.subtitle)
    body = paragraphs(article)
    if article.author:
        body[-1] += f"({article.author})"
    lines.extend(body)
    return "\n\n".join(lines) + "\n"


def hard_wrap(text: str, width: int = 30) -> str:
    """Break every paragraph line after ``width`` characters, the way old e-texts do."""
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


def make_docx(path: Path, article: Article) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(article.title, level=1)
    if article.subtitle:
        document.add_paragraph(article.subtitle, style="Subtitle")
    for block in article.blocks:
        text = article.block_text(block)
        if block.kind == "paragraph":
            document.add_paragraph(text)
        elif block.kind == "caption":
            document.add_paragraph(text, style="Caption")
    document.core_properties.author = article.author
    document.save(str(path))
    return path


def make_epub(path: Path, chapters: list[Article], *, title: str = "合集") -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("reader-test-book")
    book.set_title(title)
    book.set_language("zh")
    book.add_author("编辑部")
    items = []
    for number, article in enumerate(chapters, 1):
        body = [f"<h1>{article.title}</h1>"]
        for block in article.blocks:
            text = article.block_text(block)
            if block.kind == "paragraph":
                body.append(f"<p>{text}</p>")
            elif block.kind == "caption":
                body.append(f"<figure><figcaption>{text}</figcaption></figure>")
        item = epub.EpubHtml(title=article.title, file_name=f"chap{number}.xhtml", lang="zh")
        item.content = "<html><body>" + "".join(body) + "</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book)
    return path


def make_html(path: Path, article: Article) -> Path:
    nav = "".join(f'<li><a href="/s{i}">栏目{i}首页导航链接</a></li>' for i in range(12))
    body = "".join(
        f"<p>{article.block_text(b)}</p>"
        if b.kind == "paragraph"
        else f'<figure><img src="photo.jpg" alt="照片"><figcaption>{article.block_text(b)}'
        "</figcaption></figure>"
        for b in article.blocks
        if b.kind != "heading"
    )
    subtitle = f"<h2>{article.subtitle}</h2>" if article.subtitle else ""
    byline = f'<p class="byline">记者 {article.author}</p>' if article.author else ""
    html = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{article.title} - 公益时报网</title>
<script>var tracker = "不应出现的脚本文字"; window.alert(tracker);</script>
<style>body {{ font-family: sans-serif; }} .x::after {{ content: "样式文字"; }}</style>
</head><body>
<header><div class="logo">公益时报网</div><nav><ul>{nav}</ul></nav></header>
<div class="sidebar"><h3>热门文章</h3><ul><li><a href="/a">侧栏推荐文章标题一</a></li>
<li><a href="/b">侧栏推荐文章标题二</a></li></ul></div>
<main><article class="post-content">
<h1>{article.title}</h1>{subtitle}
{byline}{body}
<div class="comments"><h3>网友评论</h3><p>评论：写得真好！</p></div>
</article></main>
<footer><p>版权所有 © 2022 公益时报网 京ICP备12345678号 联系我们 关于我们</p></footer>
<script>document.write("页脚脚本文字");</script>
</body></html>"""
    path.write_text(html, encoding="utf-8")
    return path


def make_pdf(path: Path, paragraphs_: list[str], *, title: str, columns: int = 1) -> Path:
    """A two-or-more page PDF with a running header, footer and page numbers.

    The text flows with reportlab's platypus, so one paragraph is split across
    the page break the way real typesetting splits it.
    """
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle(
        "zh",
        fontName="STSong-Light",
        fontSize=11,
        leading=16,
        wordWrap="CJK",
        firstLineIndent=22,
        spaceAfter=8,
    )
    heading = ParagraphStyle("h", parent=style, fontSize=16, leading=22, firstLineIndent=0)

    def decorate(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        width, height = A5
        canvas.drawString(40, height - 30, "公益时报 2022年12月6日 第07版")
        canvas.drawString(40, 25, "责任编辑：王某")
        canvas.drawRightString(width - 40, 25, str(doc.page))
        canvas.restoreState()

    story = [Paragraph(title, heading)] + [Paragraph(p, style) for p in paragraphs_]
    if columns == 1:
        doc = SimpleDocTemplate(str(path), pagesize=A5, topMargin=60, bottomMargin=60)
        doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
        return path
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = A5
    gutter = 16
    column = (width - 80 - gutter * (columns - 1)) / columns
    frames = [
        Frame(40 + i * (column + gutter), 60, column, height - 120, id=f"col{i}")
        for i in range(columns)
    ]
    doc = BaseDocTemplate(str(path), pagesize=A5)
    doc.addPageTemplates([PageTemplate(id="cols", frames=frames, onPage=decorate)])
    doc.build(story)
    return path


def make_newspaper_pdf(path: Path, articles: list[Article], *, columns: int = 3) -> Path:
    """A newspaper page: stories in columns, kicker above headline, captions in
    small print, the byline in parentheses after the last paragraph, a running
    head and page numbers; it runs over two pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body",
        fontName="STSong-Light",
        fontSize=10,
        leading=14,
        wordWrap="CJK",
        firstLineIndent=20,
        spaceAfter=4,
    )
    headline = ParagraphStyle(
        "headline", parent=body, fontSize=15, leading=20, firstLineIndent=0, spaceBefore=10
    )
    kicker = ParagraphStyle("kicker", parent=body, fontSize=11, leading=15, firstLineIndent=0)
    caption = ParagraphStyle("caption", parent=body, fontSize=8, leading=11, firstLineIndent=0)
    story = []
    for article in articles:
        if article.subtitle:
            story.append(Paragraph(article.subtitle, kicker))
        story.append(Paragraph(article.title, headline))
        parts = [(b.kind, article.block_text(b)) for b in article.blocks if b.kind != "heading"]
        last = max(i for i, (kind, _) in enumerate(parts) if kind == "paragraph")
        for i, (kind, text) in enumerate(parts):
            if kind == "caption":
                story.append(Paragraph(text, caption))
            else:
                tail = f"({article.author})" if i == last and article.author else ""
                story.append(Paragraph(text + tail, body))
    width, height = A4
    column = (width - 80 - 10 * (columns - 1)) / columns
    frames = [
        Frame(40 + i * (column + 10), 50, column, height - 100, id=f"c{i}") for i in range(columns)
    ]

    def decorate(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("STSong-Light", 8)
        canvas.drawString(40, height - 30, "公益时报 2022年12月6日 星期二 第07版")
        canvas.drawRightString(width - 40, 20, f"- {doc.page} -")

    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=decorate)])
    doc.build(story)
    return path
