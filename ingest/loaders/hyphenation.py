"""Words hyphenated across a line break, joined back ("responsi-" + "bility").

Justified PDF text breaks long words at line ends; left broken, "responsibility" is two tokens
that neither the lexical index nor a quote search can find. But "non-" + "exclusive" and
"third-" + "party" are compounds that keep their hyphen when joined. The agreement itself says
which is which: a word it also writes whole elsewhere drops the hyphen, a compound it also
writes hyphenated keeps it. When it does neither, a few compound prefixes keep the hyphen and
every other word drops it (typesetters hyphenate, authors rarely break a compound at a line
end).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = ["join_hyphenated", "vocabulary"]

_HYPHENS = "-\u2010\u00ad"
# A word part at the line end, its hyphen right after its letters; the line below goes on
# in lower case. The rest of that token (its punctuation) moves up with it.
_BROKEN_END = re.compile(rf"([^\W\d_]+)[{_HYPHENS}]$")
_CONTINUATION = re.compile(r"([a-z][^\W\d_]*)(\S*)")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_COMPOUND_PREFIXES = frozenset(
    {"non", "self", "third", "cross", "multi", "co", "pre", "post", "anti", "ex", "semi", "sub"}
)


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Every word and hyphenated compound the texts write within a line, lower case."""
    words: set[str] = set()
    for text in texts:
        for line in text.split("\n"):
            words.update(match.group(0).casefold() for match in _WORD.finditer(line))
    return words


def join_hyphenated(lines: Sequence[str], known: set[str]) -> list[str]:
    """The lines with each word broken by a line-end hyphen put back together on the first
    line. As many lines come back as went in; one left empty by the move is ""."""
    out = list(lines)
    for i in range(len(out) - 1):
        end = _BROKEN_END.search(out[i])
        start = _CONTINUATION.match(out[i + 1])
        if end is None or start is None:
            continue
        head, tail = end.group(1), start.group(1)
        hyphen = out[i][-1]
        keep = hyphen != "\u00ad" and _keeps_hyphen(head, tail, known)
        joined = head + (hyphen if keep else "") + tail + start.group(2)
        out[i] = out[i][: end.start()] + joined
        out[i + 1] = out[i + 1][start.end() :].lstrip()
    return out


def _keeps_hyphen(head: str, tail: str, known: set[str]) -> bool:
    whole = (head + tail).casefold()
    compound = f"{head}-{tail}".casefold()
    if compound in known and whole not in known:
        return True
    if whole in known:
        return False
    return head.casefold() in _COMPOUND_PREFIXES
