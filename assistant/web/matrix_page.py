"""The responsibility matrix: every topic by agreement, the gaps to negotiate, exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.facade import AgreementAssistant
from assistant.rendering import matrix_to_csv, matrix_to_xlsx
from assistant.types import Matrix, MatrixCell, Verdict
from assistant.web.sidebar import agreements_sidebar
from assistant.web.state import assistant as get_assistant
from assistant.web.state import guarded
from assistant.web.widgets import BADGES, cell_style, save_review, verdict_badge, verdict_text

_MATRIX = "matrix"


@guarded
def matrix_page() -> None:
    assistant = get_assistant()
    scope = agreements_sidebar(assistant)
    st.title("Responsibility matrix")
    names = [a.name for a in assistant.agreements()]
    if not names:
        st.info("The index is empty: add agreements in the sidebar first.")
        return
    chosen = st.multiselect("Agreements", names, default=scope or names, key="matrix_agreements")
    if not chosen:
        st.warning("Choose at least one agreement.")
        return
    if st.button("Answer every topic", type="primary", key="build_matrix"):
        bar = st.progress(0.0, text="Answering…")

        def on_progress(agreement: str, done: int, total: int) -> None:
            bar.progress(done / total, text=f"{agreement}: topic {done} of {total}")

        st.session_state[_MATRIX] = assistant.matrix(chosen, on_progress)
        bar.empty()
    matrix: Matrix | None = st.session_state.get(_MATRIX)
    if matrix is None or matrix.agreements != chosen:
        st.caption("Each topic is asked of each agreement; answers are cached until it changes.")
        return
    gaps = st.toggle("Only gaps: the agreements differ or one is silent", key="matrix_gaps")
    _grid(matrix, gaps)
    left, right = st.columns(2)
    left.download_button(
        "Download CSV", matrix_to_csv(matrix, gaps), "responsibility-matrix.csv", "text/csv"
    )
    right.download_button(
        "Download XLSX",
        matrix_to_xlsx(matrix, gaps),
        "responsibility-matrix.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    _cell_details(assistant, matrix)


def _grid(matrix: Matrix, gaps: bool) -> None:
    rows = []
    for topic, label in matrix.topics.items():
        if gaps and not matrix.is_gap(topic):
            continue
        row = {"topic": label}
        for agreement in matrix.agreements:
            cell = matrix.cell(agreement, topic)
            row[agreement] = verdict_text(cell.verdict, cell.section) if cell else ""
        rows.append(row)
    if not rows:
        st.success("No gaps: every topic is allocated the same way in all of them.")
        return
    table = pd.DataFrame(rows).set_index("topic")
    st.table(table.style.map(cell_style))


def _cell_details(assistant: AgreementAssistant, matrix: Matrix) -> None:
    """The quote behind each cell of a topic, with its review buttons."""
    st.subheader("Clauses behind a topic")
    topic = st.selectbox(
        "Topic", list(matrix.topics), format_func=matrix.topics.__getitem__, key="matrix_topic"
    )
    for agreement in matrix.agreements:
        cell = matrix.cell(agreement, topic)
        if cell is None:
            continue
        with st.container(border=True):
            st.markdown(f"**{agreement}**")
            verdict_badge(cell.verdict)
            st.markdown(cell.answer)
            if cell.quote:
                st.caption(cell.source or "")
                st.markdown("> " + cell.quote)
            _cell_review(assistant, cell)


def _save(assistant: AgreementAssistant, cell: MatrixCell, verdict: Verdict) -> None:
    evidence = [cell.quote] if cell.quote else []
    save_review(assistant, cell.question, cell.agreement, cell.topic, cell.verdict, verdict,
                evidence)


def _cell_review(assistant: AgreementAssistant, cell: MatrixCell) -> None:
    key = f"cell-{cell.agreement}-{cell.topic}"
    left, right = st.columns([1, 2])
    if left.button("Correct", key=f"{key}-ok", icon=":material/check:"):
        _save(assistant, cell, cell.verdict)
    label = right.selectbox(
        "Wrong, it should be",
        [v for v in BADGES if v is not cell.verdict],
        format_func=lambda v: BADGES[v][0],
        key=f"{key}-label",
        index=None,
        placeholder="Wrong, it should be…",
        label_visibility="collapsed",
    )
    if label is not None and right.button("Save correction", key=f"{key}-fix"):
        _save(assistant, cell, label)
