"""Hybrid retrieval: rank fusion, scoping, and quality on a real agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import UnknownAgreementError
from assistant.facade import AgreementAssistant
from assistant.index.lexical import LexicalIndex, tokenize
from assistant.index.retrieval import from_document, reciprocal_rank_fusion, to_document
from assistant.types import RetrievedChunk
from ingest.types import Chunk
from ingest.words import stem


def chunk(cid: str, text: str = "text", agreement: str = "a", ordinal: int = 0) -> Chunk:
    return Chunk(id=cid, agreement=agreement, ordinal=ordinal, text=text, start=0, end=len(text))


def test_rrf_rewards_agreement_between_rankings() -> None:
    a, b, c = chunk("a"), chunk("b"), chunk("c")
    fused = reciprocal_rank_fusion([[a, b, c], [b, c]], rrf_k=60)
    assert [x.id for x, _, _ in fused] == ["b", "c", "a"]
    ranks = {x.id: r for x, _, r in fused}
    assert ranks["a"] == [1, None]
    assert ranks["b"] == [2, 1]


def test_lexical_tokens_meet_across_inflections() -> None:
    assert stem("backups") == stem("backup")
    assert stem("patching") == stem("patch")
    assert "the" not in tokenize("The Provider shall")
    index = LexicalIndex(
        [
            chunk("x", "Customer keeps backups of its data."),
            chunk("y", "Provider patches the platform."),
            chunk("z", "Fees are due monthly."),
            chunk("w", "This agreement is governed by the laws of Ireland."),
        ]
    )
    hits = index.search("who backs up data? backup", 5)
    assert hits[0][0].id == "x"


def test_documents_round_trip() -> None:
    hit = RetrievedChunk(chunk=chunk("z", "body"), score=0.5, dense_rank=1, lexical_rank=None)
    assert from_document(to_document(hit)) == hit


def test_backups_clause_is_found_in_the_ovhcloud_dpa(corpus_assistant: AgreementAssistant) -> None:
    answer = corpus_assistant.ask("Who handles backups?", ["ovhcloud_dpa"])
    top = [r.chunk for r in answer.retrieved[:3]]
    assert all(r.chunk.agreement == "ovhcloud_dpa" for r in answer.retrieved)
    assert any("necessary operations (such as backup" in c.text for c in top)


def test_scope_is_respected(corpus_assistant: AgreementAssistant) -> None:
    answer = corpus_assistant.ask(
        "Who must notify a personal data breach?", ["commonpaper_dpa", "github_dpa.md"]
    )
    assert {r.chunk.agreement for r in answer.retrieved} <= {"commonpaper_dpa", "github_dpa"}
    with pytest.raises(UnknownAgreementError, match="no_such"):
        corpus_assistant.ask("Who handles backups?", ["no_such"])


def test_every_corpus_file_was_ingested(corpus_assistant: AgreementAssistant, corpus: Path) -> None:
    names = {r.name for r in corpus_assistant.agreements()}
    expected = {p.stem for p in corpus.rglob("*") if p.suffix in {".md", ".pdf"}} - {"SOURCES"}
    assert expected <= names
