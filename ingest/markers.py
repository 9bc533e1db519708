"""Recognising the numbering that opens a line of an agreement ("4.2", "(a)", "Clause 12").

Kept apart from the clause builder because the same vocabulary of markers is needed to
decide what a line is, and to name the section it opens. A marker is only a candidate:
whether it really opens a section (or is a wrapped line that happens to start with "(30)")
is decided by the builder from the sequence it would continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Marker", "clean_inline", "parse_marker", "roman_value"]

# Divisions group clauses but do not prefix the numbers inside them ("Part 2" restarts at 1).
DIVISION_KEYWORDS = frozenset({"part", "chapter", "title"})
# Attachments stand outside the clause hierarchy: they close every open numbered item.
ATTACHMENT_KEYWORDS = frozenset(
    {"annex", "schedule", "appendix", "exhibit", "attachment", "addendum"}
)

_EMPH_OPEN = re.compile(r"(?:\*\*|__|\*(?!\s)|_)*")
_EMPH_CLOSE = re.compile(r"(?:\*\*|__|\*|_)*")
_KEYWORD = re.compile(
    r"(?i:(article|section|clause|annex|schedule|appendix|exhibit|attachment|part|chapter"
    r"|title|addendum))[ \t]+"
    r"(\d{1,3}(?:\.\d{1,3})*[A-Za-z]?|[IVXLC]{1,7}(?:\.[A-Z0-9]{1,3})*|[A-Z](?:\.\d{1,3})*)"
    r"(?![A-Za-z0-9(]|\.[A-Za-z0-9])"
)
_DOTTED = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)(\\?\.|\))?(?=[\s*_])")
_PAREN = re.compile(r"\((\d{1,3}|[a-zA-Z]{1,2}|[ivxlcIVXLC]{1,7})\)(?=[\s*_])")
_RPAREN = re.compile(r"(\d{1,3}|[a-z]|[ivxlc]{1,7})\)(?=\s)")
_LETTER_DOT = re.compile(r"([A-Za-z]|[IVXLC]{1,7})\\?\.(?=\s)")
_SEPARATOR = re.compile(r"[\s*_]*(?:[-\u2013—:.][\s*_]*)?")
_TITLE_START = re.compile(r"""[\s*_]*[A-Z0-9“"\u2018'\[(]""")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


@dataclass(frozen=True)
class Marker:
    """A numbering candidate at the start of a line.

    `kinds` lists the sequences the marker could belong to, most likely first: "(i)" may be
    the ninth letter or the first roman numeral, and only the sequence decides.
    """

    kinds: tuple[tuple[str, int], ...]  # (kind, value)
    label: str  # the number as written, without punctuation: "4.2", "a", "iv", "Clause 8"
    rest: str  # the text after the marker, emphasis and separator removed
    rest_offset: int  # offset of `rest` within the analysed line
    keyword: str | None = None  # lower-case keyword for "Article 4"-style markers
    dotted: tuple[int, ...] = ()  # components of a decimal number
    bare: bool = False  # a number with no "." or ")" after it: "4 Security"
    separated: bool = True  # punctuation or nothing after the marker: "Clause 2: Title"


def roman_value(s: str) -> int | None:
    """Value of a lower- or upper-case roman numeral, None when it is not well formed."""
    s = s.lower()
    if not s or any(ch not in _ROMAN for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        nxt = _ROMAN[s[i + 1]] if i + 1 < len(s) else 0
        total += -v if v < nxt else v
    if total <= 0 or _to_roman(total) != s:
        return None
    return total


def _to_roman(n: int) -> str:
    parts = [(100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
             (4, "iv"), (1, "i")]
    out = []
    for v, sym in parts:
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def clean_inline(s: str) -> str:
    """Heading text without markdown emphasis, escapes, HTML tags and surrounding marks."""
    s = re.sub(r"<[^>]+>", " ", s)
    s = re.sub(r"\\(.)", r"\1", s)
    s = re.sub(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w))", "", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip(" \t-\u2013—:|#")


def _letter_kinds(tok: str, prefix: str, suffix: str) -> list[tuple[str, int]]:
    """Possible sequences of a letter-like token: letters and roman numerals."""
    kinds: list[tuple[str, int]] = []
    lower = tok.islower()
    if len(tok) == 1:
        kinds.append((f"{prefix}{'a' if lower else 'A'}{suffix}", ord(tok.lower()) - 96))
    elif len(tok) == 2 and tok[0] == tok[1] and not roman_value(tok):
        kinds.append((f"{prefix}{'a' if lower else 'A'}{suffix}", 26 + ord(tok[0].lower()) - 96))
    rv = roman_value(tok)
    if rv is not None and (tok.islower() or tok.isupper()):
        kinds.append((f"{prefix}{'i' if lower else 'I'}{suffix}", rv))
    return kinds


def _after(line: str, end: int) -> tuple[str, int]:
    close = _EMPH_CLOSE.match(line, end)
    pos = close.end() if close else end
    sep = _SEPARATOR.match(line, pos)
    pos = sep.end() if sep else pos
    return line[pos:].rstrip(), pos


def parse_marker(line: str) -> Marker | None:
    """The numbering candidate that opens `line` (already stripped of indentation)."""
    opened = _EMPH_OPEN.match(line)
    start = opened.end() if opened else 0

    m = _KEYWORD.match(line, start)
    if m:
        rest, pos = _after(line, m.end())
        if not m.group(1)[0].isupper() or (rest and not _TITLE_START.match(rest)):
            return None  # "section 11 of this DPA" in wrapped text is a reference, not a title
        keyword = m.group(1).lower()
        number = m.group(2)
        dotted = tuple(int(p) for p in number.split(".")) if number[0].isdigit() else ()
        if number[0].isdigit() and not number.replace(".", "").isdigit():
            dotted = ()
        value = dotted[0] if dotted else (roman_value(number.split(".")[0]) or
                                          ord(number[0].upper()) - 64)
        label = f"{m.group(1)} {number}"
        separated = not rest or bool(re.match(r"[\s*_]*[-\u2013—:.]", line[m.end():]))
        return Marker(
            ((f"kw:{keyword}", value),), label, rest, pos, keyword, dotted, separated=separated
        )

    m = _DOTTED.match(line, start)
    if m:
        comps = tuple(int(p) for p in m.group(1).split("."))
        punct = m.group(2) or ""
        rest, pos = _after(line, m.end())
        if punct == ")" and len(comps) == 1:
            return Marker((("1)", comps[0]),), m.group(1), rest, pos, dotted=comps)
        if punct == ")":
            return None
        if (len(comps) > 1 or not punct) and rest and not _TITLE_START.match(rest):
            return None  # "8.9 of the Clauses" in wrapped text is a reference
        close = _EMPH_CLOSE.match(line, m.end())
        bare = not punct and not line[close.end() if close else m.end():].startswith((".", ")"))
        return Marker(
            ((f"dec{len(comps)}", comps[-1]),), m.group(1), rest, pos, dotted=comps, bare=bare
        )

    m = _PAREN.match(line, start)
    if m:
        tok = m.group(1)
        rest, pos = _after(line, m.end())
        kinds = [("(1)", int(tok))] if tok.isdigit() else _letter_kinds(tok, "(", ")")
        return Marker(tuple(kinds), tok, rest, pos) if kinds else None

    m = _RPAREN.match(line, start)
    if m:
        tok = m.group(1)
        rest, pos = _after(line, m.end())
        kinds = [("1)", int(tok))] if tok.isdigit() else _letter_kinds(tok, "", ")")
        return Marker(tuple(kinds), tok, rest, pos) if kinds else None

    m = _LETTER_DOT.match(line, start)
    if m:
        tok = m.group(1)
        rest, pos = _after(line, m.end())
        if re.match(r"\w\W", rest):
            return None  # "I. B, unless": a wrapped reference, not a lettered title
        kinds = _letter_kinds(tok, "", ".")
        return Marker(tuple(kinds), tok, rest, pos) if kinds else None
    return None
