"""Ingestion into a real Chroma folder with the real model: upserts, replacement, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assistant.facade import AgreementAssistant
from assistant.types import FileStatus
from ingest import reading

AGREEMENT = """# Harbor Test Terms

This agreement is between Harbor Cloud Ltd ("Provider") and the customer ("Customer").

## 1. Backups
1.1 Customer is responsible for keeping backups of Customer Data.
1.2 Provider does not back up Customer applications.

## 2. Security
2.1 Provider will apply security patches to the platform operating system each month.
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _write_encrypted_pdf(path: Path) -> None:
    plain = path.with_suffix(".plain")
    pdf = canvas.Canvas(str(plain), pagesize=A4)
    pdf.drawString(72, 720, "Provider shall back up Customer Data daily.")
    pdf.save()
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="s3cret", owner_password="owner")
    writer.write(path)
    plain.unlink()


def _write_image_only_pdf(path: Path) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(72, 72, 400, 600, fill=1)
    pdf.save()


def test_reingesting_an_unchanged_file_writes_nothing(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    path = write(tmp_path / "harbor.md", AGREEMENT)
    first = assistant.ingest([path])
    assert [o.status for o in first.results] == [FileStatus.ADDED]
    count = assistant.store.count()
    assert count == first.results[0].chunks > 0

    second = assistant.ingest([path])
    assert [o.status for o in second.results] == [FileStatus.UNCHANGED]
    assert assistant.store.count() == count


def test_an_unchanged_file_read_by_an_older_reader_is_read_again(
    assistant: AgreementAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A better loader must reach agreements already in the index: the file did not change,
    but what is read from it did."""
    path = write(tmp_path / "harbor.md", AGREEMENT)
    first = assistant.ingest([path]).results[0]
    record = assistant.store.record("harbor")
    assert record is not None and record.reader_version == reading.READER_VERSION

    monkeypatch.setattr(reading, "READER_VERSION", reading.READER_VERSION + 1)
    again = assistant.ingest([path]).results[0]
    assert again.status is FileStatus.UPDATED
    record = assistant.store.record("harbor")
    assert record is not None and record.reader_version == reading.READER_VERSION
    # The new reading replaced the old one: no chunk of the old version is left.
    assert assistant.store.count() == again.chunks == first.chunks
    assert assistant.ingest([path]).results[0].status is FileStatus.UNCHANGED


def test_a_changed_file_replaces_its_old_clauses(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    path = write(tmp_path / "harbor.md", AGREEMENT)
    assistant.ingest([path])
    write(path, AGREEMENT.replace("each month", "within 30 days of release"))
    report = assistant.ingest([path])
    assert [o.status for o in report.results] == [FileStatus.UPDATED]
    texts = " ".join(c.text for c in assistant.store.iter_chunks(assistant.store.versions()))
    assert "within 30 days of release" in texts
    assert "each month" not in texts
    assert assistant.store.count() == report.results[0].chunks


def test_a_bad_file_fails_alone_and_leaves_nothing(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    write(folder / "good.md", AGREEMENT)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    _write_encrypted_pdf(folder / "locked.pdf")
    _write_image_only_pdf(folder / "scan.pdf")
    (folder / "empty.docx").write_bytes(b"")
    # Latin-1 text is read now (tests/test_loaders.py); bytes no encoding reads are not.
    (folder / "binary.txt").write_bytes(bytes(range(128, 256)) * 8 + b"\x00\x01\x02")
    report = assistant.ingest([folder])
    statuses = {Path(o.source).name: o.status for o in report.results}
    assert statuses == {
        "good.md": FileStatus.ADDED,
        "broken.pdf": FileStatus.FAILED,
        "binary.txt": FileStatus.FAILED,
        "locked.pdf": FileStatus.FAILED,
        "scan.pdf": FileStatus.FAILED,
        "empty.docx": FileStatus.FAILED,
    }
    for outcome in report.failed:
        assert outcome.error and Path(outcome.source).name in outcome.error
    assert [r.name for r in assistant.agreements()] == ["good"]
    chunks = list(assistant.store.iter_chunks(assistant.store.versions()))
    assert {c.agreement for c in chunks} == {"good"}


def test_remove_drops_the_agreement_and_its_chunks(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    assistant.ingest([write(tmp_path / "a.md", AGREEMENT), write(tmp_path / "b.md", AGREEMENT)])
    assert [r.name for r in assistant.agreements()] == ["a", "b"]
    assistant.remove("a")
    assert [r.name for r in assistant.agreements()] == ["b"]
    assert {c.agreement for c in assistant.store.iter_chunks(assistant.store.versions())} == {"b"}


def test_records_keep_party_aliases_and_sections(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    assistant.ingest([write(tmp_path / "harbor.md", AGREEMENT)])
    record = assistant.store.record("harbor")
    assert record is not None
    assert "Customer" in record.parties.customer
    assert "Provider" in record.parties.provider
    sections = {c.section for c in assistant.store.iter_chunks([record.version])}
    assert {"1.1", "2.1"} & sections


def test_two_homes_share_nothing(tmp_path: Path) -> None:
    from assistant.settings import Settings

    one = AgreementAssistant(Settings(home=tmp_path / "one"))
    two = AgreementAssistant(Settings(home=tmp_path / "two"))
    one.ingest([write(tmp_path / "harbor.md", AGREEMENT)])
    assert [r.name for r in one.agreements()] == ["harbor"]
    assert two.agreements() == []


SILENT = """# Quiet Terms

This agreement is between Quiet Hosting Ltd ("Provider") and the customer ("Customer").

## 1. Fees
1.1 Customer shall pay all fees within 30 days of the invoice date.

## 2. Law
2.1 This agreement is governed by the laws of England.
"""


def test_a_question_over_several_agreements_is_answered_for_each(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    assistant.ingest([write(tmp_path / "harbor.md", AGREEMENT), write(tmp_path / "quiet.md", SILENT)])
    answer = assistant.ask("Who is responsible for backups?")
    parts = {part.agreements[0]: part for part in answer.by_agreement}
    assert set(parts) == {"harbor", "quiet"}
    assert parts["harbor"].verdict.value == "customer"
    assert parts["quiet"].verdict.value == "not_addressed"
    assert all(c.agreement == "harbor" for c in parts["harbor"].citations)


def test_chunks_of_a_stale_version_are_never_retrieved(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    from assistant.index.store import _chunk_metadata

    path = write(tmp_path / "harbor.md", AGREEMENT)
    assistant.ingest([path])
    record = assistant.store.record("harbor")
    assert record is not None
    # What a write that died half-way leaves behind: chunks tagged with a version the
    # registry never switched to, matching the question better than anything current.
    stale = next(iter(assistant.store.iter_chunks([record.version]))).model_copy(
        update={"id": "stale-chunk", "text": "Who handles backups? Provider handles backups."}
    )
    vector = assistant.embedder.embed_documents([stale.text])
    assistant.store._chunks.upsert(
        ids=[stale.id],
        embeddings=vector,
        documents=[stale.text],
        metadatas=[_chunk_metadata(stale, "harbor@not-current")],
    )
    for scope in (None, ["harbor"]):
        answer = assistant.ask("Who handles backups?", scope)
        assert answer.retrieved
        assert all(r.chunk.id != "stale-chunk" for r in answer.retrieved)
