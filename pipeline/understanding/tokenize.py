"""Morphological tokens (fugashi + unidic-lite) with offsets into the input.

One Tagger per process and thread: building it loads the dictionary
(~50 ms, tens of MB), so it is created on first use and cached.  The cache
is keyed by PID because a MeCab handle inherited through fork() is not
safe to share, and held per thread because Dask workers run tasks in
threads and a MeCab handle is not thread-safe.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Optional

import fugashi

from normalizers.width import to_halfwidth_ascii

_local = threading.local()


def get_tagger() -> fugashi.Tagger:
    """This process's and thread's Tagger, created lazily (again after a fork)."""
    pid = os.getpid()
    if getattr(_local, "pid", None) != pid:
        _local.tagger = fugashi.Tagger()
        _local.pid = pid
    return _local.tagger


@dataclass(frozen=True)
class Token:
    surface: str  # exactly text[start:end] of the caller's string
    pos: tuple[str, str, str, str]  # unidic pos1..pos4, "*" when unset
    lemma: Optional[str]
    start: int
    end: int

    @property
    def pos_str(self) -> str:
        """``名詞-普通名詞-助数詞可能``: the unidic spelling, "*" parts dropped."""
        return "-".join(p for p in self.pos if p and p != "*")


def _field(feature: object, name: str) -> Optional[str]:
    value = getattr(feature, name, None)
    return None if value in (None, "", "*") else value


def tokenize(text: str) -> list[Token]:
    """Tag ``text``; offsets index the original string, not the folded one.

    Full-width digits and letters are folded first because unidic-lite tags
    ``１０`` as one common noun instead of a numeral.  The fold maps one
    character to one character, so offsets carry over unchanged.
    """
    if not text:
        return []
    folded = to_halfwidth_ascii(text, symbols=False, katakana=False) or ""
    tokens: list[Token] = []
    cursor = 0
    for word in get_tagger()(folded):
        surface = word.surface
        start = folded.find(surface, cursor)
        if start < 0:  # MeCab never rewrites characters; guard anyway
            raise RuntimeError(f"token {surface!r} not found after offset {cursor} in {text!r}")
        end = start + len(surface)
        f = word.feature
        tokens.append(Token(
            surface=text[start:end],
            pos=(f.pos1 or "*", f.pos2 or "*", f.pos3 or "*", f.pos4 or "*"),
            lemma=_field(f, "lemma"),
            start=start,
            end=end,
        ))
        cursor = end
    return tokens
