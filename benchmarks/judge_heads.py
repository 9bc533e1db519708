"""How far frozen sentence embeddings carry the judge's decisions: a step toward the learned judge.

```
.venv/bin/python -m benchmarks.judge_heads [--out FILE]
```
Trains one linear head per decision on the labeled sentences of the train split (and `extra`
where present): who holds what a sentence says, its kind, whether it decides a question on its
topic, and its topics. Inputs are the embedding model's normalized vectors of each sentence,
with the agreement's party words replaced by CUSTOMER / PROVIDER so that "Linear shall" and
"Miro shall" read alike. Heads are fitted with fixed seed and L2 weight chosen on tune; check
is reported, never used to choose. Each head is compared with its majority baseline.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.answering.candidates import party_normalised
from benchmarks._common import add_out_argument, emit, format_table, quiet, run_main
from ingest.types import PartyAliases

NAME = "judge_heads"
HOLDERS = ("customer", "provider", "both", "neither")
KINDS = ("duty", "right", "prohibition", "disclaimer", "definition", "other")
L2_GRID = (1e-4, 1e-3, 1e-2, 1e-1)
EPOCHS = 300


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{NAME}", description=__doc__)
    add_out_argument(parser, NAME)
    return parser.parse_args(argv)


def _fit_softmax(x: NDArray[np.float32], y: NDArray[np.int64], classes: int, l2: float) -> Any:
    import torch

    torch.manual_seed(0)
    head = torch.nn.Linear(x.shape[1], classes)
    optimiser = torch.optim.Adam(head.parameters(), lr=0.05, weight_decay=l2)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(EPOCHS):
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(head(xs), ys)
        loss.backward()
        optimiser.step()
    return head


def _predict(head: Any, x: NDArray[np.float32]) -> NDArray[np.int64]:
    import torch

    with torch.no_grad():
        return head(torch.from_numpy(x)).argmax(dim=1).numpy()


def _macro_f1(y: NDArray[np.int64], p: NDArray[np.int64], classes: int) -> float:
    scores = []
    for c in range(classes):
        tp = int(((p == c) & (y == c)).sum())
        fp = int(((p == c) & (y != c)).sum())
        fn = int(((p != c) & (y == c)).sum())
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0


def _head(
    name: str, labels: tuple[str, ...], data: dict[str, tuple[NDArray[np.float32], list[str]]]
) -> dict[str, Any]:
    index = {label: i for i, label in enumerate(labels)}
    x_train, y_train = data["train"][0], np.array([index[v] for v in data["train"][1]])
    best: tuple[float, float, Any] | None = None
    for l2 in L2_GRID:  # chosen on tune only
        head = _fit_softmax(x_train, y_train, len(labels), l2)
        y_tune = np.array([index[v] for v in data["tune"][1]])
        score = _macro_f1(y_tune, _predict(head, data["tune"][0]), len(labels))
        if best is None or score > best[0]:
            best = (score, l2, head)
    assert best is not None
    _, l2, head = best
    majority = Counter(data["train"][1]).most_common(1)[0][0]
    row: dict[str, Any] = {"head": name, "l2": l2, "majority": majority}
    for split in ("tune", "check"):
        x, values = data[split]
        y = np.array([index[v] for v in values])
        predicted = _predict(head, x)
        row[f"{split}_accuracy"] = round(float((predicted == y).mean()), 4)
        row[f"{split}_macro_f1"] = round(_macro_f1(y, predicted, len(labels)), 4)
        row[f"{split}_majority_accuracy"] = round(float((y == index[majority]).mean()), 4)
    return row


def main(argv: list[str] | None = None) -> dict[str, Any]:
    quiet()
    args = parse_args(argv)
    from assistant.facade import AgreementAssistant
    from eval.labels import load_sentences, load_splits

    splits = load_splits()
    sentences, problems = load_sentences(splits)
    if problems:
        raise SystemExit(f"error: the labeled sentences have problems: {problems[:3]}")
    helper = AgreementAssistant()
    parties: dict[str, PartyAliases] = {}
    for split in splits.available():
        for file in split.agreements:
            read = helper.read_agreement(split.corpus / file)
            parties[file] = read.agreement.parties
    groups: dict[str, list[Any]] = {"train": [], "tune": [], "check": []}
    for sentence in sentences:
        split = splits.of(sentence.agreement)
        assert split is not None
        groups["train" if split.role == "train" else split.role].append(sentence)
    texts = {
        name: [party_normalised(s.text, parties[s.agreement]) for s in group]
        for name, group in groups.items()
    }
    vectors = {name: helper.embedder.embed_documents(t) for name, t in texts.items()}
    rows = []
    for name, labels, value in (
        ("holder", HOLDERS, lambda s: s.holder),
        ("kind", KINDS, lambda s: s.kind),
        ("decides", ("no", "yes"), lambda s: "yes" if s.decides else "no"),
    ):
        data = {split: (vectors[split], [value(s) for s in groups[split]]) for split in groups}
        rows.append(_head(name, labels, data))
    result = {
        "benchmark": NAME,
        "sentences": {name: len(group) for name, group in groups.items()},
        "heads": rows,
    }
    table = format_table(
        ["head", "l2", "tune acc", "tune F1", "check acc", "check F1", "check majority"],
        [
            [r["head"], f"{r['l2']:g}", r["tune_accuracy"], r["tune_macro_f1"], r["check_accuracy"],
             r["check_macro_f1"], r["check_majority_accuracy"]]
            for r in rows
        ],
    )  # fmt: skip
    emit(result, table, args.out)
    return result


if __name__ == "__main__":
    run_main(main)
