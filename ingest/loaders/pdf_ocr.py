"""Scanned pages read with Tesseract OCR.

A scanned agreement is a picture of text: PDFium finds no characters on its pages. Such a
page is rendered with PDFium and read by the `tesseract` program; its words, with their
boxes, become reading lines like those of a text page, so running headers and hyphenated
line ends are handled the same way downstream. OCR is on by default when tesseract is
installed; `OcrOptions` turn it off or point at another binary.

Tesseract is run here directly rather than through pytesseract, because its OpenMP threads
must be capped for the one call: on a busy 2-core machine a page took 16 s with Tesseract's
default threads and 1.8 s with one. pytesseract passes the parent's environment unchanged,
and capping OpenMP for the whole process would also cap the embedding model's threads.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pypdfium2 as pdfium
from pydantic import BaseModel, Field

from .pdf_layout import Line

__all__ = ["OcrError", "OcrOptions", "ocr_lines", "tesseract_available"]

logger = logging.getLogger(__name__)

_POINTS_PER_INCH = 72.0


class OcrOptions(BaseModel):
    """How scanned PDF pages are read (settings: `AGREEMENTS_OCR__*`)."""

    enabled: bool = Field(
        default=True, description="Read image-only PDF pages with Tesseract when it is installed."
    )
    language: str = Field(
        default="eng", description="Tesseract language(s), e.g. 'eng' or 'eng+deu'."
    )
    dpi: int = Field(default=300, ge=72, le=600, description="Resolution pages are rendered at.")
    page_timeout: float = Field(
        default=180.0, gt=0, description="Seconds Tesseract may take for one page."
    )
    command: str | None = Field(
        default=None, description="Path of the tesseract program; found on PATH when unset."
    )


class OcrError(Exception):
    """Tesseract failed on a page (missing language data, timeout, crash)."""


@dataclass(frozen=True)
class _Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float
    line: tuple[int, int, int]


@lru_cache(maxsize=8)
def _tesseract_path(command: str | None) -> str | None:
    return shutil.which(command or "tesseract")


def tesseract_available(options: OcrOptions) -> bool:
    """Whether OCR can run: it is enabled and the tesseract program is found."""
    return options.enabled and _tesseract_path(options.command) is not None


def render(page: pdfium.PdfPage, options: OcrOptions) -> Any:
    """The page as a greyscale PIL image at the OCR resolution (PDFium is not thread-safe:
    callers hold the PDFium lock while this runs)."""
    bitmap = page.render(scale=options.dpi / _POINTS_PER_INCH, grayscale=True)
    try:
        return bitmap.to_pil()
    finally:
        bitmap.close()


def ocr_lines(image: Any, options: OcrOptions) -> list[Line]:
    """The reading lines Tesseract finds in a rendered page, in page points, top first."""
    path = _tesseract_path(options.command)
    if path is None:
        raise OcrError("the tesseract program is not installed")
    png = io.BytesIO()
    image.save(png, format="PNG")
    command = [path, "stdin", "stdout", "-l", options.language, "--psm", "3", "tsv"]
    try:
        run = subprocess.run(
            command,
            input=png.getvalue(),
            capture_output=True,
            timeout=options.page_timeout,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR took longer than {options.page_timeout:g} s") from None
    except OSError as exc:
        raise OcrError(f"tesseract could not be started ({exc.strerror or exc})") from None
    if run.returncode != 0:
        raise OcrError(f"tesseract failed: {_last_lines(run.stderr)}")
    return _lines(_words(run.stdout.decode("utf-8", "replace"), _POINTS_PER_INCH / options.dpi))


def _last_lines(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    return "; ".join(line for line in lines[-3:] if line) or "no message"


def _words(tsv: str, scale: float) -> list[_Word]:
    words: list[_Word] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if not text or float(row.get("conf") or -1) < 0:
            continue
        left, top = int(row["left"]) * scale, int(row["top"]) * scale
        words.append(
            _Word(
                text=text,
                left=left,
                top=top,
                right=left + int(row["width"]) * scale,
                bottom=top + int(row["height"]) * scale,
                line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return words


def _lines(words: list[_Word]) -> list[Line]:
    grouped: dict[tuple[int, int, int], list[_Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    lines: list[Line] = []
    for members in grouped.values():
        members.sort(key=lambda w: w.left)
        top = min(w.top for w in members)
        bottom = max(w.bottom for w in members)
        lines.append(
            Line(
                text=" ".join(w.text for w in members),
                left=min(w.left for w in members),
                right=max(w.right for w in members),
                top=top,
                bottom=bottom,
                size=bottom - top,
            )
        )
    lines.sort(key=lambda line: (line.top, line.left))
    return lines
