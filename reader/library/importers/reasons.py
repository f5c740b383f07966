"""Refusal reasons in Chinese, from a refusal's code and details.

Every :class:`~reader.library.importers.ImportRefused` (and every refusal the
library itself makes) carries a stable ``code`` beside its English message.
The app and ``reader import`` say the Chinese sentence built here (``reader
--lang en import`` prints the English message).  A code missing from :data:`REASONS_ZH`
gives ``None``, so the caller falls back to the English text rather than
saying something wrong.

The sentences name formats the way people see them on files (PDF, EPUB, DOCX)
and sizes in KB/MB, and contain no other Latin letters, because a Mandarin
voice spells English words out letter by letter.
"""

from __future__ import annotations

import errno as errnos
from collections.abc import Callable, Mapping

Details = Mapping[str, object]

#: Format names as users see them.
_FORMAT_NAMES = {"docx": "DOCX", "epub": "EPUB", "pdf": "PDF", "html": "HTML"}

#: OS errors a librarian meets when importing, in words rather than numbers.
_OS_ERRORS = {
    errnos.ENOENT: "文件不存在",
    errnos.EACCES: "没有读取权限",
    errnos.EPERM: "没有读取权限",
    errnos.EISDIR: "这是文件夹，不是文件",
    errnos.EIO: "读取时磁盘出错",
    errnos.ELOOP: "符号链接循环",
    errnos.ENAMETOOLONG: "文件名太长",
}


def chinese_size(size: int, *others: int) -> list[str]:
    """Sizes as :func:`human_sizes` shows them, with "bytes" said as 字节."""
    from reader.library.importers import human_sizes

    return [
        s.replace(" bytes", " 字节").replace(" byte", " 字节") for s in human_sizes(size, *others)
    ]


def _format(details: Details, fallback: str) -> str:
    """The format's display name ("PDF"), or ``fallback`` when it is not known."""
    name = str(details.get("format") or "")
    return _FORMAT_NAMES.get(name.lower(), fallback)


def _too_large(details: Details) -> str:
    size, limit = details.get("size"), details.get("limit")
    if isinstance(size, int) and isinstance(limit, int):
        shown, cap = chinese_size(size, limit)
        return f"文件太大（{shown}，上限 {cap}）"
    if isinstance(limit, int):
        return f"文件太大（上限 {chinese_size(limit)[0]}）"
    return "文件太大"


def _unreadable(details: Details) -> str:
    code = details.get("errno")
    told = _OS_ERRORS.get(code) if isinstance(code, int) else None
    return f"无法读取（{told}）" if told else "无法读取文件"


def _encrypted(details: Details) -> str:
    name = _format(details, "")
    return f"{name} 有密码保护" if name else "文件有密码保护"


def _pdf_bomb(details: Details) -> str:
    limit = details.get("limit")
    if isinstance(limit, int):
        return f"PDF 里的压缩数据解压后超过 {chinese_size(limit)[0]}，疑似压缩炸弹，已拒绝"
    return "PDF 里的压缩数据解压后异常庞大，疑似压缩炸弹，已拒绝"


#: What a too-complex PDF has too much of (``details["what"]``).
_PDF_EXCESS = {
    "pages": "页数太多",
    "objects": "一页上的文字和图形多得异常",
    "text": "文字多得超过上限",
    "xobjects": "嵌入对象被反复绘制的次数太多",
    "content": "要解读的页面内容太多",
    "nesting": "图形状态嵌套太深",
}


def _pdf_too_complex(details: Details) -> str:
    excess = _PDF_EXCESS.get(str(details.get("what") or ""), "内容过于复杂")
    return f"PDF {excess}，无法安全读取，已拒绝"


def _over_limits(details: Details) -> str:
    name = _format(details, "文件")
    sep = " " if name != "文件" else ""
    limit = details.get("limit")
    if details.get("resource") == "time":
        cap = f"（{limit} 秒）" if isinstance(limit, int) else ""
        return f"读取这个{sep}{name}{sep}用的时间超过上限{cap}，已拒绝"
    if details.get("resource") == "memory":
        cap = f"（{chinese_size(limit)[0]}）" if isinstance(limit, int) else ""
        return f"读取这个{sep}{name}{sep}需要的内存超过上限{cap}，已拒绝"
    return f"读取这个{sep}{name}{sep}超出了内存或时间上限，已拒绝"


#: code → Chinese sentence, or a function of the details for sentences with numbers.
REASONS_ZH: dict[str, str | Callable[[Details], str]] = {
    # the file itself
    "missing": "文件或文件夹不存在",
    "empty_path": "路径是空的，不是文件或文件夹",
    "not_regular": "这不是普通文件（是设备、命名管道或套接字）",
    "folder": "这是文件夹，不是文件",
    "unreadable": _unreadable,
    "name_control": "文件名含控制字符",
    "name_bytes": "文件名含无效字节",
    "too_large": _too_large,
    "empty": "文件是空的",
    "binary": "不是文本文件",
    "no_text": "文件里没有可读的文字",
    "too_complex": "文件嵌套太深或太大，无法读取",
    # formats
    "unknown_format": "不支持的文件格式",
    "other_zip": "不支持的压缩包（只能导入 DOCX 和 EPUB）",
    "office_legacy": "有密码保护或是旧版 Office 文件，无法读取",
    "corrupt": "文件已损坏",
    "encrypted": _encrypted,
    "drm": "EPUB 有版权加密，无法读取",
    "zip_bomb": "压缩内容异常庞大，已拒绝",
    "no_text_layer": "PDF 没有文字层，需要先做文字识别",
    "no_unicode_fonts": "PDF 的字体无法转成文字，需要先做文字识别",
    "pdf_bomb": _pdf_bomb,
    "pdf_too_complex": _pdf_too_complex,
    "over_limits": _over_limits,
    "no_support": "没有安装读取这种格式的组件",
    "bad_article": "文章文件的格式有误",
    # text encodings
    "undecodable": "无法识别的文字编码",
    "wrong_encoding": "文件不是指定的文字编码",
    "unknown_encoding": "未知的文字编码名称",
    "bad_bom": "文件开头的编码标记与内容不符",
    # options
    "bad_conversion": "未知的简繁转换方式",
}


def chinese_reason(code: str, details: Details | None = None) -> str | None:
    """The Chinese sentence for a refusal, or ``None`` for a code we have no words for."""
    rendering = REASONS_ZH.get(code)
    if rendering is None:
        return None
    if isinstance(rendering, str):
        return rendering
    try:
        return rendering(details or {})
    except (TypeError, ValueError):  # odd details must never hide the refusal itself
        return None
