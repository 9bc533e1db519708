"""Why a wrong answer is wrong, in the four categories the team tracks.

Read from a result of report.json alone (its expected and given answers and the rank of the
first retrieved passage covering the evidence), so any run can be re-categorized.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

# A deciding clause ranked this deep or better was there to be read: a wrong answer with it is
# the judge's fault, not retrieval's.
RETRIEVED_DEPTH = 5

WRONG_PARTY = "wrong party, evidence retrieved"
FALSE_SILENT = "false silent"
INVENTED = "invented allocation"
RETRIEVAL_MISS = "retrieval miss"
CATEGORIES = (WRONG_PARTY, FALSE_SILENT, INVENTED, RETRIEVAL_MISS)


def failure_category(result: Mapping[str, Any]) -> str | None:
    """The category of a wrong labeled answer; None for a right or unlabeled one."""
    expected, answer = result.get("expected"), result.get("answer")
    if expected is None or answer == expected:
        return None
    if expected == "not_addressed":
        return INVENTED
    rank = result.get("first_hit_rank")
    if rank is None or rank > RETRIEVED_DEPTH:
        return RETRIEVAL_MISS
    return FALSE_SILENT if answer == "not_addressed" else WRONG_PARTY


def failure_counts(results: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts = Counter(c for c in map(failure_category, results) if c is not None)
    return {category: counts.get(category, 0) for category in CATEGORIES}
