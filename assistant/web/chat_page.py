"""The chat: ask, see the verdict and its clauses; conversations survive reloads."""

from __future__ import annotations

import streamlit as st

from assistant.facade import AgreementAssistant
from assistant.types import Conversation, Turn
from assistant.web.sidebar import agreements_sidebar
from assistant.web.state import assistant as get_assistant
from assistant.web.state import guarded
from assistant.web.widgets import show_answer

# The conversation shown is named in the address (?chat=ID), so a reload reopens it.
_CHAT_PARAM = "chat"
_MAX_LISTED = 30


@guarded
def chat_page() -> None:
    assistant = get_assistant()
    scope = agreements_sidebar(assistant)
    conversation = _current_conversation(assistant)
    st.title("Ask your agreements")
    if not assistant.agreements():
        st.info(
            "The index is empty. Add agreements with the uploader in the sidebar "
            "(or `agreements ingest PATH`), then ask, for example, “Who handles backups?”"
        )
    for number, turn in enumerate(conversation.turns):
        _show_turn(assistant, conversation, number, turn)
    question = st.chat_input("Ask who holds a duty, e.g. “Who handles backups?”")
    if question:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            # A model's answer appears as it is written; the rerun then shows the checked one.
            draft = st.empty()

            def show_draft(text: str) -> None:
                draft.markdown(text)

            with st.spinner("Reading the clauses…"):
                conversation = assistant.ask_in(conversation, question, scope, on_text=show_draft)
        st.query_params[_CHAT_PARAM] = conversation.id
        st.rerun()


def _show_turn(
    assistant: AgreementAssistant, conversation: Conversation, number: int, turn: Turn
) -> None:
    with st.chat_message("user"):
        st.markdown(turn.question)
        if turn.asked != turn.question:
            st.caption(f"Asked as: {turn.asked}")
        if turn.agreements:
            st.caption("In: " + ", ".join(turn.agreements))
    with st.chat_message("assistant"):
        if turn.answer is not None:
            show_answer(assistant, turn.answer, key=f"{conversation.id}-{number}")
        else:
            st.error(turn.error or "No answer.")


def _current_conversation(assistant: AgreementAssistant) -> Conversation:
    """The conversation in the address, else the most recent one, else a new (unsaved) one;
    the sidebar lists them and starts new ones."""
    conversations = assistant.conversations.list()
    wanted = st.query_params.get(_CHAT_PARAM)
    current = next((c for c in conversations if c.id == wanted), None)
    if current is None and wanted is None and conversations:
        current = conversations[0]
    if current is None:
        current = st.session_state.get("draft") or assistant.conversations.new()
        st.session_state["draft"] = current
    with st.sidebar:
        st.subheader("Conversations")
        if st.button("New chat", icon=":material/add:", key="new_chat"):
            st.session_state["draft"] = assistant.conversations.new()
            st.query_params[_CHAT_PARAM] = st.session_state["draft"].id
            st.rerun()
        for listed in conversations[:_MAX_LISTED]:
            mark = "▸ " if listed.id == current.id else ""
            if st.button(f"{mark}{listed.title}", key=f"open-{listed.id}", type="tertiary"):
                st.query_params[_CHAT_PARAM] = listed.id
                st.rerun()
    return current
