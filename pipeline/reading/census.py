"""How many glyphs a page shows, counted from its content streams, not by a reader.

A reader can drop glyphs silently (PDFium leaves out a one-glyph text
object running past the line end, or glyphs of a font it cannot draw).
To notice, the glyphs the page's text-showing operators (Tj, TJ, ', ")
paint are counted here straight from the content streams and the Form
XObjects they call, with the codes split as the font's encoding says:
one byte for simple fonts, the CMap's code space for Type0 fonts
(Identity-H/V two bytes, predefined CMaps from pdfminer's CMapDB,
embedded CMaps parsed).  No reader's glyphs are used.  The streams are
tokenised here with one regular expression rather than with pdfminer's
PSStackParser, which made the check cost ~70 ms on top of a page's ~40
on an 11-page report of the family (this way ~17 ms);
only the operands of the few operators counted are kept.

Not counted, as neither reader reports them: glyphs in render modes 3
and 7 (they paint nothing) and glyphs whose Unicode is white space (the
readers drop spaces; a glyph's Unicode comes from its ToUnicode map, or
for a CID font without one from its declared character collection, or
for a simple font from byte 0x20 being the space).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any, Optional

from pdfminer.cmapdb import CMap, CMapDB, CMapParser, FileUnicodeMap
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from .glyphs import INVISIBLE_RENDER_MODES

_MAX_FORM_DEPTH = 8  # nested forms deeper than any real writer makes; guards cycles too


def _name(obj) -> str:
    obj = resolve1(obj)
    if isinstance(obj, PSLiteral):
        return str(obj.name)
    if isinstance(obj, bytes):
        return obj.decode("latin-1")
    return str(obj) if obj is not None else ""


class _Font:
    """Splits a shown string into glyph codes and says which are spaces."""

    def __init__(self, spec: dict):
        self.split: Callable[[bytes], Iterable[int]] = lambda s: iter(s)
        self.to_text: Callable[[int], Optional[str]] = lambda code: " " if code == 0x20 else None
        subtype = _name(spec.get("Subtype"))
        tounicode = self._tounicode(spec.get("ToUnicode"))
        if subtype == "Type0":
            self._composite(spec)
            if tounicode is None:
                tounicode = self._collection(spec)
        if tounicode is not None:
            self.to_text = lambda code: tounicode.get(code)

    def _composite(self, spec: dict) -> None:
        encoding = resolve1(spec.get("Encoding"))
        cmap: Any = None
        if isinstance(encoding, PDFStream):
            cmap = CMap()
            CMapParser(cmap, io.BytesIO(encoding.get_data())).run()
        else:
            name = _name(encoding)
            if name in ("Identity-H", "Identity-V", "") or name.startswith("Identity"):
                cmap = None
            else:
                try:
                    cmap = CMapDB.get_cmap(name)
                except Exception:  # an unknown CMap name: two bytes, as PDFium also assumes
                    cmap = None
        if cmap is None or not getattr(cmap, "code2cid", None):
            self.split = lambda s: (int.from_bytes(s[i:i + 2], "big") for i in range(0, len(s) - 1, 2))
        else:
            self.split = cmap.decode
        self.vertical = _name(encoding).endswith("-V")

    def _collection(self, spec: dict) -> Optional[dict]:
        try:
            descendant = resolve1(resolve1(spec.get("DescendantFonts"))[0])
            info = resolve1(descendant.get("CIDSystemInfo")) or {}
            ordering = _name(info.get("Ordering"))
            registry = _name(info.get("Registry"))
            umap = CMapDB.get_unicode_map(f"{registry}-{ordering}", getattr(self, "vertical", False))
            return umap.cid2unichr
        except Exception:  # Adobe-Identity and unknown orderings: no way to tell a space
            return None

    @staticmethod
    def _tounicode(obj) -> Optional[dict]:
        stream = resolve1(obj)
        if not isinstance(stream, PDFStream):
            return None
        try:
            umap = FileUnicodeMap()
            CMapParser(umap, io.BytesIO(stream.get_data())).run()
            return umap.cid2unichr
        except Exception:  # a broken ToUnicode: spaces cannot be told, count every glyph
            return None

    def glyphs(self, shown: bytes) -> int:
        n = 0
        for code in self.split(shown):
            text = self.to_text(code)
            if text is None or not text.isspace():
                n += 1
        return n


class Census:
    """Counts per page; fonts are read once per document (keyed by object id)."""

    def __init__(self):
        self._fonts: dict[int, _Font] = {}

    def page_glyphs(self, page_obj) -> int:
        """Glyphs the page's text operators paint, spaces and invisible text left out."""
        streams = [resolve1(s) for s in (page_obj.contents or [])]
        return self._count(streams, resolve1(page_obj.resources) or {}, 0, set())

    def _font(self, ref, resources: dict) -> Optional[_Font]:
        fonts = resolve1(resources.get("Font")) or {}
        obj = fonts.get(ref) if isinstance(fonts, dict) else None
        key = getattr(obj, "objid", None)
        if key is not None and key in self._fonts:
            return self._fonts[key]
        spec = resolve1(obj)
        if not isinstance(spec, dict):
            return None
        font = _Font(spec)
        if key is not None:
            self._fonts[key] = font
        return font

    def _count(self, streams: list, resources: dict, depth: int, seen: set) -> int:
        data = b"\n".join(s.get_data() for s in streams if isinstance(s, PDFStream))
        total, args = 0, []
        font: Any = None
        mode, stack = 0, []
        for op, args in _operations(data):
            if op == b"q":
                stack.append((font, mode))
            elif op == b"Q":
                if stack:
                    font, mode = stack.pop()
            elif op == b"Tf" and len(args) >= 2:
                font = self._font(args[-2], resources) if isinstance(args[-2], str) else None
            elif op == b"Tr" and args:
                mode = _int(args[-1], mode)
            elif op in _SHOW and args:
                if font is not None and mode not in INVISIBLE_RENDER_MODES:
                    shown = args[-1]
                    parts = shown if isinstance(shown, list) else [shown]
                    total += sum(font.glyphs(p) for p in parts if isinstance(p, bytes))
            elif op == b"Do" and args and depth < _MAX_FORM_DEPTH and isinstance(args[-1], str):
                total += self._form(args[-1], resources, depth, seen)
        return total

    def _form(self, name, resources: dict, depth: int, seen: set) -> int:
        xobjects = resolve1(resources.get("XObject")) or {}
        ref = xobjects.get(name) if isinstance(xobjects, dict) else None
        key = getattr(ref, "objid", None)
        xobj = resolve1(ref)
        if not isinstance(xobj, PDFStream) or _name(xobj.get("Subtype")) != "Form" or key in seen:
            return 0
        inner = resolve1(xobj.get("Resources")) or resources
        return self._count([xobj], inner, depth + 1, seen | {key})


_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_KEPT = {b"q", b"Q", b"Tf", b"Tr", b"Do", *_SHOW}  # operators whose operands matter here
# Each token takes the white space after it along: one match a token, not
# two (the census was a tenth of a page's extraction time).
_TOKEN = re.compile(
    rb"(?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)"
    rb"|(?P<str>\()"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)[\x00\t\n\x0c\r ]*"
    rb"|(?P<open><<|\[)[\x00\t\n\x0c\r ]*|(?P<close>>>|\])[\x00\t\n\x0c\r ]*"
    rb"|(?P<name>/[^\x00\t\n\x0c\r /\[\]()<>{}%]*)[\x00\t\n\x0c\r ]*"
    rb"|(?P<word>[^\x00\t\n\x0c\r /\[\]()<>{}%]+)[\x00\t\n\x0c\r ]*"
    rb"|(?P<other>.)",
    re.S,
)
_STRING_STOP = re.compile(rb"[()\\]")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
_OCTAL = re.compile(rb"[0-7]{1,3}")
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _number(word: bytes) -> Optional[float]:
    try:
        return float(word)
    except ValueError:
        return None


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """The literal string starting after '(' at ``pos``, and where it ends."""
    out, depth = bytearray(), 1
    while True:
        m = _STRING_STOP.search(data, pos)
        if m is None:
            return bytes(out + data[pos:]), len(data)
        out += data[pos:m.start()]
        c, pos = data[m.start()], m.end()
        if c == 0x5C:  # backslash
            if pos >= len(data):
                return bytes(out), pos
            e = data[pos]
            if e in _ESCAPES:
                out += _ESCAPES[e]
                pos += 1
            elif 0x30 <= e <= 0x37:
                o = _OCTAL.match(data, pos)
                assert o is not None  # e is an octal digit
                out.append(int(o.group(), 8) & 0xFF)
                pos = o.end()
            elif e in (0x0D, 0x0A):  # a line continuation
                pos += 2 if data[pos:pos + 2] == b"\r\n" else 1
            else:
                out.append(e)
                pos += 1
        elif c == 0x28:
            depth += 1
            out.append(c)
        else:
            depth -= 1
            if depth == 0:
                return bytes(out), pos
            out.append(c)


def _operations(data: bytes):
    """(operator, operands) for the operators in ``_KEPT``; names are str, strings bytes."""
    args: list = []
    nest: list[list] = []
    pos, end = 0, len(data)
    match = _TOKEN.match
    while pos < end:
        m = match(data, pos)
        assert m is not None  # _TOKEN's last alternative takes any byte
        kind, pos = m.lastgroup, m.end()
        if kind == "ws" or kind == "other":
            continue
        target = nest[-1] if nest else args
        if kind == "str":
            value, pos = _literal(data, pos)
            target.append(value)
        elif kind == "hex":
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", m.group("hex")[1:-1])
            target.append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif kind == "open":
            nest.append([])
        elif kind == "close":
            if nest:
                done = nest.pop()
                (nest[-1] if nest else args).append(done)
        elif kind == "name":
            raw_name = _NAME_ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), m.group("name")[1:])
            target.append(raw_name.decode("latin-1"))
        else:
            word = m.group("word")
            if nest or word[0] in b"0123456789+-." or word in (b"true", b"false", b"null"):
                target.append(_number(word))  # never bytes: bytes are shown strings
                continue
            if word == b"ID":  # inline image data: binary, up to the EI that ends it
                pos = m.end("word")  # the white space after ID is the data's to judge (ID EI: none)
                stop = _INLINE_END.search(data, pos)
                pos = stop.end() if stop else end
            elif word in _KEPT:
                yield word, args
            args = []
