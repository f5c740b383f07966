"""Pinyin readings: the one place where reader decides how a Chinese character is read.

The pinyin shown above the text and the pinyin sent to espeak-ng both come
from :func:`char_readings`, so the screen and the voice never disagree.

**Canonical syllables.**  Lower-case, tone number last (1-4, neutral tone 5),
ü written ``v`` after n and l (``lv4``, ``nve4``) and ``u`` after j, q, x, y
(``ju3``, ``yue4``), as standard pinyin spells it.  This is what espeak-ng's
``cmn-latn-pinyin`` voice reads correctly: it reads ``lv4`` as lǜ, but it
misreads ``lu:4`` (says "lu si") and ``jv3``.  Erhua is kept as written: a
written 儿 keeps its own syllable (``r5`` when it is the erhua suffix, as in
哪儿 ``na3 r5``; espeak-ng reads it as a short unstressed "er").

**How a reading is chosen** (most trusted first):

1. the pronunciation lexicon (:mod:`reader.text.lexicon`: the user's entries,
   then the bundled ``voices/lexicon.txt``), matched inside each word;
2. for a character with several readings, the context model
   (:mod:`reader.text.polyphone`, g2pM's BiLSTM over the whole sentence),
   overruled by pypinyin's phrase dictionary when the whole word is listed
   there, and nudged towards it when a phrase inside the word is (see
   ``WORD_PRIOR``, ``PHRASE_PRIOR`` and benchmarks/RESULTS.md);
3. for a character with one reading, that reading (a phrase-dictionary
   reading first, so neutral tones in words such as 孩子 ``zi5`` come out);
4. pypinyin's default reading for characters neither source covers;
5. then a few grammar rules for function words the model learned wrong from
   Wikipedia (为 wèi "for", 地 and 得 as particles, erhua 儿, 长/重 after
   degree adverbs) and for family names (曾 zēng, 单 shàn, …) at the start
   of a word jieba tags as a person; see the comment above ``_RULE_CHARS``.

**Tone sandhi.**  Readings are citation tones by default, as learners'
tools show them.  ``sandhi=True`` applies the tone changes of 一 and 不 as
spoken (一 before a 4th tone → ``yi2``, before other tones → ``yi4``, but
``yi1`` in numbers, ordinals, dates and at the end of a word; 不 before a
4th tone → ``bu2``); the speech layer asks for that.  Third-tone sandhi
(你好 → ni2 hao3) is left to espeak-ng, which applies it itself to
``ni3 hao3``, and is never shown.

Everything heavy (jieba's dictionary, pypinyin's dictionaries, numpy and the
model weights) loads on first use or in :func:`warm_up`, never at import.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

Style = Literal["numbers", "marks", "none"]
STYLES: tuple[Style, ...] = ("numbers", "marks", "none")

#: Probability mass added to the reading pypinyin's phrase dictionary gives a
#: character, before the model's arg-max.  A whole word listed in the phrase
#: dictionary always wins (the model is confidently wrong on some very common
#: words: 了解 as le5 jie3, 因为 as yin1 wei2); a phrase found *inside* a
#: longer word wins unless the model gives another reading ≥ 0.95.  Chosen on
#: the even lines of the CPP dev split, checked on the odd lines
#: (benchmarks/RESULTS.md, "Polyphones").
WORD_PRIOR = 2.0
PHRASE_PRIOR = 0.9

# ---------------------------------------------------------------- syllables

#: Every toneless syllable of Mandarin pinyin (from pypinyin's character
#: table), plus ``r`` for the erhua suffix.
_SYLLABLES = frozenset(
    """a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
    ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu
    chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
    dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa
    fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai
    guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan
    huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang
    kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len
    leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man
    mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei
    nen neng ng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai
    pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin
    qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa
    sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua
    shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei
    teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong
    wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying
    yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe
    zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan
    zui zun zuo ê r""".split()
)

_TONE_OF_MARK = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_MARK_OF_TONE = {v: k for k, v in _TONE_OF_MARK.items()}


def is_han(char: str) -> bool:
    """A CJK ideograph (the unified blocks and their extensions, compatibility ideographs)."""
    o = ord(char)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x323AF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007  # 〇
    )


@lru_cache(maxsize=4096)
def normalize_syllable(text: str) -> str | None:
    """The canonical form of one syllable written any common way, or None if it is not pinyin.

    Accepts tone numbers (``lv4``, ``lü4``, ``lu:4``, ``LV4``) and tone marks
    (``lǜ``, ``cháng``); a syllable with neither mark nor number is neutral
    (``le`` → ``le5``).  ü after j, q, x, y is written u (``jü3`` → ``ju3``).
    """
    s = unicodedata.normalize("NFD", text.strip().lower())
    tone = ""
    if s[-1:].isdigit():
        tone, s = s[-1], s[:-1]
        if tone not in "12345":
            return None
    base: list[str] = []
    for ch in s:
        if ch in _TONE_OF_MARK:
            if tone:
                return None  # two tones
            tone = _TONE_OF_MARK[ch]
        elif ch == "\u0308":  # diaeresis: ü
            if not base or base[-1] != "u":
                return None
            base[-1] = "v"
        elif ch == "\u0302" and base and base[-1] == "e":  # ê
            base[-1] = "ê"
        else:
            base.append(ch)
    syl = "".join(base).replace("u:", "v")
    if syl[:1] in ("j", "q", "x", "y"):
        syl = syl[0] + syl[1:].replace("v", "u")
    if syl not in _SYLLABLES:
        return None
    return syl + (tone or "5")


def has_tone(text: str) -> bool:
    """Whether a syllable as written carries a tone: a number 1-5 or a tone mark."""
    s = unicodedata.normalize("NFD", text.strip())
    return s[-1:] in ("1", "2", "3", "4", "5") or any(ch in _TONE_OF_MARK for ch in s)


def split_syllable(syllable: str) -> tuple[str, int]:
    """``"lv4"`` → ``("lv", 4)``; a syllable without a digit is neutral (5)."""
    if syllable[-1:].isdigit():
        return syllable[:-1], int(syllable[-1])
    return syllable, 5


def format_syllable(syllable: str, style: Style) -> str:
    """One canonical syllable in a display style.

    ``numbers`` is the canonical form itself (``lv4``: what espeak-ng reads and
    scripts parse); ``marks`` is standard pinyin (``lǜ``, neutral tone
    unmarked); ``none`` drops the tone (``lü``).
    """
    if style == "numbers":
        return syllable
    base, tone = split_syllable(syllable)
    if style == "none":
        return base.replace("v", "ü")
    if style != "marks":
        raise ValueError(f"unknown pinyin style {style!r}")
    if tone == 5 or tone not in (1, 2, 3, 4):
        return base.replace("v", "ü")
    mark = _MARK_OF_TONE[str(tone)]
    if "a" in base:
        i = base.index("a")
    elif "e" in base:
        i = base.index("e")
    elif "ê" in base:
        i = base.index("ê")
    elif "ou" in base:
        i = base.index("o")
    else:
        vowels = [k for k, c in enumerate(base) if c in "iouv"]
        # no vowel: the syllabic nasal carries the mark (ń, ňg, hm̀)
        i = vowels[-1] if vowels else max(base.find("m"), base.find("n"), 0)
    out = base[: i + 1] + mark + base[i + 1 :]
    return unicodedata.normalize("NFC", out.replace("v", "u\u0308"))


def parse_syllables(text: str | Sequence[str]) -> list[str]:
    """Split and normalize a pinyin string (``"chang2 zhi4"``, ``"cháng zhì"``).

    Raises ``ValueError`` naming the first syllable that is not pinyin.
    """
    parts = text.replace("'", " ").split() if isinstance(text, str) else list(text)
    out: list[str] = []
    for part in parts:
        syl = normalize_syllable(part)
        if syl is None:
            raise ValueError(f"{part!r} is not a pinyin syllable with tone 1-5")
        out.append(syl)
    return out


# ---------------------------------------------------------------- resources

_lock = threading.Lock()
_res: _Resources | None = None


class _Resources:
    """pypinyin's dictionaries and the polyphone model, loaded once."""

    def __init__(self) -> None:
        from pypinyin.phrases_dict import phrases_dict
        from pypinyin.pinyin_dict import pinyin_dict

        from reader.text import polyphone, segment

        segment.warm_up()
        polyphone.warm_up()
        model = polyphone._get()
        self.phrases: dict[str, list[list[str]]] = phrases_dict
        self.phrase_maxlen = max(map(len, phrases_dict))
        self.chars: dict[int, str] = pinyin_dict
        self.poly: dict[str, Any] = model.candidates
        self.single: dict[str, str] = model.single
        self.readings: dict[str, list[str]] = model.readings
        self.probabilities = polyphone.probabilities
        self.probabilities_batch = polyphone.probabilities_batch


def _resources() -> _Resources:
    global _res
    if _res is None:
        with _lock:
            if _res is None:
                _res = _Resources()
    return _res


def warm_up() -> None:
    """Load the segmenter, pypinyin's dictionaries, the model and the lexicon now.

    The app calls this in a background thread at start, so the first reading
    costs nothing the user waits for.
    """
    from reader.text.lexicon import get_lexicon

    get_lexicon()
    _resources()
    from reader.text.script import fold_for_reading

    fold_for_reading("")  # the Traditional → Simplified table (OpenCC), about 30 ms


@lru_cache(maxsize=8192)
def _mark_reading(reading: str) -> str:
    """pypinyin's tone-marked reading → canonical (falls back to the text itself)."""
    return normalize_syllable(reading) or reading


def _default_reading(res: _Resources, char: str) -> str | None:
    single = res.single.get(char)
    if single:
        return single
    listed = res.chars.get(ord(char))
    if listed:
        return _mark_reading(listed.split(",", 1)[0])
    return None


# ---------------------------------------------------------------- the pipeline

# Context for the model: a sentence, cut after end punctuation or a newline.
_CHUNK_RE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]*")
_CACHE_SIZE = 4096
_cache: OrderedDict[tuple[str, int], list[str | None]] = OrderedDict()
_cache_lock = threading.Lock()

_NUMERALS = set("零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
# Digits (not multipliers): 一 before or after one is read yī (一九四五, 十一, 一二三),
# while before 百 千 万 亿 it changes like any 一 (一百 yìbǎi, 一万 yíwàn).
_DIGITS = set("零〇一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾")


def char_readings(text: str, sandhi: bool = False) -> list[str | None]:
    """One entry per character of ``text``: its canonical syllable if it is Han, else None.

    ``sandhi=False`` gives citation tones (what the display shows);
    ``sandhi=True`` gives the tones as spoken for 一 and 不 (what the voice
    says).  Everything else is identical in both.

    The text is read sentence by sentence (the model's context); sentences
    read before come from a cache, and a long text's new sentences go
    through the model together, in batches.
    """
    from reader.text.lexicon import get_lexicon
    from reader.text.script import fold_for_reading

    lexicon = get_lexicon()
    # A Traditional text is read as its Simplified twin (same length, same offsets):
    # the phrase dictionary, the model and the lexicon know 银行行长, not 銀行行長.
    text = fold_for_reading(text)
    chunks: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _CHUNK_RE.match(text, pos)
        end = m.end() if m and m.end() > pos else pos + 1
        chunks.append(text[pos:end])
        pos = end
    results: list[list[str | None] | None] = [None] * len(chunks)
    pending: list[tuple[int, _Pending]] = []
    for i, chunk in enumerate(chunks):
        if not _HAN_RE.search(chunk):
            results[i] = [None] * len(chunk)
            continue
        key = (chunk, lexicon.version)
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
        if hit is not None:
            results[i] = hit
        else:
            pending.append((i, _prepare(chunk, lexicon)))
    if pending:
        asks = [(p.chunk, p.poly_pos) for _, p in pending]
        if len(asks) == 1:
            probs = [_resources().probabilities(*asks[0])]
        else:
            probs = _resources().probabilities_batch(asks)
        for (i, p), pr in zip(pending, probs, strict=True):
            result = _finish(p, pr)
            results[i] = result
            with _cache_lock:
                _cache[(p.chunk, lexicon.version)] = result
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
    out: list[str | None] = []
    for r in results:
        out.extend(r or ())
    if sandhi:
        apply_sandhi(text, out)
    return out


def readings_version() -> int:
    """A number that changes whenever readings may have changed: a lexicon entry added or
    removed, in this process or (seen on the next call) in another.  Key caches of
    readings (a laid-out page, a prepared utterance) with it so a correction shows and
    sounds at once."""
    from reader.text.lexicon import get_lexicon

    return get_lexicon().version


def spoken_readings(text: str) -> list[str | None]:
    """The readings the voice speaks: :func:`char_readings` with 一/不 sandhi."""
    return char_readings(text, sandhi=True)


class _Pending:
    """A sentence read up to the point where the model must decide."""

    __slots__ = ("chunk", "locked", "out", "poly_pos", "prior", "singles", "tokens")

    def __init__(self, chunk: str) -> None:
        self.chunk = chunk
        self.out: list[str | None] = [None] * len(chunk)
        self.locked: set[int] = set()  # positions the lexicon fixed
        self.singles: list[tuple[str, int]] = []  # tokens the grammar rules look at
        self.poly_pos: list[int] = []
        self.prior: dict[int, tuple[str, float]] = {}
        self.tokens: list[tuple[str, int, int]] = []


# Per-word analysis (lexicon, phrase dictionary, defaults) does not depend on
# the sentence, and words repeat: memoized, keyed by the lexicon's version.
_WordInfo = tuple[
    dict[int, str],  # lexicon readings (offset in word → syllable)
    list[tuple[int, str | None]],  # fixed readings for the other Han characters
    list[tuple[int, str | None, float]],  # polyphonic: offset, phrase reading, weight
    list[tuple[str, int]],  # grammar-rule positions (char, offset)
]
_word_memo: dict[tuple[str, int], _WordInfo] = {}
_WORD_MEMO_SIZE = 50_000  # words; a few hundred bytes each
_HAN_RE = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]")


def _word_info(word: str, lexicon: Any, res: _Resources) -> _WordInfo:
    key = (word, lexicon.version)
    info = _word_memo.get(key)
    if info is not None:
        return info
    phrases = res.phrases
    fixed = lexicon.match(word)
    rules: list[tuple[str, int]] = []
    if word in _RULE_CHARS and not fixed:
        rules.append((word, 0))
    elif len(word) > 1 and word[-1] in _ADJECTIVE and word[:-1] in _DEGREE and not fixed:
        rules.append((word[-1], len(word) - 1))
    elif len(word) > 1 and "儿" in word[1:]:
        rules.extend(("儿", k) for k in range(1, len(word)) if word[k] == "儿")
    elif 2 <= len(word) <= 3 and word[0] in _SURNAMES and word not in phrases and 0 not in fixed:
        rules.append(("surname", 0))  # 曾国藩 zēng, 单田芳 shàn, if jieba tags a person
    elif len(word) > 1 and word[0] == "地" and word not in phrases and 0 not in fixed:
        rules.append(("地", 0))  # jieba's 地说, 地走: the particle glued to a verb
    elif (
        word[-1] == "种"
        and (len(word) == 1 or word[:-1] in _PLANT_BEFORE)
        and word not in phrases
        and len(word) - 1 not in fixed
    ):
        rules.append(("种", len(word) - 1))  # 要种在地里: the verb zhòng
    phrase: dict[int, str] = {}
    weight = PHRASE_PRIOR
    if not fixed and len(word) > 1 and word in phrases:
        weight = WORD_PRIOR
        for k, r in enumerate(phrases[word]):
            phrase[k] = _mark_reading(r[0])
    else:
        _phrase_match(word, fixed, phrases, res.phrase_maxlen, phrase)
    plain: list[tuple[int, str | None]] = []
    poly: list[tuple[int, str | None, float]] = []
    for k, ch in enumerate(word):
        if k in fixed or not is_han(ch):
            continue
        p = phrase.get(k)
        if ch in res.poly:
            if p is not None and weight >= 1.0 and _phrase_settles(p, res.readings[ch]):
                # The whole word is in the phrase dictionary, whose reading wins over any
                # model probability: no need to run the model for this character.
                plain.append((k, p))
            else:
                poly.append((k, p, weight))
        else:
            plain.append((k, p or _default_reading(res, ch)))
    info = (fixed, plain, poly, rules)
    if len(_word_memo) >= _WORD_MEMO_SIZE:
        _word_memo.clear()
    _word_memo[key] = info
    return info


def _phrase_settles(reading: str, candidates: list[str]) -> bool:
    """Whether a whole-word phrase reading is final (the rule :func:`_finish` applies)."""
    if reading in candidates:
        return True
    return reading.endswith("5") and any(c[:-1] == reading[:-1] for c in candidates)


def _prepare(chunk: str, lexicon: Any) -> _Pending:
    from reader.text.segment import tokenize

    res = _resources()
    st = _Pending(chunk)
    out = st.out
    st.tokens = tokenize(chunk)
    has_han = _HAN_RE.search
    for word, a, _b in st.tokens:
        if not has_han(word):
            continue
        fixed, plain, poly, rules = _word_info(word, lexicon, res)
        for k, syl in fixed.items():
            out[a + k] = syl
            st.locked.add(a + k)
        for k, syl in plain:
            out[a + k] = syl
        for k, p, weight in poly:
            st.poly_pos.append(a + k)
            if p:
                st.prior[a + k] = (p, weight)
        for char, k in rules:
            st.singles.append((char, a + k))
    _across_words(st, res)
    return st


# Words that follow a family name: 曾先生 zēng, 单老师 shàn, 解女士 xiè.
_TITLES = frozenset(
    "先生 女士 小姐 老师 教授 医生 大夫 师傅 同学 同志 老板 律师 记者 院士 博士 "
    "主任 书记 经理 局长 部长 市长 县长 省长 校长 厂长 队长 主席 总 阿姨 叔叔 大爷 大妈 氏".split()
)


def _across_words(st: _Pending, res: _Resources) -> None:
    """Readings that only show across the segmenter's word boundaries.

    * Two one-character words that together are a word of the phrase
      dictionary (还/书 → 还书 huánshū, 找/着 → 找着 zhǎozháo): the segmenter's
      dictionary lacks the word, the phrase dictionary has it; its reading gets
      the whole-word weight.
    * A one-character family name before a title (曾/先生 zēng, 单/老师 shàn).
    """
    tokens = st.tokens
    chunk = st.chunk
    phrases = res.phrases
    poly = set(st.poly_pos)
    for i in range(len(tokens) - 1):
        word, a, b = tokens[i]
        nxt, _na, nb = tokens[i + 1]
        if b - a != 1 or a in st.locked:
            continue
        if word in _SURNAMES and nxt in _TITLES:
            st.singles.append(("title", a))
            continue
        if nb - b != 1 or b in st.locked:
            continue
        pair = chunk[a:nb]
        readings = phrases.get(pair)
        if readings is None or len(readings) != 2:
            continue
        for pos, r in ((a, readings[0][0]), (b, readings[1][0])):
            if pos in poly:
                st.prior[pos] = (_mark_reading(r), WORD_PRIOR)


def _finish(st: _Pending, model: list[dict[str, float] | None]) -> list[str | None]:
    chunk = st.chunk
    out = st.out
    res = _resources()
    for pos, probs in zip(st.poly_pos, model, strict=True):
        p, weight = st.prior.get(pos, (None, 0.0))
        if probs is None:
            out[pos] = p or _default_reading(res, chunk[pos])
        elif p is not None and p not in probs:
            # A reading the model does not list: trust the phrase dictionary only
            # for a neutral tone (弟弟 di4 di5, 姥姥 lao3 lao5), which CC-CEDICT
            # leaves out; otherwise the model chooses among real readings.  (Also
            # trusting whole words whose reading pypinyin's character table lists
            # lost 15 CPP items, 黄陂 and 呵叻 among them: not done.)
            if p.endswith("5") and any(c[:-1] == p[:-1] for c in probs):
                out[pos] = p
            else:
                out[pos] = max(probs, key=probs.__getitem__)
        else:
            if p is not None:
                probs = dict(probs)
                probs[p] += weight
            out[pos] = max(probs, key=probs.__getitem__)
    if st.singles:
        _grammar_rules(chunk, st.singles, out, st.locked, st.tokens)
    for i, ch in enumerate(chunk):
        if i in st.locked:
            continue
        if ch == "一" and out[i]:
            out[i] = "yi1"
        elif ch == "不" and out[i]:
            out[i] = "bu4"
    return out


# ---------------------------------------------------------------- grammar rules
#
# g2pM learned its priors from Wikipedia sentences, where 为 is mostly wéi
# ("is, as") and 地 mostly dì ("ground"); in news and stories the function
# words 为 wèi ("for") and 地 de ("-ly") are common and the model misses them
# with near certainty.  These rules use jieba's part-of-speech tags (its
# tagger marks the adverbial particle 地 as ``uv``) and are checked on the
# CPP dev split to do no harm (benchmarks/RESULTS.md).

_RULE_CHARS = frozenset("为地得儿长重")
# 种 is the verb zhòng ("plant") after these and before a place or result
# (要种在地里, 把树种到山上, 已经种了); the model, trained on Wikipedia's 物种 and
# 品种, reads zhǒng with near certainty.  jieba glues 要种 into one word.
_PLANT_BEFORE = frozenset(
    "要 去 来 会 能 想 得 该 把 已 正 先 再 多 少 被 给 没 不 都 也 就 才 又 帮 "
    "可以 应该 已经 正在 亲手".split()
)
_PLANT_AFTER = frozenset("在到了着过下上进满完好")
# After a degree adverb, 长 and 重 are adjectives (很长 cháng, 太重 zhòng); the
# model reads 很长。 as zhǎng.
_DEGREE = frozenset(
    "很 太 最 更 较 挺 好 真 多 特别 非常 十分 相当 比较 更加 越来越 那么 这么 如此 极 极其 过于 不够 够".split()
)
_ADJECTIVE = {"长": "chang2", "重": "zhong4"}
# Characters read differently as a family name, when they begin a word jieba tags
# as a person's name (nr).  Left out where usage is split (宁, 乐, 燕, 盖) or where
# jieba tags too many non-names as nr (任 in 任武钢集团…, 仇, 华为, 缪 in 缪斯).
_SURNAMES = {
    "曾": "zeng1",
    "单": "shan4",
    "解": "xie4",
    "区": "ou1",
    "查": "zha1",
    "朴": "piao2",
    "纪": "ji3",
    "覃": "qin2",
    "翟": "zhai2",
    "召": "shao4",
}
# jieba tags of words that 地 turns into adverbials (激动 a, 慢慢 d, 高兴 b, 认真 ad …).
_ADVERBIAL_TAGS = frozenset("a ad an ag b d dg z l i".split())
# Verbs that take 为 "for" after them (想为他们做点事), unlike 成为, 升级为.
_MODALS = frozenset(
    "想 要 愿意 愿 能 能够 会 应该 应当 应 该 可以 肯 敢 得 必须 将 正在 在 专门 特意 努力 "
    "主动 继续 打算 准备 希望 决定 坚持 开始 一直 始终".split()
)
# 儿 after these characters is the noun "child", not the erhua suffix.
_REAL_ER = frozenset("女婴孤幼健胎宠患男少育托弃乳产生血运潮骄孩妻犬孙小爱病残囡侄")
_CLAUSE_PUNCT = frozenset("，。！？；：、,.!?;:（）()“”\"'《》「」『』")
_tagger: Any = None


def _tag_function() -> Any:
    """The segmenter's own jieba-rs engine tags words (same dictionary, same lexicon
    words, no second copy in memory); a private engine only when it cannot."""
    from reader.text import segment

    segment.warm_up()
    engine = getattr(segment, "_engine", None)
    if engine and hasattr(engine[0], "tag"):
        return engine[0].tag
    try:
        import rjieba

        return rjieba.Jieba().tag
    except ImportError:  # pragma: no cover - only without rjieba
        import jieba.posseg

        return lambda text: [tuple(pair) for pair in jieba.posseg.cut(text)]


def _tags(chunk: str) -> list[tuple[str, str, int]]:
    global _tagger
    if _tagger is None:
        _tagger = _tag_function()
    out = []
    pos = 0
    for word, tag in _tagger(chunk):
        out.append((word, tag, pos))
        pos += len(word)
    return out


def _word_before(chunk: str, pos: int, tokens: list[tuple[str, int, int]]) -> str:
    """The word just before ``pos``: the start of its own token, or the token before."""
    for word, a, b in tokens:
        if a < pos < b:
            return chunk[a:pos]
        if b == pos:
            return word
    return ""


def _grammar_rules(
    chunk: str,
    singles: list[tuple[str, int]],
    out: list[str | None],
    locked: set[int],
    tokens: list[tuple[str, int, int]],
) -> None:
    tagged: list[tuple[str, str, int]] | None = None
    for char, pos in singles:
        if char in _ADJECTIVE:
            prev_word = _word_before(chunk, pos, tokens)
            if prev_word in _DEGREE:
                out[pos] = _ADJECTIVE[char]
            continue
        if char == "种":
            nxt = chunk[pos + 1] if pos + 1 < len(chunk) else ""
            prev = chunk[pos - 1] if pos else ""
            after_verb = _word_before(chunk, pos, tokens) in _PLANT_BEFORE
            if nxt in _PLANT_AFTER and (after_verb or not is_han(prev or "，")):
                out[pos] = "zhong4"
            continue
        if char == "title":
            out[pos] = _SURNAMES[chunk[pos]]
            continue
        if char == "surname":
            if tagged is None:
                tagged = _tags(chunk)
            for word, tag, start in tagged:
                if start == pos:
                    if tag == "nr" and 2 <= len(word) <= 3 and pos not in locked:
                        out[pos] = _SURNAMES[chunk[pos]]
                    break
            continue
        if char == "儿":
            # Erhua kept as written: the suffix 儿 keeps its own syllable, r5.
            prev = chunk[pos - 1] if pos else ""
            if prev and is_han(prev) and prev not in _REAL_ER and pos not in locked:
                out[pos] = "r5"
            continue
        if tagged is None:
            tagged = _tags(chunk)
        index = next(
            (i for i, t in enumerate(tagged) if t[2] == pos and t[0].startswith(char)), None
        )
        if index is None:
            continue
        if char == "地":
            # 地 is the adverbial particle de after an adjective or adverb (勇敢地走,
            # 激动地说 — jieba glues some to the verb), else the noun dì (把地扫干净).
            nxt = chunk[pos + 1] if pos + 1 < len(chunk) else ""
            prev_word, prev_tag = tagged[index - 1][:2] if index else ("", "x")
            adverbial = (
                prev_tag in _ADVERBIAL_TAGS
                or prev_word[-1:] in ("性", "然")
                or (len(prev_word) >= 2 and prev_word[-1] == prev_word[-2])  # 慢慢, 轻轻
            )
            if adverbial and nxt and is_han(nxt):
                out[pos] = "de5"
            continue
        if tagged[index][0] != char:
            continue
        if char == "得":
            # 跑得快 de (complement after a verb or adjective); 我得走 děi (must: after
            # the subject or an adverb, before a verb); otherwise the model decides.
            prev_tag = tagged[index - 1][1] if index else "x"
            nxt_word, nxt_tag = tagged[index + 1][:2] if index + 1 < len(tagged) else ("", "x")
            if prev_tag[:1] in ("v", "a"):
                out[pos] = "de5"
            elif prev_tag[:1] in ("r", "d", "n") and (nxt_tag.startswith("v") or nxt_word == "等"):
                out[pos] = "dei3"
            continue
        # 为: wèi "for" when a noun phrase and then a verb follow in the clause,
        # unless it follows a verb (升级为, 被贬为) or closes 以…为….
        before = tagged[:index]
        prev_tag = before[-1][1] if before else "x"
        clause_before: list[str] = []
        for word, _tag, _p in reversed(before):
            if word in _CLAUSE_PUNCT:
                break
            clause_before.append(word)
        prev_word = before[-1][0] if before else ""
        if (prev_tag.startswith("v") and prev_word not in _MODALS) or "以" in clause_before:
            out[pos] = "wei2"
            continue
        after = tagged[index + 1 :]
        seen_other = False
        for word, tag, _p in after:
            if word in _CLAUSE_PUNCT:
                break
            if tag.startswith("v"):
                if seen_other:
                    out[pos] = "wei4"
                break
            seen_other = True


def _phrase_match(
    word: str, fixed: dict[int, str], phrases: dict, maxlen: int, into: dict[int, str]
) -> None:
    """Phrases of two or more characters inside ``word`` (forward maximum matching),
    skipping characters the lexicon already fixed."""
    n = len(word)
    k = 0
    while k < n:
        if k in fixed:
            k += 1
            continue
        for length in range(min(maxlen, n - k), 1, -1):
            piece = word[k : k + length]
            if piece in phrases and not any(j in fixed for j in range(k, k + length)):
                for j, r in enumerate(phrases[piece]):
                    into[k + j] = _mark_reading(r[0])
                k += length
                break
        else:
            k += 1


def _is_word_function() -> Any:
    """Whether a string is a word of the segmenter's dictionary or the phrase dictionary."""
    from reader.text import segment

    phrases = _resources().phrases
    engine = getattr(segment, "_engine", None)
    has_word = getattr(engine[0], "has_word", None) if engine else None
    if has_word is None:
        return phrases.__contains__
    return lambda w: w in phrases or has_word(w)


def apply_sandhi(text: str, readings: list[str | None]) -> None:
    """Change the tones of 一 and 不 in place, as they are spoken."""
    n = len(text)
    word_final: set[int] = set()  # 一 closing a word keeps yi1: 统一, 唯一的, 统一战线
    if "一" in text:
        from reader.text.segment import tokenize

        is_word = _is_word_function()
        for word, a, _b in tokenize(text):
            for k in range(1, len(word)):
                if word[k] == "一" and any(
                    is_word(word[j : k + 1]) for j in range(max(0, k - 3), k)
                ):
                    word_final.add(a + k)
    for i, ch in enumerate(text):
        if ch not in "一不" or readings[i] is None:
            continue
        nxt = readings[i + 1] if i + 1 < n else None
        nxt_char = text[i + 1] if i + 1 < n else ""
        if nxt is None:
            continue  # end of a phrase: citation tone
        tone = split_syllable(nxt)[1]
        if ch == "不":
            if tone == 4:
                readings[i] = "bu2"
            continue
        prev_char = text[i - 1] if i > 0 else ""
        after_next = text[i + 2] if i + 2 < n else ""
        before_prev = text[i - 2] if i > 1 else ""
        if (
            i in word_final
            or prev_char == "第"
            or (prev_char in _NUMERALS and not (prev_char == "一" and i - 1 in word_final))
            or nxt_char in _DIGITS
            or nxt_char in "月号"
            or (nxt_char == "点" and after_next in _DIGITS)  # 一点五: a decimal
            or (prev_char == "点" and before_prev in _NUMERALS)  # 三点一
        ):
            continue  # a number, an ordinal or a date: yi1
        readings[i] = "yi2" if tone in (4, 5) else "yi4"


# ---------------------------------------------------------------- per word


def pinyin(
    text: str, style: Style = "numbers", sandhi: bool = False
) -> list[tuple[int, int, list[str]]]:
    """Per word of ``text`` (whitespace skipped): ``(start, end, items)``.

    ``items`` are the formatted syllables of the word's Han characters; runs
    of other characters inside the word (Latin, digits, punctuation) appear
    as themselves, so nothing in the text is lost.
    """
    from reader.text.segment import tokenize

    if style not in STYLES:
        raise ValueError(f"unknown pinyin style {style!r}")
    readings = char_readings(text, sandhi=sandhi)
    result: list[tuple[int, int, list[str]]] = []
    for word, a, b in tokenize(text):
        if word.isspace():
            continue
        items: list[str] = []
        other = ""
        for k in range(a, b):
            r = readings[k]
            if r is None:
                other += text[k]
                continue
            if other:
                items.append(other)
                other = ""
            items.append(format_syllable(r, style))
        if other:
            items.append(other)
        result.append((a, b, items))
    return result


def join_word(items: Sequence[str], style: Style = "numbers") -> str:
    """A word's items written as one word: ``yínháng``, ``nǚ'ér`` (an apostrophe before
    a syllable that starts with a, o or e, as standard pinyin writes it), ``yin2hang2``."""
    out = ""
    for item in items:
        if out and style != "numbers" and item[:1] in "aoeāáǎàōóǒòēéěè" and out[-1].isalpha():
            out += "'"
        out += item
    return out


def per_char(text: str, style: Style = "numbers", sandhi: bool = False) -> list[str]:
    """One item per character: the syllable of a Han character, any other character itself."""
    readings = char_readings(text, sandhi=sandhi)
    return [
        format_syllable(r, style) if r is not None else ch
        for ch, r in zip(text, readings, strict=True)
    ]
