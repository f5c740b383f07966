"""Markdown (markdown-it-py) and HTML (readability-lxml + lxml) readers.

Both produce raw blocks with the kinds the markup declares: headings are
sure; paragraphs stay unsure so the repair pipeline can still rejoin ones cut
by an earlier conversion and recognise bylines; ``<figcaption>``, a Markdown
image alone in its paragraph and elements whose class says "caption" become
captions.
"""

from __future__ import annotations

import re

from reader.library.importers import ImportRefused
from reader.library.importers.core import decode_or_refuse
from reader.library.repair import RawBlock, RepairReport

_FRONT_MATTER_RE = re.compile(r"\A(\+\+\+|---)\n(.*?)\n\1\n", re.DOTALL)


def read_markdown(
    data: bytes, *, encoding: str | None, report: RepairReport, **_: object
) -> tuple[list[list[RawBlock]], str]:
    text, used = decode_or_refuse(data, encoding)
    return [_mark_subtitle(markdown_blocks(text))], used


def markdown_blocks(text: str) -> list[RawBlock]:
    """Blocks of a Markdown document (front matter title/subtitle/author honoured)."""
    from markdown_it import MarkdownIt

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, object] = {}
    match = _FRONT_MATTER_RE.match(text)
    if match:
        if match.group(1) == "+++":
            import tomllib

            try:
                meta = tomllib.loads(match.group(2))
            except tomllib.TOMLDecodeError:
                meta = {}
        else:
            for line in match.group(2).split("\n"):
                key, sep, value = line.partition(":")
                if sep:
                    meta[key.strip()] = value.strip().strip("\"'")
        text = text[match.end() :]
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(text)
    blocks: list[RawBlock] = []
    heading_level = 0
    in_paragraph = False
    whole = 0  # inside list items and tables paragraphs are never joined
    for token in tokens:
        if token.type in ("list_item_open", "table_open"):
            whole += 1
        elif token.type in ("list_item_close", "table_close"):
            whole -= 1
        if token.type == "heading_open":
            heading_level = int(token.tag[1:])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "paragraph_open":
            in_paragraph = True
        elif token.type == "paragraph_close":
            in_paragraph = False
        elif token.type == "inline":
            children = token.children or []
            images = [c for c in children if c.type == "image"]
            rest = [c for c in children if c.type not in ("image", "softbreak", "hardbreak")]
            if in_paragraph and images and not any(c.content.strip() for c in rest):
                for image in images:
                    alt = "".join(c.content for c in image.children or []) or image.content
                    if alt.strip():
                        blocks.append(RawBlock("caption", alt, sure=True))
                continue
            body = _inline_text(children)
            if heading_level:
                blocks.append(RawBlock("heading", body, heading_level, sure=True))
            else:
                blocks.append(RawBlock("paragraph", body, sure=whole > 0))
        elif token.type in ("fence", "code_block"):
            for line in token.content.split("\n\n"):
                if line.strip():
                    blocks.append(RawBlock("paragraph", line, sure=True))
        elif token.type == "html_block":
            blocks.extend(html_blocks(token.content, main_only=False))
    return _apply_meta(blocks, meta)


def _inline_text(children: list) -> str:  # type: ignore[type-arg]
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "image":
            out.append("".join(c.content for c in child.children or []))
        elif child.type == "html_inline":
            continue
    return "".join(out)


def _apply_meta(blocks: list[RawBlock], meta: dict[str, object]) -> list[RawBlock]:
    title = meta.get("title")
    subtitle = meta.get("subtitle")
    author = meta.get("author")
    head: list[RawBlock] = []
    if isinstance(title, str) and title.strip():
        first = blocks[0] if blocks else None
        if first is not None and first.kind == "heading" and first.text.strip() == title.strip():
            first.role = "title"
        else:
            head.append(RawBlock("heading", title, 1, sure=True, role="title"))
    if isinstance(subtitle, str) and subtitle.strip():
        if not any(b.kind == "heading" and b.text.strip() == subtitle.strip() for b in blocks[:3]):
            blocks.insert(
                1 if blocks and blocks[0].role == "title" else 0,
                RawBlock("heading", subtitle, 2, sure=True, role="subtitle"),
            )
        else:
            for b in blocks[:3]:
                if b.kind == "heading" and b.text.strip() == subtitle.strip():
                    b.role = "subtitle"
    if isinstance(author, str) and author.strip():
        head.append(RawBlock("paragraph", author, sure=True, role="author"))
    return head + blocks


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = {"p", "li", "blockquote", "pre", "dd", "dt", "td", "th", "address"}
_WHOLE_TAGS = {"li", "pre", "dd", "dt", "td", "th"}
_DROP_TAGS = {
    "head",
    "title",
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "svg",
    "select",
    "menu",
}
_CAPTION_CLASS_RE = re.compile(r"caption|figcaption|pic-?desc|img-?desc|图注", re.I)


def read_html(
    data: bytes, *, encoding: str | None, report: RepairReport, **_: object
) -> tuple[list[list[RawBlock]], str]:
    if encoding is None:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
        if declared:
            try:
                text, used = decode_or_refuse(data, declared.group(1).decode("ascii"))
            except ImportRefused:
                text, used = decode_or_refuse(data, None)
        else:
            text, used = decode_or_refuse(data, None)
    else:
        text, used = decode_or_refuse(data, encoding)
    return [_mark_subtitle(html_blocks(text, main_only=True))], used


def _mark_subtitle(blocks: list[RawBlock]) -> list[RawBlock]:
    """A level-2 heading right under the level-1 title, before any text, is the subtitle."""
    heads = [b for b in blocks[:3] if b.kind == "heading"]
    if (
        len(blocks) >= 3
        and blocks[0].kind == "heading"
        and blocks[0].level == 1
        and blocks[1].kind == "heading"
        and blocks[1].level == 2
        and len(heads) == 2
        and not any(b.role == "subtitle" for b in blocks)
    ):
        blocks[1].role = "subtitle"
    return blocks


def html_blocks(html: str, *, main_only: bool) -> list[RawBlock]:
    """Blocks of an HTML page; with ``main_only`` only the main text (readability)."""
    import lxml.html

    title = ""
    content = html
    if main_only:
        content, title = _main_content(html)
    try:
        root = lxml.html.fromstring(content or "<div></div>")
    except Exception:  # lxml raises several types on garbage
        raise ImportRefused("not readable HTML", code="corrupt", format="html") from None
    for bad in [e for e in root.iter() if _tag(e) in ("script", "style", "noscript", "template")]:
        bad.drop_tree()
    blocks: list[RawBlock] = []
    _walk(root, blocks)
    if title and not any(b.kind == "heading" and b.level == 1 for b in blocks):
        blocks.insert(0, RawBlock("heading", title, 1, sure=True, role="title"))
    return blocks


def _main_content(html: str) -> tuple[str, str]:
    """The article part of a page and its title, without menus and boilerplate."""
    import lxml.html
    from readability import Document

    title = ""
    h1_text = ""
    try:
        page = lxml.html.fromstring(html)
        h1 = page.xpath("//h1")
        h1_text = h1[0].text_content().strip() if h1 else ""
        found = page.xpath("//title")
        title = found[0].text_content().strip() if found else ""
    except Exception:
        page = None
    try:
        doc = Document(html)
        summary = doc.summary(html_partial=True)
        title = h1_text or doc.short_title() or title
    except Exception:
        summary = ""
    if page is not None and len(_text_of(summary)) < 20:
        # Too small a page for readability's statistics: drop the obvious chrome.
        for bad in page.xpath("|".join(f"//{t}" for t in sorted(_DROP_TAGS))):
            bad.drop_tree()
        body = page.find("body")
        summary = lxml.html.tostring(body if body is not None else page, encoding="unicode")
    return summary, h1_text or title


def _text_of(fragment: str) -> str:
    return re.sub(r"<[^>]+>|\s+", "", fragment or "")


_CONTAINERS = {
    "div",
    "section",
    "article",
    "figure",
    "ul",
    "ol",
    "table",
    "tr",
    "tbody",
    "thead",
    "main",
    "figcaption",
    "dl",
    "body",
    "header",
    "footer",
}


def _tag(element) -> str:  # type: ignore[no-untyped-def]
    """Lower-case local tag name (XHTML in EPUB comes namespaced)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _walk(element, blocks: list[RawBlock]) -> None:  # type: ignore[no-untyped-def]
    """Depth-first: leaf-level block elements become blocks; loose text too."""
    tag = _tag(element)
    if tag in _DROP_TAGS - {"header", "footer"}:
        return
    classes = element.get("class", "") if hasattr(element, "get") else ""
    if re.fullmatch(r"h[1-6]", tag):
        text = element.text_content()
        if text.strip():
            blocks.append(RawBlock("heading", text, int(tag[1]), sure=True))
        return
    if tag == "figcaption" or (
        tag in _BLOCK_TAGS | {"div", "span"} and classes and _CAPTION_CLASS_RE.search(classes)
    ):
        text = element.text_content()
        if text.strip():
            blocks.append(RawBlock("caption", text, sure=True))
        return
    has_block_child = any(
        _tag(c) in _BLOCK_TAGS or _tag(c) in _CONTAINERS or re.fullmatch(r"h[1-6]", _tag(c))
        for c in element
    )
    if not has_block_child:
        if tag == "pre":
            text = element.text_content()
            if text.strip():
                blocks.append(RawBlock("paragraph", text, sure=True))
            return
        for text in _inline(element):
            if text.strip():
                # List items and cells are whole by construction: never joined.
                blocks.append(RawBlock("paragraph", text, sure=tag in _WHOLE_TAGS))
        return
    if element.text and element.text.strip():
        blocks.append(RawBlock("paragraph", element.text))
    for child in element:
        _walk(child, blocks)
        if child.tail and child.tail.strip():
            blocks.append(RawBlock("paragraph", child.tail))


def _inline(element) -> list[str]:  # type: ignore[no-untyped-def]
    """Text of an element, cut at each ``<br>``.

    Each piece becomes a paragraph of its own (unsure, so the repair rules
    still join a sentence that a ``<br>`` cut); newlines in the HTML source are
    only whitespace and are joined like wrapped lines.
    """
    pieces: list[list[str]] = [[]]

    def visit(node) -> None:  # type: ignore[no-untyped-def]
        tag = _tag(node)
        if tag in ("script", "style"):
            if node.tail and node is not element:
                pieces[-1].append(node.tail)
            return
        if tag == "br":
            pieces.append([])
        elif node.text:
            pieces[-1].append(node.text)
        for child in node:
            visit(child)
        if node is not element and node.tail:
            pieces[-1].append(node.tail)

    visit(element)
    return ["".join(piece) for piece in pieces]
