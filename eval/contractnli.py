"""ContractNLI as an evaluation suite: its NDAs become agreement files, its hypotheses questions.

ContractNLI locates evidence by character offsets into each document's text. The loader
normalizes text (line ends, control characters, NFC), which could shift those offsets, so each
document is written already normalized, piece by piece between span boundaries, and every span
is remapped to the written text; reading a written file back must give exactly what was written.
"""

from __future__ import annotations

import itertools
import json
import logging
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from eval.cases import EvalCase, EvalSuite, Evidence, Span

logger = logging.getLogger(__name__)

SCORED_CHOICES = ("Entailment", "Contradiction")


class NliAnnotation(BaseModel):
    choice: str
    spans: list[int]


class NliAnnotationSet(BaseModel):
    annotations: dict[str, NliAnnotation]


class NliDocument(BaseModel):
    id: int | str
    file_name: str | None = None
    text: str
    spans: list[tuple[int, int]]
    annotation_sets: list[NliAnnotationSet]


class NliLabel(BaseModel):
    short_description: str | None = None
    hypothesis: str


class NliDataset(BaseModel):
    documents: list[NliDocument]
    labels: dict[str, NliLabel]


def read_dataset(path: Path) -> NliDataset:
    try:
        return NliDataset.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise AgreementsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, ValidationError) as exc:
        raise AgreementsError(f"{path}: not a ContractNLI file ({exc})") from None


def normalized_with_spans(
    text: str, spans: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """The text as the loader will return it, and each span's offsets in that text."""
    cuts = sorted({0, len(text), *(max(0, min(len(text), b)) for s in spans for b in s)})
    new_offset: dict[int, int] = {0: 0}
    pieces: list[str] = []
    length = 0
    for start, end in itertools.pairwise(cuts):
        piece = AgreementAssistant.normalize_text(text[start:end])
        pieces.append(piece)
        length += len(piece)
        new_offset[end] = length
    written = "".join(pieces)
    return written, [
        (new_offset[max(0, min(len(text), s))], new_offset[max(0, min(len(text), e))])
        for s, e in spans
    ]


def document_name(document: NliDocument) -> str:
    return f"contractnli_{document.id}"


def build_suite(path: Path, folder: Path, limit_docs: int | None = None) -> EvalSuite:
    """Write the documents under `folder` and return the hypotheses as questions."""
    dataset = read_dataset(path)
    documents = dataset.documents[:limit_docs] if limit_docs else dataset.documents
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[EvalCase] = []
    files: dict[str, Path] = {}
    texts: dict[str, str] = {}
    for document in documents:
        name = document_name(document)
        text, spans = normalized_with_spans(document.text, document.spans)
        file = folder / f"{name}.txt"
        file.write_text(text, encoding="utf-8")
        if AgreementAssistant.read_text(file) != text:
            raise AgreementsError(f"{file}: the loader changed the text, offsets would be wrong")
        files[name], texts[name] = file, text
        cases.extend(_cases(document, name, spans, dataset.labels))
    logger.info("ContractNLI %s: %d documents, %d questions", path, len(files), len(cases))
    return EvalSuite(
        name=f"contractnli/{path.stem}", kind="contractnli", cases=cases, files=files, texts=texts
    )


def _cases(
    document: NliDocument,
    name: str,
    spans: list[tuple[int, int]],
    labels: dict[str, NliLabel],
) -> list[EvalCase]:
    if not document.annotation_sets:
        return []
    annotations = document.annotation_sets[0].annotations
    cases: list[EvalCase] = []
    for key, annotation in annotations.items():
        if annotation.choice not in SCORED_CHOICES or key not in labels:
            continue
        evidence = tuple(
            Evidence(quote=document.text[slice(*document.spans[i])], span=Span(name, *spans[i]))
            for i in annotation.spans
            if 0 <= i < len(spans)
        )
        cases.append(
            EvalCase(
                id=f"{document.id}/{key}",
                question=labels[key].hypothesis,
                agreement=name,
                topic=None,
                evidence=evidence,
                label=annotation.choice,
            )
        )
    return cases
