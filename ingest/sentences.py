"""Sentence spans in agreement text.

Quotes must be verbatim and chunks must never cut a sentence in half, so sentences are
returned as (start, end) spans into the original text rather than as rewritten strings.
Every non-whitespace character of the input lies in exactly one span.

Legal text defeats naive splitting on ". ": abbreviations ("e.g.", "Inc.", "U.S."),
section numbers ("Section 4.2 applies"), list markers at line start ("1.", "(a)") and
PDF-extracted text whose wrapped lines are separated by blank lines. The rules below are
deliberately conservative: a missed boundary only makes a quote longer, a false one can
make it misleading.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["split_sentences"]

# Words that end with a period without ending the sentence (compared lower-case, no dot).
_ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "eg",
        "ie",
        "inc",
        "ltd",
        "co",
        "corp",
        "llc",
        "plc",
        "no",
        "nos",
        "sec",
        "secs",
        "art",
        "arts",
        "para",
        "paras",
        "cl",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "vs",
        "v",
        "cf",
        "approx",
        "fig",
        "p",
        "pp",
        "vol",
        "jr",
        "sr",
        "dept",
        "ca",
        "viz",
        "al",
        "u.s",
        "u.k",
        "e.u",
        "n.a",
        "b.v",
        "s.a",
        "s.r.l",
        "ch",
        "subs",
    }
)

# A line that starts a new unit: bullets, numbering, headings, table rows, HTML list items.
_BLOCK_START = re.compile(
    r"""[ \t]*(?:
        [-*+•▪◦][ \t]                         # bullet
      | \#{1,6}[ \t]                          # markdown heading
      | \|                                    # table row
      | <(?:li|h[1-6]|p|ol|ul|tr|td)\b         # HTML block
      | (?:\*\*|__)?\d{1,3}(?:\.\d{1,3})*\\?[.)](?:\*\*|__)?[ \t]  # 1. 1.2. 1)
      | (?:\*\*|__)?\((?:[a-zA-Z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,3})\)(?:\*\*|__)?[ \t]  # (a)
      | [a-z]\)[ \t]                          # a)
      | (?:[a-zA-Z]|[ivx]{2,5})\.[ \t]+(?=[A-Z(“"])  # a. Upon / ii. The (inline lists)
    )""",
    re.VERBOSE,
)

# Lines that are themselves a heading or a rule: the line break after them always ends a unit.
_HEADING_LINE = re.compile(
    r"""[ \t]*(?:
        \#{1,6}[ \t].*
      | [=\-_*\s]{3,}
      | [*_]{1,4}+[^*_\n]{1,150}[*_]{1,4}+[ \t]*:?  # possessive: "____" lines stay linear
      | \|.*
    )""",
    re.VERBOSE,
)

_TERMINAL_END = re.compile(r"""[.!?:;][)"'”\u2019*_\]]*\s*$""")
_SENTENCE_END = re.compile(r"""[.!?][)"'”\u2019*_\]]*\s*$""")
_SENTENCE_STARTER = re.compile(r"""[\s*_]*[A-Z0-9“"\u2018'(\[<§]""")
_PERIOD = re.compile(r"""[.!?]+[)"'”\u2019*_\]]*(?=\s)""")
_TOKEN_BEFORE = re.compile(r"""([\w.]+)$""")
_LINE_MARKER = re.compile(
    r"""[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?\(?"""
    r"""(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,6})$"""
)


def _is_abbreviation(before: str) -> bool:
    """Whether the text just before a period makes that period non-final."""
    match = _TOKEN_BEFORE.search(before)
    if not match:
        return False
    token = match.group(1).lower().strip(".")
    if token in _ABBREVIATIONS:
        return True
    # Single letters and dotted initials: "J.", "U.S", "I.B" (Annex I.B.).
    return bool(re.fullmatch(r"[a-z](?:\.[a-z])*", token))


def _period_boundaries(text: str, line_start: int, line: str) -> list[int]:
    """Boundaries (absolute offsets just after the punctuation) inside one line."""
    found: list[int] = []
    for match in _PERIOD.finditer(line):
        end = match.end()
        rest = line[end:]
        if not rest.strip():
            continue  # end of line: handled by the line-break rules
        if not _SENTENCE_STARTER.match(rest):
            continue
        before = line[: match.start()]
        if match.group(0).startswith(".") and _is_abbreviation(before):
            continue
        if _LINE_MARKER.fullmatch(before):
            continue  # "1." / "(a." / "**1.1." at the start of the line is numbering
        found.append(line_start + end)
    return found


def _line_break_ends_unit(prev_line: str, next_line: str, blank_lines: int) -> bool:
    """Whether the break between two non-blank lines ends a sentence.

    PDF-extracted text often separates every wrapped line with a blank line, so a single
    blank line only ends a sentence when the previous line ends like one does.
    """
    if _BLOCK_START.match(next_line) or _HEADING_LINE.fullmatch(prev_line):
        return True
    if blank_lines >= 2:
        return True
    if blank_lines == 1:
        return bool(_TERMINAL_END.search(prev_line))
    # A line that ends a sentence followed by one that starts one: wrapped or not, that is a
    # boundary, unless the period belongs to an abbreviation ("Inc.\nThe").
    ended = _SENTENCE_END.search(prev_line)
    return bool(
        ended
        and _SENTENCE_STARTER.match(next_line)
        and not _is_abbreviation(prev_line[: ended.start()])
    )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, in order, stripped of whitespace."""
    boundaries: list[int] = []
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in text.split("\n"):
        lines.append((offset, raw))
        offset += len(raw) + 1

    prev: tuple[int, str] | None = None
    blanks = 0
    for start, line in lines:
        if not line.strip():
            blanks += 1
            continue
        if prev is not None and _line_break_ends_unit(prev[1], line, blanks):
            boundaries.append(start)
        boundaries.extend(_period_boundaries(text, start, line))
        prev = (start, line)
        blanks = 0

    spans: list[tuple[int, int]] = []
    cuts = [0, *sorted(set(boundaries)), len(text)]
    for a, b in itertools.pairwise(cuts):
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans
