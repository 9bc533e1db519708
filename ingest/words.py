"""Words as the lexical side compares them: a light stemmer and the function words to skip.

Shared by the lexical index (BM25) and the extractive judge's question-word overlap, so both
read a text's words the same way.
"""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS", "stem"]

# Words that say nothing of what a sentence is about: articles, pronouns, auxiliaries,
# prepositions and conjunctions. Modal verbs are here too ("shall", "may"): BM25 would
# otherwise reward clauses for their legal register, not their subject.
FUNCTION_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    may me might more most must my no nor not now of off on once only or other our ours out
    over own per same shall she should so some such than that the their theirs them then there
    these they this those through to too under until up upon us very via was we were what when
    where which while who whom whose why will with would you your yours
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
