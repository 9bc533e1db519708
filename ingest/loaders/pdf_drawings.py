"""What a PDF page draws besides text: the rulings of its tables and its images.

Tables are found from their rulings (see `pdf_tables`), so the page's path objects are read
through PDFium: a thin filled rectangle is one ruling, and each axis-aligned straight segment
of a stroked path is one. Filled shapes that are not thin (cell shading, backgrounds, logos)
are left out: their edges are not borders. Images are measured to tell a scanned page (one
picture covering the page, perhaps under a stamped line of text) from a page with a logo.
Coordinates are points from the top-left corner.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["Ruling", "has_drawings", "image_coverage", "read_rulings"]

# Thinner than this (points) a filled rectangle is a line; shorter than this it is a tick.
_THIN = 2.0
_MIN_LENGTH = 4.0
# A segment this close to axis-aligned (points over its length) counts as straight.
_SLANT = 1.0
_MAX_FORM_DEPTH = 4

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Ruling:
    """A horizontal (y0 == y1) or vertical (x0 == x1) line, x0 <= x1 and y0 <= y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y1 - self.y0 <= self.x1 - self.x0


def read_rulings(page: pdfium.PdfPage) -> list[Ruling]:
    """Every horizontal and vertical ruling drawn on the page, forms included."""
    height = page.get_height()
    rulings: list[Ruling] = []
    for obj, matrix in _objects(page.raw, _IDENTITY, 0):
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH:
            rulings.extend(_path_rulings(obj, matrix, height))
    return rulings


def has_drawings(page: pdfium.PdfPage) -> bool:
    """Whether the page draws anything at all (an image, a path, a shading, text)."""
    return bool(pdfium_c.FPDFPage_CountObjects(page.raw) > 0)


def image_coverage(page: pdfium.PdfPage) -> float:
    """The share of the page's area that its largest image covers (0.0 to 1.0)."""
    area = float(page.get_width()) * float(page.get_height())
    if area <= 0:
        return 0.0
    left, bottom = ctypes.c_float(), ctypes.c_float()
    right, top = ctypes.c_float(), ctypes.c_float()
    largest = 0.0
    for obj, matrix in _objects(page.raw, _IDENTITY, 0):
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        corners = [
            _apply(matrix, x, y)
            for x in (left.value, right.value)
            for y in (bottom.value, top.value)
        ]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        largest = max(largest, (max(xs) - min(xs)) * (max(ys) - min(ys)))
    return min(1.0, largest / area)


def _objects(
    container: object, matrix: Matrix, depth: int
) -> Iterator[tuple[object, Matrix]]:
    """Page objects with the matrix from their form's space to the page (forms unfolded)."""
    is_form = depth > 0
    count = (
        pdfium_c.FPDFFormObj_CountObjects(container)
        if is_form
        else pdfium_c.FPDFPage_CountObjects(container)
    )
    for index in range(max(count, 0)):
        obj = (
            pdfium_c.FPDFFormObj_GetObject(container, index)
            if is_form
            else pdfium_c.FPDFPage_GetObject(container, index)
        )
        if not obj:
            continue
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < _MAX_FORM_DEPTH:
                yield from _objects(obj, _compose(_matrix_of(obj), matrix), depth + 1)
            continue
        yield obj, matrix


def _matrix_of(obj: object) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_rulings(obj: object, outer: Matrix, height: float) -> list[Ruling]:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return []
    filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE
    if not filled and not stroke.value:
        return []  # a clipping path or an invisible shape
    matrix = _compose(_matrix_of(obj), outer)
    points = _segments(obj, matrix)
    xs = [x for segment in points for x, _ in segment]
    ys = [y for segment in points for _, y in segment]
    if not xs:
        return []
    width, tall = max(xs) - min(xs), max(ys) - min(ys)
    if filled and not stroke.value:
        # A filled shape is a ruling only when it is a thin bar.
        if min(width, tall) <= _THIN and max(width, tall) >= _MIN_LENGTH:
            return [_ruling(min(xs), min(ys), max(xs), max(ys), height, bar=True)]
        return []
    rulings: list[Ruling] = []
    for segment in points:
        for (xa, ya), (xb, yb) in itertools.pairwise(segment):
            straight = abs(xa - xb) <= _SLANT or abs(ya - yb) <= _SLANT
            if straight and max(abs(xa - xb), abs(ya - yb)) >= _MIN_LENGTH:
                rulings.append(_ruling(xa, ya, xb, yb, height, bar=False))
    return rulings


def _segments(obj: object, matrix: Matrix) -> list[list[tuple[float, float]]]:
    """The path's subpaths as point lists in page space (curves reduced to their ends)."""
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(max(pdfium_c.FPDFPath_CountSegments(obj), 0)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = _apply(matrix, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:  # a curve: not a ruling, but its end is where the next segment starts
            subpaths.append([point])
        if pdfium_c.FPDFPathSegment_GetClose(segment) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _ruling(xa: float, ya: float, xb: float, yb: float, height: float, *, bar: bool) -> Ruling:
    """A ruling in top-down coordinates, collapsed onto its axis."""
    x0, x1 = sorted((xa, xb))
    top, bottom = sorted((height - ya, height - yb))
    if x1 - x0 >= bottom - top:  # horizontal
        middle = (top + bottom) / 2 if bar else top
        return Ruling(x0, middle, x1, middle)
    centre = (x0 + x1) / 2 if bar else x0
    return Ruling(centre, top, centre, bottom)
