"""Evidence: each obligation in a relevant retrieved sentence, weighed and pointed at a verdict."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering.obligations import Obligation, read_obligations
from assistant.answering.quoting import trim
from assistant.answering.relevance import heading_hit, relevance, scope_topical
from assistant.answering.weights import WEIGHTS as W
from assistant.types import Party, RetrievedChunk, Verdict
from ingest.sentences import split_sentences
from ingest.types import PartyAliases


@dataclass(frozen=True)
class Evidence:
    """One obligation in one relevant sentence, already weighed and pointed at a verdict."""

    target: Verdict
    weight: float
    rank: int
    chunk: RetrievedChunk
    span: tuple[int, int]
    obligation: Obligation


@dataclass(frozen=True)
class TopicalSentence:
    """A sentence about the question, allocating or not: cited when nothing allocates."""

    weight: float
    rank: int
    chunk: RetrievedChunk
    span: tuple[int, int]


def _other(party: Party) -> Verdict:
    return Verdict.PROVIDER if party is Party.CUSTOMER else Verdict.CUSTOMER


def _target(ob: Obligation, rights_q: bool) -> tuple[Verdict, float] | None:
    """Which verdict an obligation supports, and how strongly (before relevance and rank)."""
    if ob.mutual:
        if ob.kind in ("duty", "prohibition") or (ob.kind == "right" and rights_q):
            return Verdict.SHARED, 1.0
        return None
    if ob.party is None:
        return None
    own = Verdict(ob.party.value)
    if ob.kind in ("duty", "prohibition"):
        return own, 1.0
    if ob.kind == "right":
        return (own, 1.0) if rights_q else None
    return _other(ob.party), W.disclaimer_weight


def collect(
    retrieved: list[RetrievedChunk],
    topics: list[str],
    aliases: dict[str, PartyAliases],
    qwords: set[str],
    rights_q: bool,
) -> tuple[list[Evidence], list[TopicalSentence]]:
    """Weighed evidence, plus every topical sentence (for citing when nothing allocates)."""
    evidence: list[Evidence] = []
    topical: list[TopicalSentence] = []
    for rank, rc in enumerate(retrieved):
        rank_weight = 1.0 / (1.0 + W.rank_decay * rank)
        party_words = aliases.get(rc.chunk.agreement) or PartyAliases()
        on_topic_heading = heading_hit(rc, topics)
        text = rc.chunk.text
        for start, end in split_sentences(text):
            start, end = trim(text, start, end)
            sentence = text[start:end]
            rel = relevance(sentence, topics, qwords, on_topic_heading)
            if rel <= 0:
                continue
            topical.append(TopicalSentence(rel * rank_weight, rank, rc, (start, end)))
            best: dict[Verdict, Evidence] = {}
            for ob in read_obligations(sentence, party_words):
                aimed = _target(ob, rights_q)
                if aimed is None:
                    continue
                verdict, kind_weight = aimed
                in_scope = (
                    1.0 if scope_topical(sentence, ob, topics, qwords) else W.off_scope_factor
                )
                weight = (
                    rank_weight
                    * min(W.max_relevance, W.relevance_base + W.relevance_slope * rel)
                    * in_scope
                    * kind_weight
                    * ob.strength
                )
                shifted = Obligation(
                    ob.party,
                    ob.mutual,
                    ob.kind,
                    ob.strength,
                    (ob.span[0] + start, ob.span[1] + start),
                    (ob.scope[0] + start, ob.scope[1] + start),
                    ob.basis,
                )
                ev = Evidence(verdict, weight, rank, rc, (start, end), shifted)
                if verdict not in best or best[verdict].weight < weight:
                    best[verdict] = ev
            evidence.extend(best.values())
    return evidence, topical


def pick(evidence: list[Evidence], verdict: Verdict) -> list[Evidence]:
    """Best evidence first; for "shared", the best of each side before any second of one."""
    if verdict is Verdict.SHARED:
        sides = [Verdict.SHARED, Verdict.PROVIDER, Verdict.CUSTOMER]
        per_side = [
            sorted((e for e in evidence if e.target is s), key=lambda e: -e.weight) for s in sides
        ]
        firsts = sorted((lst[0] for lst in per_side if lst), key=lambda e: -e.weight)
        rest = sorted((e for lst in per_side for e in lst[1:]), key=lambda e: -e.weight)
        ordered = firsts + rest
    else:
        ordered = sorted((e for e in evidence if e.target is verdict), key=lambda e: -e.weight)
    out: list[Evidence] = []
    seen: set[tuple[str, tuple[int, int]]] = set()
    for e in ordered:
        key = (e.chunk.chunk.id, e.span)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
