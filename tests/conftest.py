"""Shared fixtures: the real embedding model, a real Chroma folder, the shared corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.facade import AgreementAssistant
from assistant.index.embeddings import Embedder
from assistant.settings import EmbeddingSettings, Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLES = REPO / "samples"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is absent ({CORPUS}); these tests read real agreements")
    return CORPUS


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(EmbeddingSettings())


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    home = tmp_path / "home"
    monkeypatch.setenv("AGREEMENTS_HOME", str(home))
    return Settings()


@pytest.fixture()
def assistant(settings: Settings, embedder: Embedder) -> Iterator[AgreementAssistant]:
    # The model is loaded once per process (cached), so each test's assistant shares it.
    yield AgreementAssistant(settings)


@pytest.fixture(scope="session")
def corpus_assistant(
    corpus: Path, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> AgreementAssistant:
    """One index of the whole shared corpus, built once for the session's read-only tests."""
    home = tmp_path_factory.mktemp("corpus-home")
    helper = AgreementAssistant(Settings(home=home))
    report = helper.ingest([corpus])
    assert not report.failed, [o.error for o in report.failed]
    return helper
