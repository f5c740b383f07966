"""The command line's words, in Chinese (default) and English.

The same shape as the app's table (:mod:`reader.ui.strings`): one flat table
looked up by key with ``format`` fields, so a translation is one column.  It
lives here rather than in ``reader.ui`` because the commands must never pull
in Textual, and it holds only what the commands say themselves: the import
line for one file comes from :meth:`reader.library.store.ImportResult.line`
(the app says the same line) and a refusal's reason from
:mod:`reader.library.importers.reasons`.

The language is the app's: ``--lang`` (before or after the command), else the
``lang`` setting, else Chinese.  Only words change with it; ids, paths, titles,
option names and tab-separated listings stay exactly as they are, so scripts
that read them work in either language.

Errors work the same way: a :class:`~reader.errors.UserError` may carry a
``code`` and ``details``; :func:`error_line` says it in Chinese from
:data:`ERRORS` and falls back to the exception's English text for a code it
has no words for, rather than saying something wrong.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

LANGS = ("zh", "en")

STRINGS: dict[str, dict[str, str]] = {
    # reader import
    "import_encoding": {"zh": "，编码 {encoding}", "en": ""},
    "import_repaired": {"zh": "  已修复：{step}", "en": "  repaired: {step}"},
    "import_done": {
        "zh": "导入完成：新增{imported}篇，重复跳过{duplicate}篇，拒绝{refused}篇（共{total}个文件）",
        "en": "{imported} imported, {duplicate} duplicates skipped, {refused} refused"
        " ({total} files)",
    },
    "import_found": {
        "zh": "找到{n}个可导入的文件{notes}，开始导入",
        "en": "found {n} files to import{notes}",
    },
    "import_found_notes": {"zh": "（{notes}）", "en": " ({notes})"},
    "import_found_sep": {"zh": "；", "en": "; "},
    "import_found_other": {
        "zh": "另有{n}个其他格式的文件不导入",
        "en": "{n} files of other kinds left out",
    },
    "import_found_folders": {
        "zh": "跳过{n}个隐藏、版本库或虚拟环境文件夹，要导入请直接写出它们",
        "en": "{n} hidden, version-control or virtualenv folders skipped: name one to import it",
    },
    "import_found_own": {
        "zh": "跳过文库自己的文件夹 {folder}",
        "en": "reader's own folder {folder} skipped",
    },
    # reader search
    "search_none": {"zh": "没有找到与“{query}”相符的文章", "en": "nothing matches {query!r}"},
    # reader edit, remove, restore
    "edited": {"zh": "{id}：{title}{author}{tags}", "en": "{id}: {title}{author}{tags}"},
    "edited_tags": {"zh": "  标签：{tags}", "en": "  tags: {tags}"},
    "tag_sep": {"zh": "、", "en": ", "},
    "edited_copy": {
        "zh": "{id} 是随 reader 附带的文章：已另存为你自己的副本，由它代替原文"
        "（reader remove {id} 可换回原文）",
        "en": "{id} is bundled with reader: saved your own copy, which now replaces it"
        " ('reader remove {id}' brings the original back)",
    },
    "removed": {
        "zh": "已将 {id}（{title}）移到回收站；reader restore {id} 可以撤销",
        "en": "moved {id} ({title}) to the trash; 'reader restore {id}' undoes it",
    },
    "removed_original_back": {
        "zh": "{id} 的附带原文已回到文库",
        "en": "the bundled original of {id} is back in the library",
    },
    "trash_empty": {"zh": "回收站是空的", "en": "the trash is empty"},
    "restored": {"zh": "已恢复 {id}（{title}）", "en": "restored {id} ({title})"},
    # reader check
    "check_fix": {"zh": "已修复：{fix}", "en": "repaired: {fix}"},
    "check_problem": {"zh": "问题：{problem}", "en": "problem: {problem}"},
    "check_repaired": {
        "zh": "文库已修复，现在一致：共{n}篇文章",
        "en": "library repaired and consistent: {n} articles",
    },
    "check_clean": {
        "zh": "文库一致，无需修复：共{n}篇文章",
        "en": "library consistent, nothing to repair: {n} articles",
    },
    "check_problems": {
        "zh": "文库有{n}个无法读取的文件（请修复或删除）",
        "en": "library has {n} unreadable files (fix or remove them)",
    },
    # reader export
    "exported": {
        "zh": "已将 {id}（{title}）导出为 {format}：{target}",
        "en": "exported {id} ({title}) as {format} to {target}",
    },
    "exported_audio": {
        "zh": "已将 {id}（{title}）导出为朗读音频：{target}",
        "en": "exported {id} ({title}) as spoken audio to {target}",
    },
    # reader list
    "list_length": {"zh": "({n} 字)", "en": "({n} characters)"},
    # reader read --plain
    "plain_keys": {
        "zh": "Enter 或 n 下一句，p 上一句，w 位置，q 退出",
        "en": "Enter or n next, p previous, w where am I, q quit",
    },
    "plain_start": {"zh": "{title}（{n}句）。{keys}", "en": "{title} ({n} sentences). {keys}"},
    "plain_end": {"zh": "（文章结束）", "en": "(end of article)"},
    "plain_top": {"zh": "（文章开头）", "en": "(start of article)"},
    "plain_where": {"zh": "{title}，{where}", "en": "{title}, {where}"},
    "plain_unknown": {"zh": "未知命令：{keys}", "en": "unknown command: {keys}"},
    # reader list, lexicon list
    "skipped_file": {"zh": "已跳过 {error}", "en": "skipped {error}"},
    "library_empty": {
        "zh": "文库是空的（可用 reader import 导入文件）",
        "en": "the library is empty (try 'reader import FILE')",
    },
    # reader lexicon
    "lexicon_added": {"zh": "{word} {pinyin}{note}", "en": "{word} {pinyin}{note}"},
    "lexicon_overrides": {"zh": "（代替附带的读音）", "en": " (overrides the bundled entry)"},
    "lexicon_one_char": {
        "zh": "注意：“{word}”有几种读音，这个单字词条会让它在所有词里都读 {pinyin}"
        "（例如“{example}”），除非那个词另有词条",
        "en": "note: {word} has several readings; this one-character entry makes it {pinyin} "
        "in every word (e.g. {example}) unless that word has its own entry",
    },
    "lexicon_removed": {
        "zh": "已删除 {word} {pinyin}{note}",
        "en": "removed {word} {pinyin}{note}",
    },
    "lexicon_bundled_back": {
        "zh": "（恢复附带的读音 {pinyin}）",
        "en": " (the bundled reading {pinyin} applies again)",
    },
    "lexicon_none_uncertain": {
        "zh": "没有发现读音不确定的词",
        "en": "no uncertain readings found",
    },
    # options
    "lang_help": {
        "zh": "界面语言（默认 zh，或设置里的 lang）",
        "en": "interface language (default zh, or the lang setting)",
    },
}

#: Repair steps (:data:`reader.library.repair._STEP_TEXT` ids) in Chinese, for ``import -v``.
REPAIR_STEPS_ZH: dict[str, str] = {
    "controls": "删除控制字符和终端转义序列",
    "wraps": "接回硬换行",
    "cuts": "接回被空行或分页切断的段落",
    "captions": "识别图片说明",
    "headlines": "识别标题",
    "headings": "识别小标题",
    "bylines": "识别作者署名",
    "articles": "找到文章",
    "width": "标点改为全角",
    "opencc": "简繁转换的字",
    "headers": "删除页眉、页脚和页码",
}

#: UserError code -> Chinese sentence with the error's details as ``format`` fields.
#: English is the exception's own message (said once, where it is raised).
ERRORS: dict[str, str] = {
    # the commands' own
    "import_empty_path": '路径是空的（""）：请给出要导入的文件或文件夹',
    "search_empty": "搜索词是空的：请给出要找的字词",
    "nothing_to_edit": "没有要修改的内容：请给出 --title、--author、--tag 或 --untag",
    "export_format_unknown": "{output}：无法从文件名判断格式；请用 --format 指定（{formats}）",
    "export_audio_stdout": "音频不能写到标准输出；请给出文件名",
    "export_is_folder": "{output}：这是文件夹；请给出文件名",
    "export_is_device": "{output}：这是设备文件，不是普通文件；请给出文件名，或用 - 写到标准输出",
    "export_is_fifo": "{output}：这是命名管道，不是普通文件；请给出文件名，或用 - 写到标准输出",
    "export_not_regular": "{output}：不是普通文件；请给出文件名，或用 - 写到标准输出",
    "export_cannot_write": "{output}：无法写入（{reason}）",
    "export_audio_missing": "这个安装版本不能导出音频",
    "export_no_folder": "{output}：文件夹 {folder} 不存在",
    "export_no_encoder": "{output}：写 {format} 需要 {tools[0]} 或 {tools[1]}；请安装其一，或导出为 wav",
    "no_espeak": "没有找到 espeak-ng：请安装 espeak-ng 才能导出朗读音频",
    "library_empty": "文库是空的（可用 reader import 导入文件）",
    "library_empty_check": "文库是空的，没有可检查的文章",
    "article_no_text": "文章 {id} 没有可读的文字",
    "option_range": "{option} 必须在 {low} 到 {high} 之间，不能是 {value}",
    "say_empty": "没有要说的话：文字是空的",
    "text_not_utf8": "给出的文字不是 UTF-8 编码",
    "stdin_not_utf8": "标准输入第{line}行不是 UTF-8 编码",
    # the library's (reader.library.store)
    "unknown_article": "没有编号为 {key} 的文章（可用 reader list 查看）",
    "ambiguous_article": "编号 {key} 对应多篇文章：{ids}",
    "article_gone": "没有编号为 {key} 的文章（已经删除了？）",
    "unknown_in_trash": "回收站里没有编号为 {key} 的文章（可用 reader restore 查看）",
    "ambiguous_in_trash": "编号 {key} 在回收站里对应多篇文章：{ids}",
    "bundled_remove": "{id}（{title}）是随 reader 附带的文章，不能删除",
    "empty_title": "标题不能是空的",
    "control_title": "标题不能含控制字符",
    "control_author": "作者不能含控制字符",
    "control_tag": "标签不能含控制字符",
    "restore_exists": "{id} 已在文库里；回收站里的副本保留不动",
    "restore_duplicate": "文库里已有相同的文字，编号 {id}；回收站里的副本保留不动",
    # the lexicon's (reader.text.lexicon)
    "lexicon_unknown_word": "“{word}”不在读音词典里",
    "lexicon_bundled_word": "“{word}”是附带的词条（voices/lexicon.txt）；"
    "可用 reader lexicon add {word} 拼音 代替它",
    "lexicon_not_one_word": "{at}词语必须是一个不含空格的词",
    "lexicon_not_han": "{at}“{word}”：只有汉字才能标注读音（“{char}”不是汉字）",
    "lexicon_count": "{at}“{word}”有{chars}个字，却有{syllables}个拼音音节",
    "lexicon_bad_syllable": "{at}“{word}”：“{syllable}”不是带声调（1-5）的拼音音节",
    "lexicon_tone_missing": "{at}“{word}”：“{syllable}”没有声调；请写声调数字或调号"
    "（{base}1-4，轻声写 {base}5）",
}

#: Library notices and ``check`` repairs (:class:`reader.library.store.Note` codes) in Chinese.
#: Reasons quoted from SQLite or a parser (``{reason}``) stay as those tools word them.
NOTES: dict[str, str] = {
    "catalog_unreadable": "目录文件无法读取（{reason}）；已根据文章文件重建目录",
    "catalog_damaged": "目录文件已损坏（{reason}）；已根据文章文件重建目录",
    "kept": "（损坏的文件保存为 {kept}）",
    "entry_removed": "删除了 {id} 的目录项：{path} 已不存在",
    "entry_added": "添加了 {id} 的目录项（{path}）",
    "entry_updated": "更新了 {id} 的目录项（{path}）",
    "article_unreadable": "无法读取 {path}：{reason}；文件保留不动",
    "same_id": "{path}：编号 {id} 与 {other} 相同；不列入文库",
    "import_running": "正在导入：临时文件留给导入完成",
    "temp_deleted": "删除了未完成的临时文件 {name}",
    "schema_upgraded": "目录由旧版本的 reader 建立，已根据文章文件重建（{count}篇文章，用时{seconds}秒）",
    "index_upgraded": "搜索索引由旧版本的 reader 建立，已重建（{count}篇文章，用时{seconds}秒）",
    "index_rebuilt": "重建了搜索索引（{orphans}项没有对应的文章，{unindexed}篇文章不在索引里；"
    "已索引{count}篇文章）",
}


def language(args: argparse.Namespace | None = None) -> str:
    """The interface language: ``--lang``, else the ``lang`` setting, else Chinese.

    The app decides the same way (``ReaderApp``: ``lang or settings.lang``), so
    the command line and the screen never disagree.
    """
    lang = getattr(args, "lang", None)
    if lang in LANGS:
        return lang
    from reader.settings import Settings  # never raises: a bad file gives the default

    lang = Settings.load().lang
    return lang if lang in LANGS else "zh"


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The string ``key`` in ``lang`` (Chinese for a language it lacks), formatted."""
    entry = STRINGS[key]
    text = entry[lang] if lang in entry else entry["zh"]
    return text.format(**values) if values else text


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` after the command too (``reader import --lang en FILE``).

    ``SUPPRESS`` leaves the global option's value alone when it is not given
    here, so ``reader --lang en import FILE`` keeps working.
    """
    parser.add_argument(
        "--lang", choices=list(LANGS), default=argparse.SUPPRESS, help=t("lang_help", "en")
    )


def repair_step(step: str, lang: str) -> str:
    """One ``import -v`` repair line's step ("hard-wrapped lines rejoined: 2") in ``lang``.

    The importer words its steps in English; the known ones (by their exact
    English text) are said in Chinese, anything else stays as it is.
    """
    if lang == "en":
        return step
    try:
        from reader.library.repair import _STEP_TEXT
    except ImportError:
        return step
    text, sep, count = step.rpartition(": ")
    for key, english in _STEP_TEXT.items():
        if sep and text == english and key in REPAIR_STEPS_ZH:
            return f"{REPAIR_STEPS_ZH[key]}：{count}"
    return step


def user_error(code: str, english: str, **details: object):
    """A :class:`~reader.errors.UserError` with its English text and its code for other languages."""
    from reader.errors import UserError

    return UserError(english, code=code, **details)


def note_line(note: str, lang: str) -> str:
    """A library notice or ``check`` repair in ``lang``; its English text without words for it."""
    code = getattr(note, "code", "")
    details = getattr(note, "details", None) or {}
    template = NOTES.get(code) if lang != "en" else None
    if template is None or not isinstance(details, Mapping):
        return str(note)
    try:
        line = template.format(**details)
        if details.get("kept"):
            line += NOTES["kept"].format(**details)
    except (KeyError, IndexError, ValueError):
        return str(note)
    return line


def error_line(exc: BaseException, lang: str) -> str:
    """The one-line message for ``exc`` in ``lang``.

    Chinese comes from the error's ``code`` and ``details`` (:data:`ERRORS`; a
    ``where`` detail, the file and line at fault, is said first as ``{at}``); a
    code without words, or details that do not fit them, give the English
    message instead of a wrong or broken sentence.
    """
    message = str(exc)
    if lang == "en":
        return message
    code = getattr(exc, "code", "") or ""
    details = getattr(exc, "details", None) or {}
    if not isinstance(details, Mapping):
        return message
    template = ERRORS.get(code)
    if template is None:
        return message
    where = details.get("where")
    fields = {**details, "at": f"{where}：" if where else ""}
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return message
