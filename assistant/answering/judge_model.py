"""The learned judge's weights: small linear heads, saved in one `.npz` beside this module.

Training (`python -m eval.train_judge`) fits them; answering only multiplies. Everything is
plain numpy at question time, so the judge adds no model load and no torch call of its own
beyond the sentence embeddings the index model already computes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from assistant.errors import AgreementsError

DEFAULT_MODEL_PATH = Path(__file__).with_name("judge.npz")
# The four ways a sentence can bear on a responsibility question, and the four verdicts.
TARGETS = ("customer", "provider", "shared", "none")
VERDICTS = ("customer", "provider", "shared", "not_addressed")
KINDS = ("duty", "right", "prohibition", "disclaimer", "definition", "other")
FORMAT_VERSION = 2

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class LinearHead:
    """`activation(x @ weights + bias)`: softmax over classes, or one sigmoid per output;
    with `hidden`, x first passes one ReLU layer (`relu(x @ W + b)`)."""

    weights: Floats
    bias: Floats
    activation: Literal["softmax", "sigmoid"]
    hidden: tuple[Floats, Floats] | None = None

    def __call__(self, x: NDArray[Any]) -> Floats:
        x = np.asarray(x, dtype=np.float64)
        if self.hidden is not None:
            x = np.maximum(0.0, x @ self.hidden[0] + self.hidden[1])
        z = x @ self.weights + self.bias
        if self.activation == "sigmoid":
            out: Floats = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
            return out
        z = z - z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        probs: Floats = e / e.sum(axis=-1, keepdims=True)
        return probs


@dataclass(frozen=True)
class JudgeModel:
    """The heads and the few numbers chosen on the tune split."""

    target: LinearHead  # sentence -> TARGETS
    kind: LinearHead  # sentence -> KINDS
    topics: LinearHead  # sentence embedding -> one probability per topic id
    question_topics: LinearHead  # question embedding -> softmax over topic ids
    decides: LinearHead  # sentence -> would it settle a question on its topic
    relevance: LinearHead  # (question, sentence) features -> does it decide this question
    verdict: LinearHead  # question features -> VERDICTS
    topic_ids: tuple[str, ...]
    top_k: int  # how many of the most relevant sentences the verdict reads
    cite_threshold: float  # relevance a sentence needs to be cited beside the best one
    max_citations: int
    meta: dict[str, Any] = field(default_factory=dict)

    _HEADS = ("target", "kind", "topics", "question_topics", "decides", "relevance", "verdict")

    def save(self, path: Path) -> None:
        arrays: dict[str, NDArray[Any]] = {}
        for name in self._HEADS:
            head: LinearHead = getattr(self, name)
            arrays[f"{name}.weights"] = head.weights.astype(np.float32)
            arrays[f"{name}.bias"] = head.bias.astype(np.float32)
            if head.hidden is not None:
                arrays[f"{name}.hidden.weights"] = head.hidden[0].astype(np.float32)
                arrays[f"{name}.hidden.bias"] = head.hidden[1].astype(np.float32)
        header = {
            "format": FORMAT_VERSION,
            "activations": {n: getattr(self, n).activation for n in self._HEADS},
            "topic_ids": list(self.topic_ids),
            "top_k": self.top_k,
            "cite_threshold": self.cite_threshold,
            "max_citations": self.max_citations,
            "meta": self.meta,
        }
        arrays["header"] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
        with path.open("wb") as handle:
            np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL_PATH) -> JudgeModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode("utf-8"))
                if header.get("format") != FORMAT_VERSION:
                    raise AgreementsError(
                        f"{path}: judge model format {header.get('format')!r}, expected "
                        f"{FORMAT_VERSION}; retrain with `python -m eval.train_judge`"
                    )
                heads = {
                    name: LinearHead(
                        data[f"{name}.weights"].astype(np.float64),
                        data[f"{name}.bias"].astype(np.float64),
                        header["activations"][name],
                        (
                            data[f"{name}.hidden.weights"].astype(np.float64),
                            data[f"{name}.hidden.bias"].astype(np.float64),
                        )
                        if f"{name}.hidden.weights" in data
                        else None,
                    )
                    for name in cls._HEADS
                }
        except (OSError, ValueError, KeyError) as exc:
            raise AgreementsError(
                f"{path}: the learned judge's weights cannot be read ({exc}); "
                "retrain with `python -m eval.train_judge`"
            ) from exc
        return cls(
            **heads,
            topic_ids=tuple(header["topic_ids"]),
            top_k=int(header["top_k"]),
            cite_threshold=float(header["cite_threshold"]),
            max_citations=int(header["max_citations"]),
            meta=header.get("meta", {}),
        )
