"""The interface's words, in Chinese (default) and English.

One flat table, looked up by key with ``format`` fields, so that what is shown
and what is spoken come from the same place and a translation is one column.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # screens
    "app_title": {"zh": "读者", "en": "Reader"},
    "library": {"zh": "文库", "en": "Library"},
    "library_count": {"zh": "文库，{n}篇文章", "en": "Library, {n} articles"},
    "library_empty": {
        "zh": "文库是空的。请用 reader import 导入文章。",
        "en": "The library is empty. Import articles with reader import.",
    },
    "entry": {
        "zh": "{title}，{author}{length}字，已读百分之{progress}",
        "en": "{title}, {author}{length} characters, {progress} percent read",
    },
    "entry_shown": {
        "zh": "{title}  {author}  {length}字  已读{progress}%",
        "en": "{title}  {author}  {length} chars  {progress}% read",
    },
    "item_of": {"zh": "，第{i}项，共{n}项", "en": ", {i} of {n}"},
    "opened": {"zh": "打开 {title}", "en": "Opened {title}"},
    "help": {"zh": "帮助", "en": "Help"},
    # {k:escape} is a key's name, {k:#search} the first live key of a binding id: shown
    # as the screen's glyph (Esc, /), said as a word (Escape, 斜杠); see keymap.KeyNames
    "help_title": {"zh": "帮助：按键一览（{k:escape} 关闭）", "en": "Help: keys ({k:escape} closes)"},
    "help_intro": {
        "zh": "上下方向键逐行阅读帮助，{k:escape} 返回。",
        "en": "Use up and down arrows to read the help, {k:escape} to go back.",
    },
    # [keys] rebinds a key another action had: the user's binding wins, the other is told
    "key_clash": {
        "zh": "[keys] 按键冲突：{pressed} 现在是 {owner}（{owner_does}），{other}（{other_does}）没有按键了",
        "en": "[keys] key clash: {pressed} is now {owner} ({owner_does}); {other} ({other_does}) has no key",
    },
    "key_clash_keeps": {
        "zh": "[keys] 按键冲突：{pressed} 现在是 {owner}（{owner_does}），{other}（{other_does}）只剩 {keys}",
        "en": "[keys] key clash: {pressed} is now {owner} ({owner_does}); {other} ({other_does}) keeps {keys}",
    },
    "key_unbound": {"zh": "没有按键", "en": "no key"},
    "keys_unknown_id": {
        "zh": "[keys] 没有叫 {id} 的动作，已忽略",
        "en": "[keys]: unknown binding id {id!r} ignored",
    },
    "keys_empty": {
        "zh": "[keys] {id} 没有写按键，使用默认按键",
        "en": "[keys]: binding {id!r} has no keys; default used",
    },
    "keys_bad_name": {
        "zh": "[keys] {id} 里的 {bad} 不是按键名（例如 space、ctrl+p、f2、slash），保留默认的 {default}",
        "en": "[keys]: {id} = {bad!r} is not a key name (e.g. space, ctrl+p, f2, slash); "
        "default {default!r} kept",
    },
    "help_reading": {"zh": "阅读界面", "en": "Reading view"},
    "help_library": {"zh": "文库界面", "en": "Library"},
    "help_global": {"zh": "任何界面", "en": "Everywhere"},
    "help_dialogs": {"zh": "对话框", "en": "Dialogs"},
    "help_dialog_lines": {
        "zh": "书签列表：{k:enter} 跳转，{k:delete} 或 {k:d} 删除，{k:escape} 关闭\n"
        "搜索框：输入的字会读出，{k:enter} 搜索，{k:escape} 取消\n"
        "帮助：{k:escape}、{k:f1}、{k:question_mark} 或 {k:q} 关闭",
        "en": "Bookmarks: {k:enter} goes there, {k:delete} or {k:d} removes, {k:escape} closes\n"
        "Search box: typed characters are echoed, {k:enter} searches, {k:escape} cancels\n"
        "Help: {k:escape}, {k:f1}, {k:question_mark} or {k:q} closes",
    },
    "search": {"zh": "搜索", "en": "Search"},
    "search_prompt": {
        "zh": "搜索：输入文字，回车确定，{k:escape} 取消",
        "en": "Search: type, {k:enter} to find, {k:escape} to cancel",
    },
    "search_found": {"zh": "找到，第{i}处，共{n}处", "en": "Found, {i} of {n}"},
    "search_none": {"zh": "没有找到 {query}", "en": "{query} not found"},
    "search_wrapped": {"zh": "从头继续", "en": "wrapped"},
    "search_wrapped_back": {"zh": "从结尾继续", "en": "wrapped to the end"},
    "no_search": {"zh": "还没有搜索，按{k:#search}搜索", "en": "No search yet; press {k:#search} to search"},
    "deleted": {"zh": "删除 {ch}", "en": "deleted {ch}"},
    "bookmarks": {"zh": "书签", "en": "Bookmarks"},
    "bookmarks_count": {"zh": "书签，{n}个", "en": "Bookmarks, {n}"},
    "bookmarks_empty": {"zh": "没有书签，按 {k:#bookmark} 添加", "en": "No bookmarks; press {k:#bookmark} to add one"},
    "bookmark_added": {"zh": "已添加书签", "en": "Bookmark added"},
    "bookmark_exists": {"zh": "这里已有书签", "en": "A bookmark is already here"},
    "bookmark_removed": {"zh": "已删除书签", "en": "Bookmark removed"},
    "bookmarks_none_left": {"zh": "没有书签了，返回{where}", "en": "no bookmarks left, back to {where}"},
    "bookmark_entry": {"zh": "百分之{percent}，{label}", "en": "{percent} percent, {label}"},
    "library_search_prompt": {
        "zh": "搜索文库：输入文字，回车确定，{k:escape} 取消",
        "en": "Search the library: type, {k:enter} to search, {k:escape} to cancel",
    },
    "library_hits": {
        "zh": "找到{n}篇文章，{k:#library_all} 显示全部",
        "en": "{n} articles found; {k:#library_all} shows all",
    },
    "library_all": {"zh": "显示全部文章", "en": "all articles"},
    "import_prompt": {
        "zh": "导入：输入文件或文件夹的路径，回车确定，{k:escape} 取消",
        "en": "Import: type a file or folder path, {k:enter} to import, {k:escape} to cancel",
    },
    "importing": {"zh": "正在导入 {n}/{total}：{name}", "en": "importing {n} of {total}: {name}"},
    "import_done": {
        "zh": "导入完成：新增{imported}篇，重复{duplicate}篇，拒绝{refused}篇",
        "en": "import done: {imported} new, {duplicate} duplicates, {refused} refused",
    },
    "commands": {"zh": "命令面板", "en": "Command palette"},
    "commands_placeholder": {"zh": "搜索命令", "en": "Search for commands"},
    # closing a dialog says what closed and where focus is now
    "closed": {"zh": "已关闭{what}，返回{where}", "en": "{what} closed, back to {where}"},
    "cancelled_to": {"zh": "已取消{what}，返回{where}", "en": "{what} cancelled, back to {where}"},
    "what_bookmarks": {"zh": "书签列表", "en": "Bookmarks list"},
    "what_commands": {"zh": "命令面板", "en": "Command palette"},
    "what_help": {"zh": "帮助", "en": "Help"},
    "what_search": {"zh": "搜索", "en": "Search"},
    "what_import": {"zh": "导入", "en": "Import"},
    "where_reading": {"zh": "阅读", "en": "reading"},
    "where_library": {"zh": "文库", "en": "the library"},
    "cancelled": {"zh": "取消", "en": "cancelled"},
    # reading
    "start": {"zh": "文章开头", "en": "start of article"},
    "end": {"zh": "文章结尾", "en": "end of article"},
    "no_heading": {"zh": "没有更多标题", "en": "no more headings"},
    "heading": {"zh": "标题", "en": "heading"},
    "caption": {"zh": "图片说明", "en": "caption"},
    "reading": {"zh": "朗读", "en": "reading"},
    "paused": {"zh": "暂停", "en": "paused"},
    "stopped": {"zh": "停止", "en": "stopped"},
    "finished": {"zh": "读完了", "en": "finished"},
    "where": {
        "zh": "{title}，{position}，语速{rate}",
        "en": "{title}, {position}, speed {rate}",
    },
    "status": {
        "zh": "{title} | 第{paragraph}段/共{paragraphs}段 | {percent}% | 语速{rate} | 音量{volume} | {state}",
        "en": "{title} | paragraph {paragraph}/{paragraphs} | {percent}% | speed {rate} | volume {volume} | {state}",
    },
    "rate": {"zh": "语速{value}", "en": "speed {value}"},
    "volume": {"zh": "音量{value}", "en": "volume {value}"},
    "voice": {"zh": "声音 {value}", "en": "voice {value}"},
    "no_voices": {"zh": "只有一个声音", "en": "only one voice"},
    "limit": {"zh": "已到极限", "en": "limit"},
    "saved": {"zh": "位置已保存", "en": "position saved"},
    "positions_damaged": {
        "zh": "阅读位置文件 {name} 已损坏，已另存一份，从头记录",
        "en": "{name} is damaged; a copy was kept aside and positions start afresh",
    },
    "positions_not_saved": {
        "zh": "阅读位置无法保存到 {name}，继续阅读",
        "en": "reading positions cannot be saved to {name}; reading goes on",
    },
    "bookmark_not_saved": {
        "zh": "书签无法保存到 {name}",
        "en": "the bookmark cannot be saved to {name}",
    },
    "spell_word": {"zh": "{ch}，{py}", "en": "{ch}, {py}"},
    "char_in_word": {"zh": "{word}的{ch}", "en": "{ch} as in {word}"},
    "error": {"zh": "错误：{message}", "en": "Error: {message}"},
    "settings_error": {"zh": "设置有误：{message}", "en": "Settings problem: {message}"},
    "verbosity": {"zh": "提示详细程度：{value}", "en": "verbosity {value}"},
    "verbosity_brief": {"zh": "简略", "en": "brief"},
    "verbosity_normal": {"zh": "正常", "en": "normal"},
    "verbosity_verbose": {"zh": "详细", "en": "verbose"},
    "quit": {"zh": "退出", "en": "quit"},
    "sep": {"zh": "。", "en": ". "},
    "hint_library": {
        "zh": "上下方向键选择，{k:#open}打开，{k:#library_search}搜索，{k:#help} 帮助",
        "en": "arrows to choose, {k:#open} to open, {k:#library_search} to search, {k:#help} for help",
    },
    "hint_reading": {
        "zh": "{k:#say_all}朗读，上下方向键逐句，{k:#where_am_i} 我在哪里，{k:#help} 帮助",
        "en": "{k:#say_all} reads on, arrows move by sentence, {k:#where_am_i} where am I, {k:#help} for help",
    },
    "comma": {"zh": "，", "en": ", "},
    # a run of one punctuation mark, said for a unit that is only punctuation ("3个句号")
    "marks_run": {"zh": "{n}个{name}", "en": "{n} times {name}"},
    # the speech layer's fallback line ("<cause>: reading continues without sound; <hint>"),
    # keyed on its cause and hint (see reader.speech.drivers.create_driver)
    "speech_fallback": {
        "zh": "{cause}：继续阅读，但没有声音{hint}",
        "en": "{cause}: reading continues without sound{hint}",
    },
    "fallback_no_output": {
        "zh": "没有找到声卡或声音服务器",
        "en": "no sound device or sound server found",
    },
    "fallback_no_engine": {"zh": "没有可用的语音引擎", "en": "no speech engine"},
    "fallback_start_server": {
        "zh": "；请启动声音服务器（PulseAudio 或 PipeWire）",
        "en": "; start a sound server (PulseAudio or PipeWire)",
    },
    "fallback_install": {"zh": "；请安装 espeak-ng", "en": "; install espeak-ng"},
}

#: the speech layer's fallback causes and hints (English, from reader.speech) -> string keys.
FALLBACK_PARTS: dict[str, str] = {
    "no sound device or sound server found": "fallback_no_output",
    "no speech engine": "fallback_no_engine",
    "start a sound server (PulseAudio or PipeWire)": "fallback_start_server",
    "install espeak-ng": "fallback_install",
}


def speech_notice(message: str, lang: str = "zh") -> str:
    """The speech layer's fallback line in the interface language.

    The speech layer knows no interface language and words its one line in
    English; the known causes and hints are translated here, an unknown cause
    (an engine's own error text) is kept as it is.
    """
    import re

    found = re.fullmatch(r"(.*?): reading continues without sound(?:; (.*))?", message.strip())
    if found is None:
        return message
    cause, hint = found.group(1), found.group(2)
    cause_key = FALLBACK_PARTS.get(cause)
    hint_key = FALLBACK_PARTS.get(hint or "")
    return t(
        "speech_fallback",
        lang,
        cause=t(cause_key, lang) if cause_key else cause,
        hint=t(hint_key, lang) if hint_key else (f"; {hint}" if hint else ""),
    )

#: spoken names for punctuation and spaces met by character navigation.
PUNCTUATION: dict[str, dict[str, str]] = {
    "，": {"zh": "逗号", "en": "comma"},
    ",": {"zh": "逗号", "en": "comma"},
    "。": {"zh": "句号", "en": "full stop"},
    ".": {"zh": "点", "en": "dot"},
    "、": {"zh": "顿号", "en": "enumeration comma"},
    "；": {"zh": "分号", "en": "semicolon"},
    ";": {"zh": "分号", "en": "semicolon"},
    "：": {"zh": "冒号", "en": "colon"},
    ":": {"zh": "冒号", "en": "colon"},
    "？": {"zh": "问号", "en": "question mark"},
    "?": {"zh": "问号", "en": "question mark"},
    "！": {"zh": "叹号", "en": "exclamation mark"},
    "!": {"zh": "叹号", "en": "exclamation mark"},
    "“": {"zh": "左引号", "en": "open quote"},
    "”": {"zh": "右引号", "en": "close quote"},
    "‘": {"zh": "左单引号", "en": "open single quote"},
    "’": {"zh": "右单引号", "en": "close single quote"},
    '"': {"zh": "引号", "en": "quote"},
    "（": {"zh": "左括号", "en": "open paren"},
    "）": {"zh": "右括号", "en": "close paren"},
    "(": {"zh": "左括号", "en": "open paren"},
    ")": {"zh": "右括号", "en": "close paren"},
    "《": {"zh": "左书名号", "en": "open title mark"},
    "》": {"zh": "右书名号", "en": "close title mark"},
    "【": {"zh": "左方括号", "en": "open bracket"},
    "】": {"zh": "右方括号", "en": "close bracket"},
    "—": {"zh": "破折号", "en": "dash"},
    "…": {"zh": "省略号", "en": "ellipsis"},
    "·": {"zh": "间隔号", "en": "middle dot"},
    "%": {"zh": "百分号", "en": "percent"},
    "％": {"zh": "百分号", "en": "percent"},
    " ": {"zh": "空格", "en": "space"},
    "\u3000": {"zh": "全角空格", "en": "wide space"},
    "-": {"zh": "减号", "en": "dash"},
    "/": {"zh": "斜杠", "en": "slash"},
    "「": {"zh": "左引号", "en": "open quote"},
    "」": {"zh": "右引号", "en": "close quote"},
    "『": {"zh": "左双引号", "en": "open double quote"},
    "』": {"zh": "右双引号", "en": "close double quote"},
    "〈": {"zh": "左单书名号", "en": "open angle bracket"},
    "〉": {"zh": "右单书名号", "en": "close angle bracket"},
    "～": {"zh": "波浪号", "en": "tilde"},
    "~": {"zh": "波浪号", "en": "tilde"},
    "*": {"zh": "星号", "en": "star"},
    "＊": {"zh": "星号", "en": "star"},
    "#": {"zh": "井号", "en": "number sign"},
    "＃": {"zh": "井号", "en": "number sign"},
    "•": {"zh": "圆点", "en": "bullet"},
    "●": {"zh": "圆点", "en": "bullet"},
    "'": {"zh": "撇号", "en": "apostrophe"},
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Chinese), formatted."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text


def char_name(ch: str, lang: str = "zh") -> str | None:
    """A spoken name for punctuation/space, or None for ordinary characters."""
    entry = PUNCTUATION.get(ch)
    return (entry.get(lang) or entry["zh"]) if entry else None
