"""Quote matching for labeled sets: the normalization of eval-format.md, with offsets kept.

Labelers copy quotes from a rendered page, so curly quotes, dashes, markdown markers and line
breaks differ from the extracted text. Both sides are normalized for matching, but metrics need
character spans in the ORIGINAL extracted text (chunk offsets index into it), so the normalized
string is built one character at a time with a map back to where each character came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)
_MARKERS = frozenset("*_`#")


@dataclass(frozen=True)
class NormalizedText:
    """A normalized string and, for each of its characters, the original offset it came from."""

    text: str
    origin: tuple[int, ...]

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) covering normalized characters [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower().translate(_PLAIN)
    return "".join(c for c in folded if c not in _MARKERS)


def normalize_with_map(text: str) -> NormalizedText:
    """Normalize as eval-format.md says, remembering each output character's source offset.

    Characters are folded one by one (NFKC of the loader's NFC text is, in practice, the NFKC of
    its characters); a whitespace run, including one left by removed markers, becomes one space
    mapped to the run's first whitespace character.
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold(char):
            if folded.isspace():
                if not out or out[-1] == " ":
                    continue
                folded = " "
            out.append(folded)
            origin.append(index)
    return NormalizedText("".join(out), tuple(origin))


def normalize(text: str) -> str:
    """The normalized form alone, for quotes (leading and trailing space dropped)."""
    return normalize_with_map(text).text.strip()


def locate(haystack: NormalizedText, quote: str) -> tuple[int, int] | None:
    """The quote's [start, end) in the original text, or None when it is not there (or empty)."""
    needle = normalize(quote)
    if not needle:
        return None
    found = haystack.text.find(needle)
    if found < 0:
        return None
    return haystack.span_of(found, found + len(needle))
