"""Reading lines and paragraphs rebuilt from the positions of a page's characters.

Many generators (Google Docs exports, several .NET writers) draw every word, or every few
letters, with its own text operation and no space character between them. Whether two
characters belong to one word is then only told by the gap between them, so words are joined
here from positions and widths:
- characters that share a baseline form a line, left to right, whatever order they are drawn in;
- a drawn space character is a word break; otherwise a gap wider than a share of the font size
  is one. That share is set per document from its own gaps, because spacing differs between
  generators and fonts (justified text stretches spaces, tight fonts shrink them);
- a word drawn in pieces ("Pro" + "cessing" with no gap) stays one word, because nothing
  between the pieces looks like a space;
- lines are read top to bottom, and a line pitch well above the page's usual one starts a
  paragraph (an empty line).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .pdf_glyphs import Glyph

__all__ = ["Line", "group_lines", "join_paragraphs", "space_threshold"]

# Word-break gap, as a share of the font size, when a document shows too few gaps to measure.
# Measured on real PDFs: gaps inside words stay under 0.11 em (kerning, tight pairs like "),"),
# gaps between words start at 0.13 em (a tight justified line) and sit around 0.2-0.35 em.
_DEFAULT_SPACE_EM = 0.12
_MIN_SPACE_EM = 0.10
_MAX_SPACE_EM = 0.16
# Gaps this wide are surely word breaks; half their median is where a break starts.
_SURE_SPACE_EM = 0.15
_MAX_WORD_GAP_EM = 1.0
_MIN_MEASURED_GAPS = 20
# Two glyphs share a line when their baselines are this close (share of the larger size);
# superscripts and subscripts sit about 0.33 em off the baseline and stay on their line.
_SAME_LINE_EM = 0.5
# A glyph this far left of the previous one (share of its size) starts a new run of text.
_BACKWARDS_EM = 0.3
# A line pitch this much larger than the page's usual one marks a paragraph break.
_PARAGRAPH_PITCH = 1.4
# Same character drawn again within this share of its size: a fake-bold overprint.
_OVERPRINT_EM = 0.15


@dataclass(frozen=True)
class Line:
    """One reading line of a page, with where it lies."""

    text: str
    left: float
    right: float
    top: float
    bottom: float
    size: float
    table_row: bool = False

    @property
    def baseline(self) -> float:
        return self.bottom


def space_threshold(pages: Iterable[Sequence[Glyph]]) -> float:
    """The gap (share of the font size) above which two characters are two words, for a
    document: half the median of its clearly-wide gaps, kept within measured bounds."""
    wide: list[float] = []
    for glyphs in pages:
        for run in _runs(glyphs):
            wide.extend(
                gap
                for gap in _gaps(run)
                if _SURE_SPACE_EM <= gap <= _MAX_WORD_GAP_EM
            )
    if len(wide) < _MIN_MEASURED_GAPS:
        return _DEFAULT_SPACE_EM
    return min(_MAX_SPACE_EM, max(_MIN_SPACE_EM, statistics.median(wide) / 2))


def group_lines(glyphs: Sequence[Glyph], threshold: float) -> list[Line]:
    """The page's glyphs as lines of text, top to bottom; rotated text comes last."""
    upright = [g for g in glyphs if not g.rotated]
    rotated = [g for g in glyphs if g.rotated]
    lines = [_make_line(members, threshold) for members in _merge_runs(_runs(upright))]
    lines.sort(key=lambda line: (line.top, line.left))
    lines.extend(_make_line([run], threshold) for run in _rotated_runs(rotated))
    return [line for line in lines if line.text]


def join_paragraphs(lines: Sequence[Line]) -> str:
    """The lines as text, with an empty line where the page leaves a paragraph gap."""
    if not lines:
        return ""
    usual = _usual_pitch(lines)
    out = [lines[0].text]
    for above, below in itertools.pairwise(lines):
        if _paragraph_break(above, below, usual):
            out.append("")
        out.append(below.text)
    return "\n".join(out)


# --- runs: glyphs drawn one after the other on one baseline ---------------------------------


def _runs(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    runs: list[list[Glyph]] = []
    for glyph in glyphs:
        if glyph.rotated:
            continue
        if runs and _continues(runs[-1][-1], glyph):
            runs[-1].append(glyph)
        else:
            runs.append([glyph])
    return runs


def _continues(prev: Glyph, glyph: Glyph) -> bool:
    size = max(prev.size, glyph.size)
    same_line = abs(glyph.baseline - prev.baseline) <= _SAME_LINE_EM * size
    return same_line and glyph.left >= prev.left - _BACKWARDS_EM * size


def _gaps(run: Sequence[Glyph]) -> Iterable[float]:
    """Gaps (share of the font size) between neighbouring non-space glyphs of a run that no
    drawn space separates: the gaps whose meaning has to be measured."""
    for prev, glyph in itertools.pairwise(run):
        if not prev.is_space and not glyph.is_space:
            yield (glyph.left - prev.right) / max(prev.size, glyph.size, 1e-6)


def _rotated_runs(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Rotated text (margin notes, stamps) kept in drawing order, a run per nearby stretch."""
    runs: list[list[Glyph]] = []
    for glyph in glyphs:
        if runs:
            last = runs[-1][-1]
            near = abs(glyph.top - last.top) + abs(glyph.left - last.left) <= 3 * glyph.size
            if near:
                runs[-1].append(glyph)
                continue
        runs.append([glyph])
    return runs


# --- lines: runs that share a baseline ------------------------------------------------------


def _merge_runs(runs: list[list[Glyph]]) -> list[list[list[Glyph]]]:
    """Runs grouped into lines (a line is a list of runs, left to right)."""
    ordered = sorted(runs, key=lambda run: _run_baseline(run))
    lines: list[list[list[Glyph]]] = []
    for run in ordered:
        if lines and _same_line(lines[-1], run):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda run: min(g.left for g in run)) for line in lines]


def _run_baseline(run: Sequence[Glyph]) -> float:
    # The most common baseline: a superscript must not move its whole run.
    return statistics.median_low(g.baseline for g in run)


def _run_size(run: Sequence[Glyph]) -> float:
    return statistics.median_high(g.size for g in run)


def _same_line(line: list[list[Glyph]], run: list[Glyph]) -> bool:
    anchor = line[0]
    size = max(_run_size(anchor), _run_size(run))
    return abs(_run_baseline(run) - _run_baseline(anchor)) <= _SAME_LINE_EM * size


def _make_line(runs: Sequence[Sequence[Glyph]], threshold: float) -> Line:
    glyphs = _without_overprints([g for run in runs for g in run])
    text = _spell(glyphs, threshold)
    visible = [g for g in glyphs if not g.is_space] or list(glyphs)
    return Line(
        text=text,
        left=min(g.left for g in visible),
        right=max(g.right for g in visible),
        top=min(g.top for g in visible),
        bottom=statistics.median_low(g.baseline for g in visible),
        size=statistics.median_high(g.size for g in visible),
    )


def _without_overprints(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop a character drawn a second time over itself (fake bold, shadowed text)."""
    kept: list[Glyph] = []
    for glyph in glyphs:
        if not glyph.is_space and any(
            other.char == glyph.char
            and abs(other.left - glyph.left) <= _OVERPRINT_EM * glyph.size
            and abs(other.baseline - glyph.baseline) <= _OVERPRINT_EM * glyph.size
            for other in kept[-3:]
        ):
            continue
        kept.append(glyph)
    return kept


def _spell(glyphs: Sequence[Glyph], threshold: float) -> str:
    """The characters of a line, with a space at every drawn space or wide enough gap."""
    out: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    for glyph in glyphs:
        if glyph.is_space:
            pending_space = prev is not None
            continue
        if prev is not None:
            gap = glyph.left - prev.right
            if pending_space or gap > threshold * max(prev.size, glyph.size):
                out.append(" ")
        out.append(glyph.char)
        prev = glyph
        pending_space = False
    return "".join(out)


# --- paragraphs -----------------------------------------------------------------------------


def _usual_pitch(lines: Sequence[Line]) -> float:
    pitches = [
        below.baseline - above.baseline
        for above, below in itertools.pairwise(lines)
        if not above.table_row and not below.table_row and below.baseline > above.baseline
    ]
    return statistics.median(pitches) if pitches else 0.0


def _paragraph_break(above: Line, below: Line, usual: float) -> bool:
    if above.table_row != below.table_row:
        return True  # a table stands apart from the text around it
    if above.table_row:
        return False
    pitch = below.baseline - above.baseline
    return usual > 0 and pitch > _PARAGRAPH_PITCH * usual
