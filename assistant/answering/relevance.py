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
from ingest.words import stem

_STOPWORDS_TEXT = """a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers him his how i if in into is it its
itself just me more most my no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those through
to too under until up very was we were what when where which while who whom whose why will with
would you your yours us vendor provider customer company service services agreement they're
we're we've okay anyone someone job responsible responsibility need needs must shall may might
obliged required allowed"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


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
