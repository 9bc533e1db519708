"""Which party a question is about, read from the question alone.

The people asking are the customer's staff, so "we"/"us"/"our" mean the customer, and "the
vendor", "they" or the provider's name mean the provider. Knowing that a question singles out one
party matters because such a question is never answered "shared": the label is who holds the duty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from assistant.types import Party
from ingest.parties import CUSTOMER_ROLE_WORDS, PROVIDER_ROLE_WORDS

logger = logging.getLogger(__name__)

_AUX = (
    r"(?:is|are|was|were|does|do|did|will|would|can|could|may|might|must|shall|should|has|have"
    r"|need|needs|ought)"
)


def _roles(words: tuple[str, ...]) -> str:
    return "|".join(r"\s+".join(w.lower().split()) for w in sorted(words, key=len, reverse=True))


# The people asking call themselves "we"; the agreements' role words name either party, and
# a few more words are how staff speak of the provider ("the host", "the platform").
_CUSTOMER_SUBJECTS = (
    r"(?:we|i|our\s+(?:company|team|organi[sz]ation|users|staff|admins?|business)"
    rf"|the\s+(?:{_roles(CUSTOMER_ROLE_WORDS)})|(?:{_roles(CUSTOMER_ROLE_WORDS)})s?)"
)
_PROVIDER_SUBJECTS = (
    rf"(?:the\s+(?:{_roles(PROVIDER_ROLE_WORDS)}|processor|host|platform|company"
    rf"|cloud\s+provider)|they|{_roles(PROVIDER_ROLE_WORDS)})"
)
_RIGHTS_WORDS = re.compile(
    r"\b(?:allowed|permitted|entitled|authori[sz]ed|okay|ok|free)\s+to\b"
    r"|\b(?:have|has)\s+the\s+right\b|\bright\s+to\b|\bis\s+it\s+(?:okay|ok|fine|legal)\b"
    r"|\b(?:reserve|reserves)\s+the\s+right\b",
    re.IGNORECASE,
)
_RIGHTS_AUX = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|or|then|but)\s+|\bif\b[^?]*?,\s*)(?:can|could|may|might)\s+"
    r"(?P<subj>\w+(?:\s+\w+)?)",
    re.IGNORECASE,
)


def _subject_pattern(provider_names: Iterable[str]) -> re.Pattern[str]:
    names = sorted((re.escape(n) for n in provider_names if n.strip()), key=len, reverse=True)
    provider = _PROVIDER_SUBJECTS if not names else (
        r"(?:" + _PROVIDER_SUBJECTS + "|" + "|".join(names) + r")"
    )
    return re.compile(
        r"(?:^|[,;:]\s*|\b(?:and|or|then|but|so)\s+)" + _AUX
        + r"\s+(?:(?P<cust>" + _CUSTOMER_SUBJECTS + r")|(?P<prov>" + provider + r")"
        + r"|(?P<name>(?-i:(?!I\b|It\b|This\b|That\b|There\b|The\b)[A-Z][\w.&-]*)))\b",
        re.IGNORECASE,
    )


def party_asked(question: str, provider_names: Iterable[str] = ()) -> Party | None:
    """The one party the question is put to ("is the provider on the hook...?" -> provider).

    Read from yes/no and modal question forms whose subject is a party ("do we have to",
    "does the vendor owe", "is <provider name> obliged"). "Who ..." questions and questions
    putting both parties ("does the provider back up, or do we keep copies?") return None.
    `provider_names` adds the provider's own names (e.g. "OVHcloud") to the provider words;
    any other capitalised name after the auxiliary ("Is OVH obliged...") is also taken as the
    provider, since the people asking call themselves "we".
    """
    pattern = _subject_pattern(provider_names)
    found: set[Party] = set()
    for m in pattern.finditer(question.strip()):
        found.add(Party.CUSTOMER if m.group("cust") else Party.PROVIDER)
    if len(found) == 1:
        return found.pop()
    if not found:
        starts_with_subject = re.match(
            r"\s*(?:(?P<cust>we|our\s+company)|(?P<prov>the\s+(?:provider|vendor|supplier)))\s+"
            r"(?:must|have\s+to|need\s+to|should|shall|are\s+required|is\s+required)\b",
            question,
            re.IGNORECASE,
        )
        if starts_with_subject:
            return Party.CUSTOMER if starts_with_subject.group("cust") else Party.PROVIDER
    return None


def is_rights_question(question: str) -> bool:
    """True when the question asks about a power or permission rather than a duty.

    "Can the provider suspend us?", "may we audit them?", "are we allowed to ...?" are labelled
    with the party holding the right, so the decision must count rights as well as duties.
    """
    if _RIGHTS_WORDS.search(question):
        return True
    return bool(_RIGHTS_AUX.search(question.strip()))
