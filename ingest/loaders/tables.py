"""Table rows as text lines that keep their cells apart and say what each mark means.

A responsibility matrix ("Backups | X | " under "Duty | Customer | Provider") means nothing
once its header is out of sight: the row is read far from the header, in a chunk, a quote or
an answer. So in a table whose columns hold only marks (X, ✓, •, R/A/C/I, yes/no), each
marked cell is written with its column's header, and an empty one as "-":
"| Backups | Customer: X | Provider: - |". Other tables keep their cells as they are. Rows are
written like Markdown table rows, which the structure finder and the sentence splitter
already read as one unit per row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["table_lines"]

_MARKS = frozenset(
    {
        "x", "✓", "✔", "✗", "✘", "√", "•", "●", "■", "◼", "☑", "☒", "*", "+",
        "yes", "no", "y", "n", "r", "a", "c", "i", "s", "p", "n/a", "na",
        "-", "\u2013", "\u2014",  # a dash drawn in a cell is a mark that says "not this party"
    }
)  # fmt: skip
_EMPTY = "-"
_SPACES = re.compile(r"\s+")


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """One text line per row that has text; the first row is read as the header."""
    cleaned = [[_SPACES.sub(" ", cell).strip().replace("|", "/") for cell in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return []
    header, body = cleaned[0], cleaned[1:]
    marked = _mark_columns(header, body)
    lines = [_row_line(header)]
    for row in body:
        aligned = len(row) == len(header)  # a merged cell shifts the columns: no pairing
        cells = [
            f"{header[i]}: {cell or _EMPTY}" if aligned and i in marked else cell
            for i, cell in enumerate(row)
        ]
        lines.append(_row_line(cells))
    return lines


def _mark_columns(header: list[str], body: list[list[str]]) -> set[int]:
    """Columns after the first whose header names something and whose cells are all marks
    or empty, provided some column holds a mark at all (a column nobody is marked in is
    still a party's column: "Provider: -")."""
    columns: set[int] = set()
    marked = False
    for i in range(1, len(header)):
        cells = [row[i] for row in body if len(row) == len(header)]
        if header[i] and cells and all(not c or c.casefold() in _MARKS for c in cells):
            columns.add(i)
            marked = marked or any(cells)
    return columns if marked else set()


def _row_line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
