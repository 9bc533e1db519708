"""Rebuilding reading lines for PDF pages that pypdf extracts one word per line.

Some generators (Google Docs exports, .NET report writers) place every word with its own
text operation. pypdf's default extraction then emits a line break after each word, which
hides section numbers and headings from the structure finder. pypdf's "layout" mode is no
cure: it snaps text to a fixed character grid and drops the space between words whose gap
is narrower than one grid cell ("4.Backups"). So the lines are rebuilt here from each text
run's position: runs are grouped by baseline, ordered by x, and a space is put between two
runs only where the page shows a gap, which needs the runs' real widths.
"""

from __future__ import annotations

import itertools
import logging
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypdf import PageObject

logger = logging.getLogger(__name__)

try:  # private pypdf API (pypdf >= 6): exact glyph widths, including the 14 core fonts
    from pypdf.generic._font import Font as _PdfFont
except ImportError:  # pragma: no cover - older pypdf: widths are estimated instead
    _PdfFont = None  # type: ignore[assignment,misc]

# Glyph width in 1/1000 em for fonts whose widths cannot be read: the narrowest plausible
# average (a run of i, l, t and r). No single estimate fits every word, and guessing too
# wide glues separately drawn words together ("thirtydays"), the worse mistake: on a page
# drawn word by word the runs are words. Guessing narrow puts a stray space only inside a
# word drawn letter by letter.
_FALLBACK_GLYPH_WIDTH = 250.0
# A gap wider than this share of the font size is a word space (a space is ~0.25 em).
_SPACE_GAP_EM = 0.15
# Runs whose baselines differ by less than this share of the font size share a line.
_SAME_LINE_EM = 0.4
# A line pitch this much larger than the page's usual pitch marks a paragraph break.
_PARAGRAPH_PITCH = 1.5
# Share of one-word lines above which a page counts as extracted word per line.
_WORD_PER_LINE_SHARE = 0.6
_MIN_LINES = 6

Measure = Callable[[str], float]


@dataclass(frozen=True)
class _Run:
    x: float
    y: float
    width: float
    size: float
    text: str


def single_word_share(text: str) -> float:
    """Share of non-blank lines holding a single word (0.0 for a page with no lines)."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    return sum(1 for words in lines if len(words) == 1) / len(lines)


def looks_word_per_line(text: str) -> bool:
    """True when most lines of an extracted page are single words.

    Short pages are left alone: a signature block or a table of one-word cells is
    legitimately a column of single words.
    """
    lines = sum(1 for line in text.splitlines() if line.strip())
    return lines >= _MIN_LINES and single_word_share(text) >= _WORD_PER_LINE_SHARE


def rebuild_lines(page: PageObject) -> str:
    """The page's text re-assembled into lines and paragraphs from text positions."""
    runs: list[_Run] = []
    measures: dict[int, Measure] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        a, b, c, d, e, f = _multiply(tm, cm)
        scale_x, scale_y = math.hypot(a, b), math.hypot(c, d)
        em = abs(size) * scale_y or 1.0
        measure = _measure_for(font, measures)
        # A run can span several lines when the generator moved down with T* or '.
        for i, piece in enumerate(text.split("\n")):
            if piece.strip():
                width = measure(piece) / 1000.0 * abs(size) * scale_x
                runs.append(_Run(x=e, y=f - i * em * 1.2, width=width, size=em, text=piece))

    page.extract_text(visitor_text=visit)
    return _assemble(runs)


def _multiply(m: list[float], n: list[float]) -> tuple[float, float, float, float, float, float]:
    """The affine product m x n, i.e. text space mapped to user space."""
    a = m[0] * n[0] + m[1] * n[2]
    b = m[0] * n[1] + m[1] * n[3]
    c = m[2] * n[0] + m[3] * n[2]
    d = m[2] * n[1] + m[3] * n[3]
    e = m[4] * n[0] + m[5] * n[2] + n[4]
    f = m[4] * n[1] + m[5] * n[3] + n[5]
    return a, b, c, d, e, f


def _fallback_measure(text: str) -> float:
    return _FALLBACK_GLYPH_WIDTH * len(text)


def _measure_for(font: Any, cache: dict[int, Measure]) -> Measure:
    """A width function (1/1000 em units) for the font, cached per font dictionary."""
    key = id(font)
    if key in cache:
        return cache[key]
    measure: Measure = _fallback_measure
    if _PdfFont is not None and font is not None:
        try:
            widths = _PdfFont.from_font_resource(font)
        except Exception:  # a malformed font only costs precision, never the page
            logger.debug("font widths unreadable; estimating", exc_info=True)
        else:

            def measure(text: str) -> float:
                units = widths.get_text_width(text)
                return units if units > 0 else _fallback_measure(text)

    cache[key] = measure
    return measure


def _assemble(runs: list[_Run]) -> str:
    lines = _group_lines(runs)
    if not lines:
        return ""
    baselines = [line[0].y for line in lines]
    pitches = [above - below for above, below in itertools.pairwise(baselines)]
    usual = statistics.median(pitches) if pitches else 0.0
    out: list[str] = [_join_runs(lines[0])]
    for pitch, line in zip(pitches, lines[1:], strict=True):
        if usual > 0 and pitch > _PARAGRAPH_PITCH * usual:
            out.append("")
        out.append(_join_runs(line))
    return "\n".join(out)


def _group_lines(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped by baseline, top of the page first, each line ordered left to right."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x)):
        if lines:
            head = lines[-1][0]
            if abs(head.y - run.y) <= _SAME_LINE_EM * max(head.size, run.size):
                lines[-1].append(run)
                continue
        lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _join_runs(line: list[_Run]) -> str:
    parts = [line[0].text]
    end = line[0].x + line[0].width
    for run in line[1:]:
        spaced = parts[-1][-1:].isspace() or run.text[:1].isspace()
        if not spaced and run.x - end > _SPACE_GAP_EM * run.size:
            parts.append(" ")
        parts.append(run.text)
        end = max(end, run.x + run.width)
    return "".join(parts)
