"""The LangChain pieces the baselines are built from, imported in one place.

They are an optional extra (`bench`), so a missing package becomes one clear message naming
the install command instead of an ImportError deep inside a run.
"""

from __future__ import annotations

import warnings
from typing import Any

from benchmarks._common import LANGCHAIN_INSTALL, BenchmarkError


def text_splitter(chunk_size: int, chunk_overlap: int) -> Any:
    """RecursiveCharacterTextSplitter with start offsets, which the quality metrics need."""
    try:
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        raise BenchmarkError(f"langchain-text-splitters is missing: {LANGCHAIN_INSTALL}") from exc
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
    )


def huggingface_embeddings(model_path: str) -> tuple[Any, str]:
    """The tutorial's HuggingFaceEmbeddings over the same model folder, and where it came from.

    `langchain-huggingface` is the tutorial's import, but every release of it pins
    huggingface-hub<2 while this project runs huggingface-hub 2.x; the class in
    `langchain-community` is the same SentenceTransformer wrapper (it was moved, not
    rewritten), so it stands in when the dedicated package is not installed.
    """
    kwargs: dict[str, Any] = {
        "model_name": model_path,
        "model_kwargs": {"device": "cpu"},
        "encode_kwargs": {"normalize_embeddings": True},
    }
    try:
        from langchain_huggingface import HuggingFaceEmbeddings

        return HuggingFaceEmbeddings(**kwargs), "langchain_huggingface"
    except ImportError:
        pass
    try:
        from langchain_community.embeddings import HuggingFaceEmbeddings as Community
    except ImportError as exc:
        raise BenchmarkError(
            f"neither langchain-huggingface nor langchain-community is installed: "
            f"{LANGCHAIN_INSTALL}"
        ) from exc
    # langchain-core re-enables its deprecation warnings on import; the stand-in is deliberate.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Community(**kwargs), "langchain_community"


def load_documents(paths: list[Any]) -> list[Any]:
    """The tutorial's loaders: PyPDFLoader (a Document per page) for PDF, TextLoader otherwise."""
    try:
        from langchain_community.document_loaders import PyPDFLoader, TextLoader
    except ImportError as exc:
        raise BenchmarkError(f"langchain-community is missing: {LANGCHAIN_INSTALL}") from exc
    docs: list[Any] = []
    for path in paths:
        if path.suffix.lower() == ".pdf":
            docs.extend(PyPDFLoader(str(path)).load())
        else:
            docs.extend(TextLoader(str(path), encoding="utf-8").load())
    return docs


def chroma_from_documents(docs: list[Any], embeddings: Any, persist_directory: str) -> Any:
    """Chroma.from_documents into a folder, telemetry off (this machine has no internet)."""
    try:
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
    except ImportError as exc:
        raise BenchmarkError(f"langchain-chroma is missing: {LANGCHAIN_INSTALL}") from exc
    return Chroma.from_documents(
        docs,
        embeddings,
        persist_directory=persist_directory,
        client_settings=ChromaSettings(anonymized_telemetry=False),
    )
