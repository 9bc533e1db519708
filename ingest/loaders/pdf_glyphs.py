"""The characters of a PDF page with their boxes, read through PDFium.

Text is rebuilt from positions (see `pdf_layout`), so each character comes with where it is
drawn and how big its font is. PDFium's own text output is not used: it invents spaces and
line breaks ("generated" characters) whose rules cannot be changed, and tables, running
headers and hyphenated line ends need decisions of our own. Only characters that are really
drawn are kept, space characters included (they settle a word break without measuring).

Coordinates are PDF points measured from the top-left corner of the page, so sorting by `top`
reads the page downwards.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["Glyph", "read_glyphs"]

# PDFium puts U+0002 where a hyphen ends a line it thinks is broken inside a word; whether the
# word is joined is decided later, so it is read back as the hyphen that is drawn.
_PDFIUM_HYPHEN = "\x02"
# Characters rotated by more than this (radians) do not run left to right.
_ROTATED = 0.1


@dataclass(frozen=True, slots=True)
class Glyph:
    """One drawn character."""

    char: str
    left: float
    right: float
    top: float
    bottom: float
    baseline: float
    size: float  # the font size as drawn (text and page matrices applied), in points
    rotated: bool = False

    @property
    def is_space(self) -> bool:
        return self.char.isspace()

    @property
    def middle(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


def read_glyphs(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[Glyph]:
    """Every drawn character of the page, in the order the page draws them."""
    handle = textpage.raw
    height = page.get_height()
    count = pdfium_c.FPDFText_CountChars(handle)
    box = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    glyphs: list[Glyph] = []
    for index in range(max(count, 0)):
        if pdfium_c.FPDFText_IsGenerated(handle, index) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(handle, index)
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            continue  # unmapped, or half of a pair PDFium reports separately
        char = chr(code)
        if char == _PDFIUM_HYPHEN:
            char = "-"
        if char in "\r\n" or not pdfium_c.FPDFText_GetLooseCharBox(handle, index, box):
            continue
        pdfium_c.FPDFText_GetCharOrigin(handle, index, origin_x, origin_y)
        size = pdfium_c.FPDFText_GetFontSize(handle, index)
        if pdfium_c.FPDFText_GetMatrix(handle, index, matrix):
            size *= math.hypot(matrix.c, matrix.d)
        angle = pdfium_c.FPDFText_GetCharAngle(handle, index)
        rotated = angle > _ROTATED and abs(angle - 2 * math.pi) > _ROTATED
        glyphs.append(
            Glyph(
                char=char,
                left=min(box.left, box.right),
                right=max(box.left, box.right),
                top=height - max(box.top, box.bottom),
                bottom=height - min(box.top, box.bottom),
                baseline=height - origin_y.value,
                size=size if size > 0 else max(box.top - box.bottom, 1.0),
                rotated=rotated,
            )
        )
    return glyphs
