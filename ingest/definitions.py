"""Defined terms of an agreement: '"Customer Data" means ...', '(the "Provider")'.

Answers must read "Customer Data" the way the agreement defines it, and the party aliases
are mostly found here ('"Bitwarden", "We" and "Us" refer to 8bit Solutions LLC'). Terms
are returned as written (case kept); markdown emphasis around them is removed.
"""

from __future__ import annotations

import re

from ingest.sentences import split_sentences

__all__ = ["find_definitions"]

_Q_OPEN = "\"“\u2018'"
_Q_CLOSE = "\"”\u2019'"
_EMPH = r"(?:\*\*|__|\*|_)?"
# One quoted term, emphasis allowed inside or outside the quotes: **"Term"**, "**Term**".
_TERM = (
    rf"{_EMPH}[{_Q_OPEN}]{_EMPH}(?P<term>[A-Za-z0-9][^\"“”\u2018\u2019\n*]{{0,60}}?)[,.]?{_EMPH}"
    rf"[{_Q_CLOSE}]{_EMPH}"
)
_TERM_ANY = re.compile(_TERM)
_VERB = re.compile(
    r"\s*(?:\([^)]{0,80}\)\s*)?,?\s*"
    r"(?P<verb>means|shall mean|mean|refers?\b|has the meaning|shall have the meaning|"
    r"is defined as|are defined as|includes|include)\b",
)
_COLON_MEANS = re.compile(
    r"^[\s*_>-]*(?P<term>[A-Z][\w\s/&-]{0,50}?)[*_]*\s*:\s*(?P<def>means\b.*)$", re.MULTILINE
)
_PAREN = re.compile(
    r"\((?P<body>(?:the|hereinafter|hereafter|each|individually|collectively|together|jointly"
    r"|also|referred|to|as|a|an|or|and|,|\s)*"
    + _TERM
    + r"(?:[^()\n]{0,80}))\)"
)
_HEREINAFTER = re.compile(
    r"\b(?:hereinafter|hereafter)(?:\s+referred\s+to\s+as)?:?\s*(?:the\s+)?" + _TERM
)
_EACH_A = re.compile(r"\beach,?\s+an?\s+" + _TERM)


def _clean(term: str) -> str:
    return re.sub(r"[*_]", "", term).strip(" ,.")


def _valid(term: str) -> bool:
    words = term.split()
    return 0 < len(words) <= 6 and len(term) <= 60 and term[0].isalnum()


def _definition_after(text: str, start: int) -> str:
    """The definition from its verb to the end of its sentence or line."""
    end_line = text.find("\n\n", start)
    end_line = len(text) if end_line < 0 else end_line
    segment = text[start:min(end_line, start + 800)]
    spans = split_sentences(segment)
    if spans:
        segment = segment[: spans[0][1]]
    return re.sub(r"\s+", " ", segment).strip()


def _context_before(text: str, pos: int) -> str:
    """What a parenthetical names: the phrase just before it, back to a clause boundary."""
    line_start = text.rfind("\n\n", 0, pos)
    window = text[max(line_start + 1, pos - 200) : pos]
    for sep in (";", ". ", " between "):
        i = window.rfind(sep)
        if i >= 0 and not re.search(r"\b(?:Inc|Ltd|Co|No|Corp)$", window[:i]):
            window = window[i + len(sep) :]
    return re.sub(r"\s+", " ", window).strip(" ,")


def _terms_before(text: str, verb_start: int) -> list[str]:
    """All quoted terms on the same line right before a 'means' ('"A", "B" and "C" mean')."""
    line_start = text.rfind("\n", 0, verb_start) + 1
    head = text[line_start:verb_start]
    terms: list[str] = []
    last_end = 0
    for m in _TERM_ANY.finditer(head):
        between = head[last_end : m.start()]
        if terms and re.sub(r"[\s,*_]|and|or|\(|\)|the|The", "", between):
            terms = []  # text between quotes: only the final run of terms is defined
        terms.append(_clean(m.group("term")))
        last_end = m.end()
    tail = head[last_end:]
    if re.sub(r"[\s,*_()]|also|collectively|together", "", tail):
        return []
    return [t for t in terms if _valid(t)]


def find_definitions(text: str) -> dict[str, str]:
    """Defined term -> definition text, in order of first definition."""
    found: dict[str, str] = {}

    for m in _VERB.finditer(text):
        if not m.group(0).strip():
            continue
        terms = _terms_before(text, m.start())
        if not terms:
            continue
        definition = _definition_after(text, m.start("verb"))
        for term in terms:
            found.setdefault(term, definition)

    for m in _COLON_MEANS.finditer(text):
        term = _clean(m.group("term"))
        if _valid(term):
            found.setdefault(term, re.sub(r"\s+", " ", m.group("def")).strip())

    for m in _PAREN.finditer(text):
        context = _context_before(text, m.start())
        for tm in _TERM_ANY.finditer(m.group("body")):
            term = _clean(tm.group("term"))
            if _valid(term):
                found.setdefault(term, context)

    for pattern in (_HEREINAFTER, _EACH_A):
        for m in pattern.finditer(text):
            term = _clean(m.group("term"))
            if _valid(term):
                found.setdefault(term, _context_before(text, m.start()))
    return found
