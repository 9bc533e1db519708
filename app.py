"""The Streamlit chat (`make run` starts it): pages and widgets over the one facade."""

from __future__ import annotations

import streamlit as st

from assistant.web.chat_page import chat_page
from assistant.web.matrix_page import matrix_page
from assistant.web.reviews_page import reviews_page


def main() -> None:
    st.set_page_config(page_title="Agreement assistant", page_icon="📑", layout="wide")
    pages = [
        st.Page(chat_page, title="Chat", icon=":material/chat:", url_path="chat", default=True),
        st.Page(matrix_page, title="Matrix", icon=":material/grid_on:", url_path="matrix"),
        st.Page(reviews_page, title="Reviews", icon=":material/rate_review:", url_path="reviews"),
    ]
    st.navigation(pages).run()


main()
