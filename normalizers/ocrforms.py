"""What OCR models trained mostly on Chinese write for Japanese text, mapped back.

PP-OCR (RapidOCR's models) reads Japanese well but often gives the
simplified Chinese form of a kanji whose Japanese form differs (況→况,
対→对, 査→查), the Chinese middle dot ``·`` for ``・``, and 了 for the
katakana ア.  Only characters that never occur in Japanese text are
mapped (况 and 对 are not Japanese characters).  Glyphs that look alike
across scripts (卜/ト, 口/ロ, 力/カ, 一/ー, べ/ベ, ィ/イ) are read by their
context: first by rules on the neighbours' scripts (``japanese_forms``),
then, where the neighbours leave it open (センタ一啓発: ー or 一?), by a
dictionary (``lexicon_forms``: the reading MeCab splits into fewer unknown
words, symbols and words wins; the model's own reading wins a tie).
Nothing else is touched: a real misreading stays visible for review.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any, Callable, Optional, Sequence

# Simplified forms seen in OCR of Japanese reports, to the Japanese
# (shinjitai) form.  Every key is a character absent from Japanese text:
# neither jōyō, jinmeiyō nor hyōgai usage has it.
SIMPLIFIED_TO_JAPANESE = {
    "况": "況", "产": "産", "產": "産", "对": "対", "查": "査", "实": "実", "计": "計", "划": "画",
    "进": "進", "业": "業", "环": "環", "经": "経", "济": "済", "续": "続", "设": "設", "构": "構",
    "际": "際", "为": "為", "关": "関", "发": "発", "开": "開", "动": "動", "协": "協", "议": "議",
    "运": "運", "输": "輸", "资": "資", "务": "務", "让": "譲", "时": "時", "长": "長", "门": "門",
    "问": "問", "题": "題", "调": "調", "员": "員", "个": "個", "场": "場", "书": "書", "报": "報",
    "农": "農", "东": "東", "车": "車", "规": "規", "标": "標", "达": "達", "应": "応", "术": "術",
    "认": "認", "证": "証", "组": "組", "织": "織", "结": "結", "约": "約", "级": "級", "纳": "納",
    "线": "線", "岛": "島", "铁": "鉄", "钢": "鋼", "连": "連", "过": "過", "边": "辺", "选": "選",
    "还": "還", "广": "広", "厅": "庁", "历": "歴", "压": "圧", "县": "県", "专": "専", "华": "華",
    "乡": "郷", "导": "導", "试": "試", "课": "課", "语": "語", "讲": "講", "谈": "談", "请": "請",
    "贸": "貿", "费": "費", "贷": "貸", "负": "負", "质": "質", "购": "購", "价": "価",
    "减": "減", "态": "態", "团": "団", "图": "図", "层": "層", "显": "顕", "观": "観", "顺": "順",
    "领": "領", "预": "預", "验": "験", "乐": "楽", "处": "処", "备": "備", "复": "復", "众": "衆",
    "传": "伝", "总": "総", "绿": "緑", "养": "養", "义": "義", "习": "習", "灾": "災", "营": "営",
    "单": "単", "带": "帯", "样": "様", "举": "挙", "强": "強", "现": "現", "增": "増", "內": "内", "诱": "誘", "测": "測", "壤": "壌", "啟": "啓", "·": "・",
}

# The model writes a digit or a Latin letter full-width (２) or half-width (2) by no rule the
# page shows: 第２期 beside 第3期 in one paragraph of the sample's prose, both printed
# half-width, and ５ for the 5 of a glyph-id page's 令和5年度.  Its reading of the glyph is
# written half-width, as the route before it wrote it (its Japanese model had no full-width
# forms); each field's normaliser decides widths.  Brackets and marks keep the model's form:
# their boxes show the width (（Think） is read right).
HALF_WIDTH = {chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}

# Kana look-alikes: the model writes the kanji 卜 for ト (プロジェク卜), 口 for ロ
# (コ口ナ), and the other way round (協カ for 協力, ー体的 for 一体的).  Which
# one a glyph is follows from its neighbours (``japanese_forms``).
KATAKANA_LOOKALIKES = {"了": "ア", "力": "カ", "夕": "タ", "卜": "ト", "口": "ロ", "工": "エ", "二": "ニ",
                       "一": "ー", "八": "ハ"}
# The katakana the model writes inside kanji words, back to the kanji.  ト
# stays: 卜 is no kanji of administrative text.
KANJI_LOOKALIKES = {"カ": "力", "タ": "夕", "ロ": "口", "エ": "工", "ニ": "二", "ー": "一", "ハ": "八"}
# 了 is the model's commonest slip (●アジア → ●了ジ了): it is mapped next to
# one katakana unless a kanji precedes it (完了, 終了, 修了 keep theirs).
_LOOSE = {"了"}
# Katakana that are counters or symbols rather than letters of a word (3ヶ所,
# 1ヵ月, ・): no context for a look-alike.
_NOT_LETTERS = "ヵヶ・ヽヾ"


def _is_katakana(ch: str) -> bool:
    return bool(ch) and ("\u30a1" <= ch <= "\u30fa" or ch == "ー") and ch not in _NOT_LETTERS


def _is_kanji(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆")


def _as_katakana(ch: str, before: str, after: str) -> bool:
    """Is the kanji look-alike ``ch`` a katakana letter, between these neighbours?"""
    if _is_katakana(before) and _is_katakana(after):
        return True
    if ch in _LOOSE:
        return (_is_katakana(before) or _is_katakana(after)) and not _is_kanji(before)
    if ch == "一":  # ー only follows a kana: 一 after a katakana is ー unless a kanji word goes on (ヒー一杯)
        return _is_katakana(before) and not _is_kanji(after)
    # At either end of a katakana word (プロジェク卜, 口ボット): the other side is
    # no kanji (a kanji there makes a kanji word: 人口, 入口, 協力).
    if _is_katakana(before):
        return not _is_kanji(after)
    if _is_katakana(after):
        return not _is_kanji(before)
    return False


def _as_kanji(ch: str, before: str, after: str) -> bool:
    """Is the katakana look-alike ``ch`` a kanji, between these neighbours?"""
    if _is_katakana(before) or _is_katakana(after):
        return False
    if ch == "ー":  # ー never follows a kanji, nor leads into one from outside a kana word
        return _is_kanji(before) or _is_kanji(after)
    if ch == "カ":  # 3カ所, 2カ月: カ after a number is a counter
        return _is_kanji(before)
    return _is_kanji(before) or _is_kanji(after)


def japanese_forms(text: str) -> str:
    """``状况`` → ``状況``; ``●了ジ了`` → ``●アジア``; ``プロジェク卜`` → ``プロジェクト``;
    ``協カ`` → ``協力``; ``【区分:4*]`` → ``【区分:4*】``; ``完了``, ``人口`` and ``3カ所`` stay."""
    out = [SIMPLIFIED_TO_JAPANESE.get(ch, ch) for ch in text]
    # Until nothing changes: a look-alike read as a letter that is no look-alike (了 → ア)
    # becomes the context of the run it was in (ァ八了完: the 八 between ァ and ア is ハ,
    # which a second reading found and the first did not).
    for _ in range(4):
        before = list(out)
        out = _lookalikes(out)
        if out == before:
            break
    return _paired_brackets(out)


def _lookalikes(out: list[str]) -> list[str]:
    out = list(out)
    # A run of look-alikes (ロー in コロナ read コ口一ナ) is judged by the glyphs
    # around it that are no look-alike, so a glyph's reading never depends on
    # how its neighbour was mapped, and the function gives the same on its
    # own output (a katakana context never makes a glyph a kanji, nor the
    # other way round).
    ambiguous = [ch in KATAKANA_LOOKALIKES or ch in KANJI_LOOKALIKES for ch in out]
    i = 0
    while i < len(out):
        if not ambiguous[i]:
            i += 1
            continue
        j = i
        while j < len(out) and ambiguous[j]:
            j += 1
        before = out[i - 1] if i > 0 else ""
        after = out[j] if j < len(out) else ""
        for k in range(i, j):
            ch = out[k]
            # A run member after one now read as katakana follows a katakana (口一 → ロー).
            left = out[k - 1] if k > i and _is_katakana(out[k - 1]) else before
            if ch in KATAKANA_LOOKALIKES and _as_katakana(ch, left, after):
                out[k] = KATAKANA_LOOKALIKES[ch]
            elif ch in KANJI_LOOKALIKES and _as_kanji(ch, left, after):
                out[k] = KANJI_LOOKALIKES[ch]
        i = j
    return out


# The model reads a lenticular bracket's half as a square one (【達成状況区分:4*]),
# and then the program row's rating is not found.
_SQUARE = {"]": "】", "］": "】", "[": "【", "［": "【"}


def _paired_brackets(out: list[str]) -> str:
    """A square bracket closing a 【 (or opening what a 】 closes) is the lenticular one."""
    opened: list[int] = []
    for i, ch in enumerate(out):
        if ch in "【[［":
            opened.append(i)
        elif ch in "】]］" and opened:
            start = opened.pop()
            if out[start] == "【" and ch in _SQUARE:
                out[i] = "】"
            elif ch == "】" and out[start] in _SQUARE:
                out[start] = "【"
    return "".join(out)


# Glyphs that are one glyph in the other script or size, for ``lexicon_forms``:
# kanji/katakana, katakana/hiragana drawn alike (べ/ベ), small/large kana.
# (Hiragana つ/っ, や/ゃ are left alone: the dictionary prefers 八っ to 八つ.)
_PAIRS = ("卜ト", "口ロ", "力カ", "工エ", "夕タ", "二ニ", "八ハ", "一ー", "了ア", "へヘ", "べベ", "ぺペ", "りリ", "べ~",
          "アァ", "イィ", "ウゥ", "エェ", "オォ", "ツッ", "ヤャ", "ユュ", "ヨョ")
# Kanji the model takes for one another on grainy scans, judged wherever they
# stand: 令和 read 合和 broke a year header (a noisy scan of a tune report),
# and with it the table of that page; 区画 read 区面 (the sample's noisy scan).
# (入/人 is left: the dictionary made 起業家村入居 村人居.)
KANJI_PAIRS = ("令合", "令今", "画面")
# Voiced and half-voiced katakana: grain fills a ゜ (スボーツ, ハンドプック,
# イペント on noisy scans), judged wherever they stand too.  A lost ゛ (ダナン
# read タナン) is left: with タ/ダ and テ/デ judged everywhere the dictionary
# made ベッタタウン ヘッダタウン and データ テータ.
DAKUTEN_PAIRS = ("バパ", "ビピ", "ブプ", "ベペ", "ボポ")
ALTERNATIVES: dict[str, str] = {}
for _pair in _PAIRS + KANJI_PAIRS + DAKUTEN_PAIRS:
    # glyphs linked through a third are alternatives too (工 → エ → ェ: カフ工 is カフェ)
    _group = set(_pair).union(*(set(_g) for _g in (ALTERNATIVES.get(_c, "") for _c in _pair)))
    for _c in _group:
        ALTERNATIVES[_c] = "".join(sorted(_group - {_c}))
_ANYWHERE = set("".join(KANJI_PAIRS + DAKUTEN_PAIRS))
# How far (glyphs) either side of a glyph the dictionary reads: its phrase, up to a
# punctuation mark (a window cut inside a word makes an unknown word of its stub).
_WINDOW = 20
# Where a window stops: the end of a phrase, or a mark (〇 before a measure name
# read as the numeral made タ方 cheap against 夕方: 351 where 1,674 without it).
_STOPS = set("、。，．・,.()（）「」『』【】[]〔〕<>＜＞:：;；!?！？ 　●○◎〇◯■□◆◇※*＊/／~～-－")


def _script(ch: str) -> str:
    if _is_katakana(ch):
        return "k"
    if "\u3041" <= ch <= "\u309f":
        return "h"
    if _is_kanji(ch):
        return "c"
    return "o"


def _mixed(text: Sequence[str], i: int) -> bool:
    """Does the glyph at ``i`` stand where its script and a neighbour's differ (a word boundary,
    or a misread)?  Only there does the dictionary get asked."""
    if text[i] in _ANYWHERE:
        return True
    here = _script(text[i])
    if any(0 <= j < len(text) and _script(text[j]) not in ("o", here) for j in (i - 1, i + 1)):
        return True
    # a small kana, or a large one after a kana, where the small one could stand (プロジエクト)
    return text[i] in "ァィゥェォッャュョ" or (text[i] in "アイウエオツヤユヨ" and i > 0 and _script(text[i - 1]) == "k")


def lexicon_forms(text: str, judge: Optional[Callable[[str], int]] = None, read: Optional[str] = None) -> str:
    """Look-alikes the neighbours' scripts leave open, read by a dictionary; ``read`` is the
    model's own reading, when ``text`` is ``japanese_forms`` of it.

    Each glyph of ``ALTERNATIVES`` standing where scripts meet (or a kana that
    has a small form) is swapped for its look-alike when its phrase then costs
    ``judge`` (default ``dictionary_cost``) clearly less: by ``MARGIN``, so the
    model's reading keeps a near tie (データ一元化 against データー元化).  Look-alikes
    side by side (二ユ in 二ユータウン) are judged together.
    """
    judge = judge or dictionary_cost
    out = list(text)
    spots = [i for i, ch in enumerate(out) if ch in ALTERNATIVES and _mixed(out, i)]
    if read is not None and len(read) == len(text):
        # What the neighbours' rules changed is judged too: the model's reading comes back when
        # the dictionary clearly prefers it (口コミ, which the rules make ロコミ).
        spots = sorted(set(spots) | {i for i, (a, b) in enumerate(zip(read, text)) if a != b and b in ALTERNATIVES})
    # A look-alike beside one of those is judged with it (デ一夕: 夕 stands between kanji as read).
    spots = sorted(set(spots) | {j for i in spots for j in (i - 1, i + 1) if 0 <= j < len(out) and out[j] in ALTERNATIVES})
    clusters: list[list[int]] = []
    for i in spots:
        if clusters and i == clusters[-1][-1] + 1 and len(clusters[-1]) < 3:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for cluster in clusters:
        first, last = cluster[0], cluster[-1]
        lo = first
        while lo > 0 and first - lo < _WINDOW and out[lo - 1] not in _STOPS:
            lo -= 1
        hi = last + 1
        while hi < len(out) and hi - last <= _WINDOW and out[hi] not in _STOPS:
            hi += 1
        as_read = [out[i] for i in cluster]
        best, best_cost = as_read, judge("".join(out[lo:hi])) - MARGIN
        for option in itertools.product(*[out[i] + ALTERNATIVES[out[i]] for i in cluster]):
            if list(option) == as_read:
                continue
            trial = out[lo:hi]
            for i, ch in zip(cluster, option):
                trial[i - lo] = ch
            cost = judge("".join(trial))
            if cost < best_cost:
                best, best_cost = list(option), cost
        for i, ch in zip(cluster, best):
            out[i] = ch
    return "".join(out)


# How much cheaper (MeCab cost units, unidic-lite) the look-alike's phrase must
# be.  Measured on phrases the model read wrongly on the tune set's scans: a
# wrong look-alike costs 1,390-16,000 more (インターネツト +1,392, 第ニ期 +2,554,
# センタ一 +7,743, 人ロボランティア +10,285); the closest real ambiguity,
# データ一元化 / データー元化, 1,244 the other way.  Swaps worth less are left as
# the model read them (so 二次 read ニ次 after a katakana word, +141, stays).
MARGIN = 1300


@functools.lru_cache(maxsize=1)
def _tagger() -> Any:
    import fugashi  # a dependency of sesaku (quantities); unidic-lite is its dictionary
    import unidic_lite

    folder = unidic_lite.DICDIR
    # No output but the cost of the best path to the sentence's end.
    return fugashi.GenericTagger(f'-r "{folder}/mecabrc" -d "{folder}" --output-format-type= -F _ -E %pc')


@functools.lru_cache(maxsize=65536)
def dictionary_cost(phrase: str) -> int:
    """MeCab's cost (unidic-lite) of the best reading of ``phrase``: words it knows, joined as
    Japanese joins them, cost little.  センター 230, センタ一 7,973; 口コミ 6,831, ロコミ 11,923."""
    return int(_tagger().parse(phrase).rsplit("_", 1)[-1])


# Glyphs OCR engines take for one another by shape (tesseract reads 目標 as
# 日標, RapidOCR 現状 as 現伏).  Used only to recognise the form's own fixed
# words (``reads_as``), never to change text.
SHAPE_CONFUSIONS = frozenset(frozenset(pair) for pair in (
    "日目", "目月", "日曰", "状伏", "標漂", "策笨", "施旆", "計訃", "画両", "名各", "未末", "土士",
    "人入", "八入", "力カ", "口ロ", "工エ", "夕タ", "二ニ", "卜ト", "一ー", "〇○", "0O",
))


def reads_as(text: str, word: str) -> bool:
    """``text`` is ``word`` as an OCR engine may have misread it: the same length,
    and at most one glyph in three (at least one) swapped for a look-alike."""
    if text == word:
        return True
    if len(text) != len(word):
        return False
    swaps = [(a, b) for a, b in zip(text, word) if a != b]
    return len(swaps) <= max(1, len(word) // 3) and all(frozenset(s) in SHAPE_CONFUSIONS for s in swaps)


def contains_read_as(text: str, word: str) -> bool:
    """``word`` occurs in ``text``, allowing ``reads_as`` misreadings."""
    if word in text:
        return True
    n = len(word)
    return any(reads_as(text[i:i + n], word) for i in range(len(text) - n + 1))
