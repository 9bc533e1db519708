"""Page furniture: running headers and footers that a PDF repeats on its pages.

"PAGE 2 OF 11", "V 1.0 - 20250529", "Docusign Envelope ID: ...", the document title on every
page: such lines are not part of any clause, and left in the text they land in the middle of
sentences that run across a page break, in chunks and in quotes. A line is furniture when it
sits among the first or last lines of its page and the same line (numbers aside) sits at about
the same place, in about the same size, on most pages. The page's own title, drawn larger on
the first page than the running header repeating it, is therefore kept.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .pdf_layout import Line

__all__ = ["PageLines", "split_furniture"]

# Headers and footers are found among this many lines at the top and the bottom of a page.
_EDGE_LINES = 3
# Same place: within this share of the page height; same size: within this share of the size.
_PLACE_TOLERANCE = 0.04
_SIZE_TOLERANCE = 0.15
# "Most pages": at least this share of the pages, and never fewer than two.
_MOST_PAGES = 0.5
_NUMBER = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageLines:
    """The reading lines of one page, with the page's height (points)."""

    lines: list[Line]
    height: float


@dataclass(frozen=True)
class _Candidate:
    page: int
    index: int
    edge: str  # "top" | "bottom"
    place: float  # share of the page height: from the top, or from the bottom
    size: float


def _key(text: str) -> str:
    """The line with its numbers made alike: "Page 2 of 11" and "Page 3 of 11" are one."""
    return _SPACES.sub(" ", _NUMBER.sub("#", text.casefold())).strip()


def split_furniture(pages: Sequence[PageLines]) -> list[tuple[list[Line], list[Line]]]:
    """For each page, (its lines without furniture, the furniture lines removed)."""
    groups: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    for number, page in enumerate(pages):
        for candidate, line in _candidates(number, page):
            groups[(candidate.edge, _key(line.text))].append(candidate)

    needed = max(2, math.ceil(_MOST_PAGES * len(pages)))
    furniture: set[tuple[int, int]] = set()
    for (_, key), candidates in groups.items():
        if not key:
            continue
        repeated = _consistent(candidates)
        if len({c.page for c in repeated}) >= needed:
            furniture.update((c.page, c.index) for c in repeated)

    result: list[tuple[list[Line], list[Line]]] = []
    for number, page in enumerate(pages):
        kept = [line for i, line in enumerate(page.lines) if (number, i) not in furniture]
        removed = [line for i, line in enumerate(page.lines) if (number, i) in furniture]
        result.append((kept, removed))
    return result


def _candidates(number: int, page: PageLines) -> list[tuple[_Candidate, Line]]:
    upright = [(i, line) for i, line in enumerate(page.lines) if not line.table_row]
    height = page.height or 1.0
    found: list[tuple[_Candidate, Line]] = []
    # A short page's few lines are both first and last: the half of the page a line is in
    # says whether it can be a header or a footer.
    for i, line in upright[:_EDGE_LINES]:
        if line.top < height / 2:
            found.append((_Candidate(number, i, "top", line.top / height, line.size), line))
    for i, line in upright[-_EDGE_LINES:]:
        if line.top >= height / 2:
            place = (height - line.bottom) / height
            found.append((_Candidate(number, i, "bottom", place, line.size), line))
    return found


def _consistent(candidates: list[_Candidate]) -> list[_Candidate]:
    """The occurrences that agree with the usual place and size of the line."""
    place = statistics.median(c.place for c in candidates)
    size = statistics.median(c.size for c in candidates)
    return [
        c
        for c in candidates
        if abs(c.place - place) <= _PLACE_TOLERANCE
        and abs(c.size - size) <= _SIZE_TOLERANCE * size
    ]
