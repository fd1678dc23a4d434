import multiprocessing as mp
import os

from pipeline.understanding import tokenize as tk
from pipeline.understanding.tokenize import Token, get_tagger, tokenize


def test_tokens_carry_surface_pos_and_offsets_into_input():
    text = "市内企業5社と連携"
    toks = tokenize(text)
    assert [t.surface for t in toks] == ["市内", "企業", "5", "社", "と", "連携"]
    assert toks[3] == Token(surface="社", pos=("名詞", "普通名詞", "助数詞可能", "*"),
                            lemma="社", start=5, end=6)
    assert all(text[t.start:t.end] == t.surface for t in toks)


def test_fullwidth_digits_are_tagged_as_numerals_but_surfaces_stay_as_printed():
    toks = tokenize("約１０人")
    assert [(t.surface, t.pos[:2]) for t in toks] == [
        ("約", ("接頭辞", "*")), ("１０", ("名詞", "数詞")), ("人", ("接尾辞", "名詞的"))]
    assert (toks[1].start, toks[1].end) == (1, 3)


def test_offsets_skip_spaces():
    toks = tokenize("in KAWASAKI　を")
    assert [(t.surface, t.start) for t in toks if t.pos[0] != "空白"] == [
        ("in", 0), ("KAWASAKI", 3), ("を", 12)]


def test_pos_str_uses_unidic_spelling():
    assert tokenize("3回")[1].pos_str == "名詞-普通名詞-助数詞可能"


def test_empty_text_has_no_tokens():
    assert tokenize("") == []


def test_tagger_is_created_once_per_process():
    assert get_tagger() is get_tagger()


def _surfaces_in_child(q):
    inherited = tk._local.pid
    tokens = [t.surface for t in tokenize("8件の契約")]
    q.put((tokens, inherited != os.getpid(), tk._local.pid == os.getpid()))


def test_tagger_is_rebuilt_after_fork():
    get_tagger()
    parent = get_tagger()
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_surfaces_in_child, args=(q,))
    p.start()
    tokens, inherited_from_parent, rebuilt_for_child = q.get(timeout=30)
    p.join(timeout=30)
    assert p.exitcode == 0
    assert tokens == ["8", "件", "の", "契約"]
    assert inherited_from_parent and rebuilt_for_child
    assert get_tagger() is parent


def test_each_thread_gets_its_own_tagger():
    import threading

    seen = []
    thread = threading.Thread(target=lambda: seen.append(get_tagger()))
    thread.start()
    thread.join()
    assert seen and seen[0] is not get_tagger()
