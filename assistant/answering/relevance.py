"""Is a sentence about what was asked? Topic keywords first, the question's own words second.

A sentence that is not about the question is no evidence at all, whatever obligation
language it holds: "we do not back up your content" says nothing about deletion.
"""

from __future__ import annotations

import re

from assistant.answering.obligations import Obligation
from assistant.answering.weights import WEIGHTS as W
from assistant.questions.topics import topic_match_strength, topic_regex
from assistant.types import RetrievedChunk
from ingest.parties import CUSTOMER_ROLE_WORDS, PROVIDER_ROLE_WORDS
from ingest.words import FUNCTION_WORDS, stem

# Besides function words, every responsibility question carries words that say who and that a
# duty is asked about, never what the duty is: the parties' role words and the duty verbs.
_QUESTION_FRAME = frozenset(
    """company service services agreement they're we're we've okay anyone someone job
    responsible responsibility need needs must shall may might obliged required allowed""".split()  # noqa: SIM905
)
_ROLE_WORDS = frozenset(
    word.lower() for role in (*CUSTOMER_ROLE_WORDS, *PROVIDER_ROLE_WORDS) for word in role.split()
)
_STOPWORDS = FUNCTION_WORDS | _QUESTION_FRAME | _ROLE_WORDS


def content_words(text: str) -> set[str]:
    """The stemmed words of `text` that can say what it is about (not function words)."""
    words = re.findall(r"[a-z][a-z'-]{2,}", text.lower())
    return {stem(w) for w in words if w not in _STOPWORDS}


def relevance(sentence: str, topics: list[str], qwords: set[str], heading_hit: bool) -> float:
    """How much a sentence is about the question: topic keywords first, question words second.

    A sentence needs one of the topic's own keywords, or related words / question words under
    a heading that is itself about the topic. Otherwise it is not evidence at all, whatever
    obligation language it holds.
    """
    keyword = 0.0
    for i, topic in enumerate(topics):
        factor = 1.0 if i == 0 else W.secondary_topic_factor
        if topic_regex(topic).search(sentence):
            keyword = max(keyword, factor * topic_match_strength(sentence, topic))
    overlap = len(qwords & content_words(sentence))
    if keyword > 0:
        return keyword + W.overlap_weight * overlap
    related = max((topic_match_strength(sentence, t) for t in topics), default=0.0)
    weak = W.weak_relevance_factor * (related + W.weak_overlap_weight * overlap)
    if heading_hit and (related > 0 or overlap >= 1):
        return weak
    # Several common words of the topic together ("copies ... can be recovered") do what
    # one of its own keywords does alone.
    if related >= W.related_together:
        return weak
    if not topics and overlap >= W.untopical_min_overlap:
        return W.untopical_overlap_weight * overlap
    return 0.0


def heading_hit(chunk: RetrievedChunk, topics: list[str]) -> bool:
    """The passage's headings name one of the question's topics."""
    heading = " ".join(chunk.chunk.heading_path)
    return bool(heading) and any(topic_regex(t).search(heading) for t in topics)


def scope_topical(sentence: str, ob: Obligation, topics: list[str], qwords: set[str]) -> bool:
    """What the obligation binds its party to (its scope) is itself about the question."""
    scope = sentence[ob.scope[0] : ob.scope[1]]
    if any(topic_regex(t).search(scope) for t in topics):
        return True
    return len(qwords & content_words(scope)) >= W.scope_min_overlap
