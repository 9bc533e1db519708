"""The reviews: what people marked correct or wrong, as labeled question sets to export."""

from __future__ import annotations

import streamlit as st

from assistant.web.sidebar import agreements_sidebar
from assistant.web.state import assistant as get_assistant
from assistant.web.state import guarded
from assistant.web.widgets import BADGES


@guarded
def reviews_page() -> None:
    assistant = get_assistant()
    agreements_sidebar(assistant)
    st.title("Reviews")
    reviews = assistant.reviews.reviews()
    if not reviews:
        st.info(
            "No reviews yet. Mark an answer or a matrix cell “Correct” or “Wrong, it should "
            "be …” and it is saved here as a labeled question."
        )
        return
    right = sum(r.correct for r in reviews)
    st.metric("Marked correct", f"{right} of {len(reviews)}")
    st.dataframe(
        [
            {
                "agreement": r.agreement,
                "question": r.question,
                "topic": r.topic,
                "answered": BADGES[r.answered][0],
                "should be": BADGES[r.label][0],
                "correct": r.correct,
                "reviewed": r.reviewed_at.strftime("%Y-%m-%d %H:%M"),
            }
            for r in reviews
        ],
        hide_index=True,
    )
    st.download_button(
        "Export all question sets (zip)",
        assistant.reviews.export_zip(),
        "reviews.zip",
        "application/zip",
    )
    st.markdown("Each agreement's set runs as it is:")
    for path in assistant.reviews.sets():
        st.code(f"agreements eval --questions {path} --out runs/{path.stem}", language="bash")
