"""The sidebar: the agreements in the index, uploads, removal, and the question's scope."""

from __future__ import annotations

import streamlit as st

from assistant.facade import AgreementAssistant
from assistant.types import AgreementInfo, FileIngested, FileStatus, IngestEvent, OcrPageRead

SCOPE_KEY = "scope"
_UPLOADER_ROUND = "uploader_round"
_UPLOAD_MESSAGES = "upload_messages"
_CONFIRM_REMOVE = "confirm_remove"


def agreements_sidebar(assistant: AgreementAssistant) -> list[str]:
    """Draw the sidebar; returns the agreements questions should cover ([] = all)."""
    with st.sidebar:
        agreements = assistant.agreements()
        _upload(assistant)
        st.subheader(f"Agreements ({len(agreements)})")
        if not agreements:
            st.info(
                "No agreements yet. Upload PDF, DOCX, HTML, Markdown or text files above, "
                "or run `agreements ingest PATH`."
            )
            return []
        for info in agreements:
            st.markdown(f"**{info.title or info.name}**  \n{_details(info)}")
        _remove(assistant, agreements)
        known = [a.name for a in agreements]
        chosen = [name for name in st.session_state.get(SCOPE_KEY, []) if name in known]
        st.session_state[SCOPE_KEY] = chosen
        selected: list[str] = st.multiselect(
            "Questions cover", known, key=SCOPE_KEY, placeholder="All agreements"
        )
        return selected


def _details(info: AgreementInfo) -> str:
    parts = [info.name, info.format.upper() if isinstance(info.format, str) else str(info.format)]
    if info.pages is not None:
        scanned = f" ({len(info.ocr_pages)} by OCR)" if info.ocr_pages else ""
        parts.append(f"{info.pages} pages{scanned}")
    parts.append(f"{info.chunks} clauses")
    if info.ingested_at:
        parts.append(f"ingested {info.ingested_at:%Y-%m-%d %H:%M}")
    return " · ".join(parts)


def _upload(assistant: AgreementAssistant) -> None:
    round_ = st.session_state.setdefault(_UPLOADER_ROUND, 0)
    files = st.file_uploader(
        "Add agreements",
        type=assistant.supported_extensions(),
        accept_multiple_files=True,
        key=f"uploader-{round_}",
    )
    for kind, message in st.session_state.get(_UPLOAD_MESSAGES, []):
        (st.success if kind == "ok" else st.error)(message)
    if not files or not st.button("Add to the index", type="primary"):
        return
    messages: list[tuple[str, str]] = []
    for upload in files:
        bar = st.progress(0.0, text=f"{upload.name}: reading")

        def on_event(event: IngestEvent, bar: st.delta_generator.DeltaGenerator = bar,
                     name: str = upload.name) -> None:
            if isinstance(event, OcrPageRead):
                bar.progress(0.9 * event.done / event.pages, text=f"{name}: OCR page {event.done}")
            elif isinstance(event, FileIngested):
                bar.progress(1.0, text=f"{name}: {event.result.status.value}")

        result = assistant.ingest_bytes(upload.name, upload.getvalue(), on_event)
        if result.status is FileStatus.FAILED:
            messages.append(("error", result.error or f"{upload.name}: could not be read"))
        else:
            landed = f"{result.status.value} as {result.name}, {result.chunks} clauses"
            messages.append(("ok", f"{upload.name}: {landed}"))
    st.session_state[_UPLOAD_MESSAGES] = messages
    st.session_state[_UPLOADER_ROUND] = round_ + 1  # a fresh uploader: the files are in
    st.rerun()


def _remove(assistant: AgreementAssistant, agreements: list[AgreementInfo]) -> None:
    with st.expander("Remove an agreement"):
        name = st.selectbox("Agreement", [a.name for a in agreements], key="remove_choice")
        if st.session_state.get(_CONFIRM_REMOVE) != name:
            if st.button("Remove", key="remove"):
                st.session_state[_CONFIRM_REMOVE] = name
                st.rerun()
            return
        st.warning(f"Remove {name} and all its clauses from the index?")
        left, right = st.columns(2)
        if left.button("Yes, remove", key="remove_confirmed", type="primary"):
            assistant.remove(name)
            st.session_state.pop(_CONFIRM_REMOVE, None)
            st.session_state[_UPLOAD_MESSAGES] = [("ok", f"Removed {name}")]
            st.rerun()
        if right.button("Cancel", key="remove_cancelled"):
            st.session_state.pop(_CONFIRM_REMOVE, None)
            st.rerun()
