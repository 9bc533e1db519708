"""Words as the lexical side compares them: a light stemmer and the function words to skip.

Shared by the lexical index (BM25) and the extractive judge's question-word overlap, so both
read a text's words the same way.
"""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS", "stem"]

# Words that say nothing of what a sentence is about: articles, pronouns, auxiliaries, the
# commonest prepositions and conjunctions. Modal verbs are here too ("shall", "may"): BM25
# would otherwise reward clauses for their legal register, not their subject. Words of time
# and extent ("after", "before", "during", "only", "other") are not: duties turn on them
# ("delete after termination", "notify before engaging").
FUNCTION_WORDS = frozenset(
    """
    a an the and or of to in on for by with at from as is are be been being was were it its
    this that these those any all such which who whom whose what when where how do does did
    shall will would should may might can could must not no nor than then there their our your
    we you they them us i he she his her if so into under over upon per via
    """.split()  # noqa: SIM905
)

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet backups/backup, patching/patch, notifies/notify."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word
