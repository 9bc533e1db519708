"""The pieces every page shows: verdict badges, citation cards, the review form."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import streamlit as st

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.rendering import answered_by
from assistant.types import Answer, Citation, Review, Verdict

BadgeColor = Literal["blue", "orange", "violet", "gray"]
BADGES: dict[Verdict, tuple[str, BadgeColor]] = {
    Verdict.CUSTOMER: ("Customer", "blue"),
    Verdict.PROVIDER: ("Provider", "orange"),
    Verdict.SHARED: ("Shared", "violet"),
    Verdict.NOT_ADDRESSED: ("Silent", "gray"),
}
# Pixels: a page stays readable beside the chat without filling the screen.
_PAGE_WIDTH = 640
# The badges' colours as cell backgrounds, where badges cannot go (the matrix's table).
CELL_COLOURS: dict[str, str] = {
    "Customer": "#e6f0ff",
    "Provider": "#fff2e6",
    "Shared": "#f1e9ff",
    "Silent": "#f0f0f0",
}


def verdict_badge(verdict: Verdict) -> None:
    label, color = BADGES[verdict]
    st.badge(label, color=color)


def verdict_text(verdict: Verdict, section: str | None = None) -> str:
    where = f" §{section}" if section else ""
    return f"{BADGES[verdict][0]}{where}"


def cell_style(text: object) -> str:
    """CSS for a matrix cell reading "Provider §3.4": its verdict's colour."""
    verdict = str(text).split(" ", 1)[0]
    colour = CELL_COLOURS.get(verdict)
    return f"background-color: {colour}" if colour else ""


def show_answer(assistant: AgreementAssistant, answer: Answer, key: str) -> None:
    """The verdict, the sentence, the confidence, the per-agreement table, the cards."""
    if not answer.understood:
        st.warning(answer.answer, icon=":material/help:")
        return
    verdict_badge(answer.verdict)
    st.markdown(answer.answer)
    st.caption(f"Confidence {answer.confidence:.2f} · {answered_by(answer)}")
    if answer.by_agreement:
        st.dataframe(
            [
                {
                    "agreement": part.agreements[0] if part.agreements else "?",
                    "verdict": verdict_text(part.verdict),
                    "deciding section": _deciding_section(part),
                    "confidence": round(part.confidence, 2),
                }
                for part in answer.by_agreement
            ],
            hide_index=True,
        )
    if answer.citations:
        heading = "Nearest clauses" if answer.verdict is Verdict.NOT_ADDRESSED else "Cited"
        st.markdown(f"**{heading}**")
    # Read once per answer, not per card: titles for the location lines, versions for the
    # page-image cache.
    infos = {a.name: a for a in assistant.agreements()}
    for number, citation in enumerate(answer.citations):
        info = infos.get(citation.agreement)
        citation_card(assistant, answer, citation, info.title if info else None,
                      info.version if info else "", number == 0)
    review_controls(assistant, answer, key)


def citation_card(
    assistant: AgreementAssistant,
    answer: Answer,
    citation: Citation,
    title: str | None,
    version: str,
    show_page: bool,
) -> None:
    with st.container(border=True):
        st.caption(citation.label(title))
        st.markdown("> " + citation.quote.replace("\n", "\n> "))
        clause = next((p.chunk for p in answer.retrieved if p.chunk.id == citation.chunk_id), None)
        if clause is not None:
            heading = " / ".join(clause.heading_path) or "Whole clause"
            with st.expander(f"Whole clause: {heading}"):
                st.text(clause.text)
        if citation.page is not None:
            image = _rendered_page(assistant, version, citation.model_dump_json())
            if image is not None:
                png, highlighted = image
                with st.expander(f"Page {citation.page}", expanded=show_page):
                    caption = None if highlighted else "The quote's words could not be located."
                    st.image(png, caption=caption, width=_PAGE_WIDTH)


@st.cache_data(max_entries=64, show_spinner=False)
def _rendered_page(
    _assistant: AgreementAssistant, version: str, citation_json: str
) -> tuple[bytes, bool] | None:
    # Keyed by the agreement's version and the citation: a re-ingested file renders anew.
    image = _assistant.page_image(Citation.model_validate_json(citation_json))
    return (image.png, image.highlighted) if image else None


def _deciding_section(answer: Answer) -> str:
    if answer.verdict is Verdict.NOT_ADDRESSED or not answer.citations:
        return ""
    return answer.citations[0].section or ""


def review_controls(assistant: AgreementAssistant, answer: Answer, key: str) -> None:
    """"Correct" / "wrong, it should be …", saved as a labeled question of the agreement."""
    parts = answer.by_agreement or [answer]
    names = [p.agreements[0] if p.agreements else "" for p in parts]
    with st.expander("Review this answer"):
        chosen = 0
        if len(parts) > 1:
            chosen = st.selectbox(
                "Agreement", range(len(parts)), format_func=lambda i: names[i], key=f"{key}-who"
            )
        part, name = parts[chosen], names[chosen]
        topics = assistant.topics()
        topic_ids = list(topics)
        topic = answer.topic if answer.topic in topics else None
        if topic is None:
            topic = st.selectbox(
                "Topic", topic_ids, format_func=topics.__getitem__, key=f"{key}-topic"
            )
        quotes = [c.quote for c in part.citations]
        if st.button("Correct", key=f"{key}-ok", icon=":material/check:"):
            save_review(assistant, answer.question, name, topic, part.verdict, part.verdict, quotes)
        with st.form(key=f"{key}-fix", border=False):
            label = st.selectbox(
                "Wrong, it should be",
                [v for v in BADGES if v is not part.verdict],
                format_func=lambda v: BADGES[v][0],
                key=f"{key}-label",
                index=None,
                placeholder="Choose the right answer",
            )
            evidence = st.text_area(
                "Evidence: the deciding quotes, one per line (none for Silent)",
                value="\n".join(quotes),
                key=f"{key}-evidence",
            )
            note = st.text_input("Note (optional)", key=f"{key}-note")
            if st.form_submit_button("Save correction"):
                if label is None:
                    st.error("Choose what the answer should be.")
                    return
                lines = [line.strip() for line in evidence.splitlines() if line.strip()]
                save_review(
                    assistant, answer.question, name, topic, part.verdict, label, lines, note
                )


def save_review(
    assistant: AgreementAssistant,
    question: str,
    agreement: str,
    topic: str,
    answered: Verdict,
    label: Verdict,
    evidence: list[str],
    note: str | None = None,
) -> None:
    """Save one review and say where; a refusal (no quote, unknown topic) is shown."""
    review = Review(
        agreement=agreement,
        question=question,
        topic=topic,
        answered=answered,
        label=label,
        evidence=[] if label is Verdict.NOT_ADDRESSED else evidence,
        note=note or None,
        reviewed_at=datetime.now(UTC),
    )
    try:
        path = assistant.review(review)
    except AgreementsError as exc:
        st.error(str(exc))
        return
    st.success(f"Review saved to {path.name}")
