"""What the learned judge reads, computed the same way in training and at question time.

Three levels, each a plain vector:
- a sentence: its embedding (party-normalised text) plus what the exact rules read in it
  (who the obligation language names, and its kind), for the sentence heads;
- a (question, sentence) pair: how close, whether on the question's topic, whether it
  allocates, where it was ranked, for the relevance head;
- a question: the relevance-weighted sum of what its most relevant sentences allocate, and
  whom the question is put to, for the verdict head.
Keeping them here, and only here, is what keeps training and answering from drifting apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from assistant.answering.candidates import Candidate
from assistant.answering.judge_model import KINDS, TARGETS, LinearHead
from assistant.answering.obligations import read_obligations
from assistant.answering.relevance import content_words, heading_hit, relevance
from assistant.questions.analysis import QuestionAnalysis
from assistant.questions.parties import is_rights_question, party_asked
from assistant.types import Party
from ingest.parties import provider_names
from ingest.types import PartyAliases

Floats = NDArray[np.float64]

_RULE_PARTIES = ("customer", "provider", "mutual")
_RULE_KINDS = ("duty", "prohibition", "right", "disclaimer")
RULE_FEATURES = len(_RULE_PARTIES) * len(_RULE_KINDS) + 1

PAIR_FEATURES = (
    "cosine",
    "topic_match_learned",
    "topic_match_rules",
    "decides",
    "allocates",
    "cosine_x_allocates",
    "topic_x_allocates",
    "rank_inverse",
    "first_passage",
    "position_inverse",
    "question_words_share",
    "heading_on_topic",
    "rule_relevance",
    "rule_relevant",
    "length_log",
)

QUESTION_FEATURES = (
    *(f"sum_{t}" for t in TARGETS[:3]),
    *(f"max_{t}" for t in TARGETS[:3]),
    *(f"sum_{t}_duties" for t in TARGETS[:3]),
    "best_relevance",
    "relevance_mass",
    "best_allocating_relevance",
    "asked_customer",
    "asked_provider",
    "rights_question",
    "both_sides",
    "question_names_no_party",
    "best_relevance_logit",
    "best_allocating_relevance_logit",
)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def rule_vector(sentence: str, aliases: PartyAliases) -> Floats:
    """Which party the rules find bound, and how (duty, prohibition, right, disclaimer)."""
    out = np.zeros(RULE_FEATURES)
    for ob in read_obligations(sentence, aliases):
        party = "mutual" if ob.mutual else (ob.party.value if ob.party else None)
        if party is None:
            continue
        index = _RULE_PARTIES.index(party) * len(_RULE_KINDS) + _RULE_KINDS.index(ob.kind)
        out[index] = max(out[index], ob.strength)
    out[-1] = 1.0 if out[:-1].any() else 0.0
    return out


@dataclass(frozen=True)
class SentenceReadings:
    """The sentence heads' outputs for n sentences."""

    vectors: Floats  # (n, d) normalized embeddings of the party-normalised text
    target: Floats  # (n, 4) over TARGETS
    kind: Floats  # (n, 6) over KINDS
    topics: Floats  # (n, topics)
    decides: Floats  # (n,)


def sentence_inputs(vectors: NDArray[np.floating[Any]], rules: Floats) -> Floats:
    return np.hstack([np.asarray(vectors, dtype=np.float64), rules])


class SentenceHeadSet(Protocol):
    """The four sentence heads: a trained `JudgeModel`, or a fold's heads in training."""

    @property
    def target(self) -> LinearHead: ...
    @property
    def kind(self) -> LinearHead: ...
    @property
    def topics(self) -> LinearHead: ...
    @property
    def decides(self) -> LinearHead: ...


def read_sentences(
    heads: SentenceHeadSet, vectors: NDArray[np.floating[Any]], rules: Floats
) -> SentenceReadings:
    inputs = sentence_inputs(vectors, rules)
    return SentenceReadings(
        vectors=np.asarray(vectors, dtype=np.float64),
        target=heads.target(inputs),
        kind=heads.kind(inputs),
        topics=heads.topics(np.asarray(vectors, dtype=np.float64)),
        decides=heads.decides(inputs)[:, 0],
    )


def rule_vectors(found: Sequence[Candidate], aliases: dict[str, PartyAliases]) -> Floats:
    """(n, RULE_FEATURES): `rule_vector` of each candidate, with its agreement's names."""
    return np.array(
        [
            rule_vector(c.text, aliases.get(c.passage.chunk.agreement) or PartyAliases())
            for c in found
        ]
    ).reshape(len(found), RULE_FEATURES)


@dataclass(frozen=True)
class QuestionSide:
    """What is known of the question before any sentence is read."""

    vector: Floats  # (d,) normalized embedding
    topic_probs: Floats  # (topics,) what the question-topic head reads in it
    topics: list[str]  # topic ids the rules read in it, best first
    words: set[str]  # its content words (stemmed)
    rights: bool  # asks about a power or permission
    asked: Party | None  # the one party it is put to, if any


def question_side(
    question: QuestionAnalysis,
    vector: Floats,
    topic_probs: Floats,
    in_scope: Iterable[PartyAliases],
) -> QuestionSide:
    """The question's side, `in_scope` being the aliases of the agreements its passages are
    from (their provider names tell "is Linear obliged" from "are we")."""
    return QuestionSide(
        vector=vector,
        topic_probs=topic_probs,
        topics=list(question.topics),
        words=content_words(question.question),
        rights=is_rights_question(question.question),
        asked=party_asked(question.question, provider_names(in_scope)),
    )


def pair_features(
    question: QuestionSide,
    found: Sequence[Candidate],
    readings: SentenceReadings,
    topic_ids: tuple[str, ...],
) -> Floats:
    """(n, len(PAIR_FEATURES)): each candidate sentence against the question."""
    n = len(found)
    out = np.zeros((n, len(PAIR_FEATURES)))
    if n == 0:
        return out
    cosine = readings.vectors @ question.vector
    learned = readings.topics @ question.topic_probs
    columns = [topic_ids.index(t) for t in question.topics if t in topic_ids]
    by_rules = readings.topics[:, columns].max(axis=1) if columns else np.zeros(n)
    allocates = 1.0 - readings.target[:, TARGETS.index("none")]
    on_topic = {id(c.passage): heading_hit(c.passage, question.topics) for c in found}
    for i, c in enumerate(found):
        heading = on_topic[id(c.passage)]
        rule_rel = relevance(c.text, question.topics, question.words, heading)
        shared = len(question.words & content_words(c.text))
        out[i] = (
            cosine[i],
            learned[i],
            by_rules[i],
            readings.decides[i],
            allocates[i],
            cosine[i] * allocates[i],
            learned[i] * allocates[i],
            1.0 / (1.0 + c.rank),
            1.0 if c.rank == 0 else 0.0,
            1.0 / (1.0 + c.position),
            shared / max(1, len(question.words)),
            1.0 if heading else 0.0,
            min(rule_rel, 3.0) / 3.0,
            1.0 if rule_rel > 0 else 0.0,
            math.log1p(len(c.text)) / 6.0,
        )
    return out


def question_features(
    question: QuestionSide, relevance_probs: Floats, readings: SentenceReadings, top_k: int
) -> Floats:
    """(len(QUESTION_FEATURES),): what the most relevant sentences allocate, and to whom."""
    order = np.argsort(-relevance_probs, kind="stable")[:top_k]
    rel = relevance_probs[order]
    target = readings.target[order, :3]
    duties = 1.0 - readings.kind[order, KINDS.index("right")]
    weighted = rel[:, None] * target
    allocating = rel * (1.0 - readings.target[order, TARGETS.index("none")])
    has = len(order) > 0
    return np.concatenate(
        [
            weighted.sum(axis=0) if has else np.zeros(3),
            weighted.max(axis=0) if has else np.zeros(3),
            (weighted * duties[:, None]).sum(axis=0) if has else np.zeros(3),
            [
                float(rel.max()) if has else 0.0,
                float(rel.sum()),
                float(allocating.max()) if has else 0.0,
                1.0 if question.asked is Party.CUSTOMER else 0.0,
                1.0 if question.asked is Party.PROVIDER else 0.0,
                1.0 if question.rights else 0.0,
                # "Shared" needs duties on both sides at once, which no weighted sum shows.
                float(min(weighted[:, 0].max(), weighted[:, 1].max())) if has else 0.0,
                1.0 if question.asked is None else 0.0,
                # On the log-odds scale a sentence ten times less likely to decide than any
                # seen in training still pushes towards "not addressed", instead of leaving
                # the verdict to the question's form and the labels' prior.
                _logit(float(rel.max())) if has else _logit(0.0),
                _logit(float(allocating.max())) if has else _logit(0.0),
            ],
        ]
    )
