"""What OCR models trained mostly on Chinese write for Japanese text, mapped back.

PP-OCR (RapidOCR's models) reads Japanese well but often gives the
simplified Chinese form of a kanji whose Japanese form differs (況→况,
対→对, 査→查), the Chinese middle dot ``·`` for ``・``, and 了 for the
katakana ア.  Only characters that never occur in Japanese text are
mapped (况 and 对 are not Japanese characters), and the kana look-alikes
only inside a katakana run, where the Chinese character cannot stand.
Nothing else is touched: a real misreading stays visible for review.
"""

from __future__ import annotations

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
    "单": "単", "带": "帯", "样": "様", "举": "挙", "·": "・",
}

# Kana look-alikes, mapped only between katakana (ロ in コロナ is read as
# 口 by the model, while 人口 must stay).
KATAKANA_LOOKALIKES = {"了": "ア", "力": "カ", "夕": "タ", "卜": "ト", "口": "ロ", "工": "エ", "二": "ニ", "一": "ー"}
# 了 is the model's commonest slip (●アジア → ●了ジ了): it is mapped next to
# one katakana unless a kanji precedes it (完了, 終了, 修了 keep theirs).
_LOOSE = {"了"}


def _is_katakana(ch: str) -> bool:
    return bool(ch) and ("\u30a1" <= ch <= "\u30fa" or ch == "ー")


def _is_kanji(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def japanese_forms(text: str) -> str:
    """``状况`` → ``状況``; ``●了ジ了`` → ``●アジア``; ``完了`` and ``人口`` stay."""
    out = [SIMPLIFIED_TO_JAPANESE.get(ch, ch) for ch in text]
    for i, ch in enumerate(out):
        if ch in KATAKANA_LOOKALIKES:
            before = out[i - 1] if i > 0 else ""
            after = out[i + 1] if i + 1 < len(out) else ""
            if before and after and _is_katakana(before) and _is_katakana(after):
                out[i] = KATAKANA_LOOKALIKES[ch]
            elif ch in _LOOSE and (_is_katakana(before) or _is_katakana(after)) and not _is_kanji(before):
                out[i] = KATAKANA_LOOKALIKES[ch]
    return "".join(out)


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
