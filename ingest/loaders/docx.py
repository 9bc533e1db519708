"""Word (.docx) agreements: body paragraphs and tables in reading order.

DOCX has no fixed pages (they depend on the printer), so no page numbers are recorded.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ingest.errors import CorruptDocumentError, EncryptedDocumentError
from ingest.types import LoadedDocument

from .base import finish
from .docx_numbering import Numbering
from .tables import table_lines

logger = logging.getLogger(__name__)

# Encrypted DOCX files and old .doc files are OLE compound files, not ZIP packages.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


class DocxLoader:
    """Reads .docx files with python-docx, restoring automatic section numbers."""

    extensions: tuple[str, ...] = (".docx",)

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        if data.startswith(_OLE_MAGIC):
            if _ENCRYPTED_STREAM in data:
                raise EncryptedDocumentError(
                    path, "is password-protected; save a copy without a password and load that"
                )
            raise CorruptDocumentError(
                path, "is not a valid DOCX: it is an old Word 97-2003 file; save it as .docx"
            )
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # zipfile, lxml and python-docx errors all mean "not a DOCX"
            logger.debug("python-docx could not open %s", path.name, exc_info=True)
            raise CorruptDocumentError(
                path, "is not a valid DOCX (damaged, or another kind of file)"
            ) from None
        try:
            lines = list(_document_lines(document))
        except Exception:
            logger.debug("python-docx failed reading %s", path.name, exc_info=True)
            raise CorruptDocumentError(
                path, "is not a valid DOCX: its content is damaged"
            ) from None
        return finish(path, "docx", "\n".join(_squeeze_blank(lines)))


def _document_lines(document: DocxDocument) -> Iterator[str]:
    numbering = Numbering(_numbering_xml(document), document.styles.element)
    yield from _block_lines(document.element.body, document, numbering)


def _numbering_xml(document: DocxDocument) -> Any | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # documents without any lists have no part
        return None


def _block_lines(container: Any, parent: Any, numbering: Numbering) -> Iterator[str]:
    """Lines of paragraphs and table rows in body order, including content controls."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, parent)
            label = numbering.label(child)
            text = paragraph.text
            yield f"{label} {text}" if label else text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, parent), numbering)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, parent, numbering)


def _table_lines(table: Table, numbering: Numbering) -> Iterator[str]:
    """One line per row, cells kept apart, so a responsibility matrix keeps its rows (and a
    mark says which column it is in: see `tables`)."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell, numbering))
        rows.append(cells)
    yield from table_lines(rows)


def _cell_text(cell: _Cell, numbering: Numbering) -> str:
    lines = (line.strip() for line in _block_lines(cell._tc, cell, numbering))
    return " ".join(line for line in lines if line)


def _squeeze_blank(lines: list[str]) -> list[str]:
    """Empty paragraphs used as spacing become one blank line, marking a paragraph break."""
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line if line.strip() else "")
    while out and not out[-1]:
        out.pop()
    return out
