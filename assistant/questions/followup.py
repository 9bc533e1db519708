"""Follow-up questions completed from the conversation's last question.

"And who restores them?" after "Who handles backups?" is asked as "who restores backups?";
"what about encryption?" after it as "Who handles encryption?". A question that stands on its
own is asked as typed. Only wording is rewritten here: which agreements a follow-up covers is
the conversation's business.
"""

from __future__ import annotations

import re

# Openers that mark a turn as continuing the last one.
_CONTINUATION = re.compile(r"^\s*(?:and|also|so|then|ok(?:ay)?|but)\b[\s,]*", re.IGNORECASE)
# "what about X?", "how about X?", "and X?": the last question's frame with X as its matter.
_WHAT_ABOUT = re.compile(r"^\s*(?:what|how)\s+about\s+(?P<matter>.+?)\s*\??\s*$", re.IGNORECASE)
# Pronouns that stand for the last question's subject matter. "they"/"their" are left alone:
# in these questions they nearly always mean a party ("do they encrypt it?").
_OBJECT_PRONOUN = re.compile(r"\b(?:them|it|those|these)\b", re.IGNORECASE)
_TRAILING_DEMONSTRATIVE = re.compile(r"\b(?:this|that)\s*\??\s*$", re.IGNORECASE)
# Where a responsibility question's subject matter starts: after the phrase naming the duty.
_MATTER_AFTER = re.compile(
    r"\b(?:responsible\s+for|in\s+charge\s+of|on\s+the\s+hook\s+for|liable\s+for|"
    r"accountable\s+for|take[s]?\s+care\s+of|deal[s]?\s+with|look[s]?\s+after|"
    r"handles?|manages?|owns?|performs?|provides?|covers?|pays?\s+for|"
    r"(?:has|have)\s+to|must|shall|should|will|may|can|needs?\s+to)\s+",
    re.IGNORECASE,
)
_LEADING_PARTY = re.compile(
    r"^(?:the\s+)?(?:provider|vendor|supplier|customer|client|we|us|you|they)\s+", re.IGNORECASE
)
_LEADING_DETERMINER = re.compile(r"^(?:the|a|an|our|their|its|any)\s+", re.IGNORECASE)
_WORDS = re.compile(r"[a-z]+", re.IGNORECASE)
# A turn of at most this many words with no topic of its own is read as a follow-up.
_SHORT = 4


def subject_matter(question: str) -> str:
    """What the question is about: "Who handles backups?" -> "backups"."""
    text = question.strip().rstrip("?").strip()
    match = _MATTER_AFTER.search(text)
    matter = text[match.end() :] if match else " ".join(text.split()[2:]) or text
    # "must the provider patch the OS" -> "patch the OS": drop a party named after the verb.
    matter = _LEADING_PARTY.sub("", matter)
    return _LEADING_DETERMINER.sub("", matter).strip()


def resolve_follow_up(question: str, previous: str | None) -> str:
    """The question to answer: `question` completed from `previous` when it leans on it."""
    question = question.strip()
    if not previous or not question:
        return question
    matter = subject_matter(previous)
    if not matter:
        return question
    about = _WHAT_ABOUT.match(_CONTINUATION.sub("", question))
    if about:
        return _with_matter(previous, matter, about.group("matter"))
    continued = _CONTINUATION.match(question) is not None
    body = _CONTINUATION.sub("", question)
    if _OBJECT_PRONOUN.search(body):
        return _OBJECT_PRONOUN.sub(matter, body, count=1)
    if _TRAILING_DEMONSTRATIVE.search(body):
        return _TRAILING_DEMONSTRATIVE.sub(matter + "?", body)
    # "and encryption?": a bare noun phrase continuing the last question.
    if continued and len(_WORDS.findall(body)) <= _SHORT and not _has_verb_frame(body):
        return _with_matter(previous, matter, body.rstrip("?").strip())
    return question


def _with_matter(previous: str, matter: str, new_matter: str) -> str:
    """The previous question with its subject matter replaced."""
    at = previous.lower().rfind(matter.lower())
    if at < 0:
        return f"{previous.rstrip('?').strip()} {new_matter}?"
    return previous[:at] + new_matter + previous[at + len(matter) :]


def _has_verb_frame(text: str) -> bool:
    first = (_WORDS.findall(text) or [""])[0].lower()
    return first in {"who", "which", "whose", "what", "is", "are", "does", "do", "must", "can",
                     "will", "should", "may", "how", "when", "where", "why"}
