"""Words as the lexical side compares them: a light stemmer and the function words to skip.

Shared by the lexical index (BM25) and the extractive judge's question-word overlap, so both
read a text's words the same way.
"""

from __future__ import annotations

__all__ = ["stem"]

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet backups/backup, patching/patch, notifies/notify."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word
