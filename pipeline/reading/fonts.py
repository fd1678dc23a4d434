"""The fonts PDFium may draw from: the project's own, never the machine's.

PDFium draws glyphs of fonts that are not embedded in the PDF from the
system's font folders; on a machine without Japanese fonts (a server, a
container, CI) it gives such glyphs zero width and leaves them out of its
text page, silently.  So sesaku's output would depend on what the machine
has installed.  PDFium can be initialised with its own font folders
instead: on Linux, ``FPDF_InitLibraryWithConfig`` with ``m_pUserFontPaths``
makes ``CFX_LinuxFontInfo`` scan only those folders and none of the
system's (core/fxge/linux/fx_linux_impl.cpp, ``ParseFontCfg``), and its
compiled-in Foxit fonts cover the standard 14.  The folder given is the
one of IPAexGothic shipped by the ``matplotlib-fontja`` package, a
dependency of sesaku, so every machine gives PDFium the same fonts.

pypdfium2 initialises PDFium on import with no font paths; ``configure``
re-initialises it once, before any document is open.  If that is not
possible (another part of the process opened a PDF first), ``PRIVATE``
stays False and the reader reads pages whose fonts are not embedded the
careful way (``reading.document``), so output still does not depend on
the machine.
"""

from __future__ import annotations

import ctypes
import importlib.util
import threading
from pathlib import Path
from typing import Any, Optional

import pypdfium2.raw as raw
from pypdfium2 import _library_scope
from pypdfium2.internal import bases

FONT_PACKAGE = "matplotlib_fontja"
FONT_FILE = "ipaexg.ttf"

_lock = threading.Lock()
_state: dict[str, Any] = {"configured": False, "private": False, "folder": None}
# PDFium keeps the pointers it is given: they must outlive the library.
_keep: list = []


def private_font_folder() -> Optional[Path]:
    """The folder holding the project's Japanese font, found without importing matplotlib."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "fonts"
        if (folder / FONT_FILE).is_file():
            return folder
    return None


def private_font_file() -> Optional[Path]:
    folder = private_font_folder()
    return folder / FONT_FILE if folder else None


def _open_objects() -> bool:
    return any(any(ref() is not None for ref in refs) for refs in bases.ObjectTracker.values())


def configure(folder: Optional[Path] = None) -> bool:
    """Re-initialise PDFium with only ``folder`` (default: the private font folder).

    Returns whether PDFium now draws from the project's fonts only.  Safe to
    call again: the first call decides.  ``folder`` is for tests that model
    other machines.
    """
    with _lock:
        if _state["configured"]:
            return bool(_state["private"])
        _state["configured"] = True
        folder = folder or private_font_folder()
        if folder is None or _open_objects():
            return False
        _library_scope.destroy_lib()
        path = ctypes.create_string_buffer(str(folder).encode())
        paths = (ctypes.POINTER(ctypes.c_char) * 2)(ctypes.cast(path, ctypes.POINTER(ctypes.c_char)), None)  # type: ignore[misc]  # a NULL pointer ends the list
        config = raw.FPDF_LIBRARY_CONFIG(
            version=2,
            m_pUserFontPaths=ctypes.cast(paths, ctypes.POINTER(ctypes.POINTER(ctypes.c_char))),
            m_pIsolate=None,
            m_v8EmbedderSlot=0,
        )
        raw.FPDF_InitLibraryWithConfig(config)
        bases.LIBRARY_AVAILABLE = True
        _keep.extend((path, paths, config))
        _state["private"], _state["folder"] = True, Path(folder)
        return True


def state() -> dict[str, Any]:
    """How PDFium was configured: ``{"configured", "private", "folder"}``."""
    return dict(_state)
