"""Ruled tables on a PDF page, read cell by cell.

Read line by line, a table's cells run together ("Backups X Provider's duty..."), and a cell
that wraps onto three lines interleaves with its neighbours. So tables are found from their
borders: rulings that cross each other form a grid; its columns are bounded by the vertical
rulings, its rows by the horizontal ones, and each character goes to the cell its middle
falls in. A vertical border missing inside a row is a merged cell. A grid needs at least two
rows and two columns with text in two cells: a box drawn around one paragraph is no table.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from .pdf_drawings import Ruling
from .pdf_glyphs import Glyph

__all__ = ["Table", "find_tables"]

# Rulings closer than this (points) touch, or lie on one line.
_TOUCH = 2.5
_MIN_BAND = 3.0


@dataclass(frozen=True)
class Table:
    """A grid found on a page: its box and its cells' glyphs, row by row."""

    left: float
    top: float
    right: float
    bottom: float
    rows: list[list[list[Glyph]]]  # rows -> cells -> glyphs
    row_tops: list[float]

    def holds(self, glyph: Glyph) -> bool:
        x, y = glyph.middle
        return self.left <= x <= self.right and self.top <= y <= self.bottom


def find_tables(rulings: Sequence[Ruling], glyphs: Sequence[Glyph]) -> list[Table]:
    """The ruled tables of a page, top first."""
    tables: list[Table] = []
    for group in _connected(list(rulings)):
        table = _grid(group, glyphs)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: t.top)


def _connected(rulings: list[Ruling]) -> list[list[Ruling]]:
    """Rulings grouped by touching or crossing each other (union-find)."""
    parent = list(range(len(rulings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontal = [i for i, r in enumerate(rulings) if r.horizontal]
    vertical = [i for i, r in enumerate(rulings) if not r.horizontal]
    for h in horizontal:
        for v in vertical:
            if _cross(rulings[h], rulings[v]):
                parent[root(h)] = root(v)
    groups: dict[int, list[Ruling]] = {}
    for i, ruling in enumerate(rulings):
        groups.setdefault(root(i), []).append(ruling)
    return [g for g in groups.values() if any(r.horizontal for r in g) and not all(
        r.horizontal for r in g
    )]


def _cross(h: Ruling, v: Ruling) -> bool:
    return (
        h.x0 - _TOUCH <= v.x0 <= h.x1 + _TOUCH and v.y0 - _TOUCH <= h.y0 <= v.y1 + _TOUCH
    )


def _cluster(values: Sequence[float]) -> list[float]:
    """Positions that lie within touching distance of each other, merged to their mean."""
    merged: list[list[float]] = []
    for value in sorted(values):
        if merged and value - merged[-1][-1] <= _TOUCH:
            merged[-1].append(value)
        else:
            merged.append([value])
    return [sum(group) / len(group) for group in merged]


def _grid(rulings: list[Ruling], glyphs: Sequence[Glyph]) -> Table | None:
    horizontal = [r for r in rulings if r.horizontal]
    vertical = [r for r in rulings if not r.horizontal]
    left = min(r.x0 for r in rulings)
    right = max(r.x1 for r in rulings)
    top = min(r.y0 for r in rulings)
    bottom = max(r.y1 for r in rulings)
    xs = _bands(_cluster([r.x0 for r in vertical] + [left, right]))
    ys = _bands(_cluster([r.y0 for r in horizontal] + [top, bottom]))
    if len(xs) < 3 or len(ys) < 3:
        return None

    inside = [g for g in glyphs if left <= g.middle[0] <= right and top <= g.middle[1] <= bottom]
    cells: dict[tuple[int, int], list[Glyph]] = {}
    for glyph in inside:
        x, y = glyph.middle
        row = bisect.bisect_right(ys, y) - 1
        column = bisect.bisect_right(xs, x) - 1
        row = min(max(row, 0), len(ys) - 2)
        column = min(max(column, 0), len(xs) - 2)
        cells.setdefault((row, column), []).append(glyph)
    if sum(1 for members in cells.values() if any(not g.is_space for g in members)) < 2:
        return None

    rows: list[list[list[Glyph]]] = []
    row_tops: list[float] = []
    for row in range(len(ys) - 1):
        if not any((row, column) in cells for column in range(len(xs) - 1)):
            continue
        middle = (ys[row] + ys[row + 1]) / 2
        rows.append(_row_cells(row, xs, middle, vertical, cells))
        row_tops.append(ys[row])
    if len(rows) < 2:
        return None
    return Table(left, top, right, bottom, rows, row_tops)


def _bands(edges: list[float]) -> list[float]:
    """Band edges without the slivers between doubled borders."""
    kept: list[float] = []
    for edge in edges:
        if kept and edge - kept[-1] < _MIN_BAND:
            continue
        kept.append(edge)
    return kept


def _row_cells(
    row: int,
    xs: list[float],
    middle: float,
    vertical: list[Ruling],
    cells: dict[tuple[int, int], list[Glyph]],
) -> list[list[Glyph]]:
    """The row's cells; a column border not drawn across this row merges its two cells."""
    out: list[list[Glyph]] = [list(cells.get((row, 0), []))]
    for column in range(1, len(xs) - 1):
        border = xs[column]
        drawn = any(
            abs(v.x0 - border) <= _TOUCH and v.y0 - _TOUCH <= middle <= v.y1 + _TOUCH
            for v in vertical
        )
        glyphs = list(cells.get((row, column), []))
        if drawn:
            out.append(glyphs)
        else:
            out[-1].extend(glyphs)
    return out
