"""What the pages share: the one assistant per server, and the page's own state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import ParamSpec

import streamlit as st

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.settings import Settings

logger = logging.getLogger(__name__)
P = ParamSpec("P")


def assistant() -> AgreementAssistant:
    """The server's assistant for the current AGREEMENTS_HOME (read per call: tests and
    hosts may point it elsewhere)."""
    return _assistant_for(str(Settings().home_dir))


@st.cache_resource(show_spinner="Loading the index…")
def _assistant_for(home: str) -> AgreementAssistant:
    # One per home, shared by every browser session of the server: the model loads once,
    # and the facade serializes writes between sessions.
    return AgreementAssistant(Settings(home=Path(home)))


def guarded(page: Callable[P, None]) -> Callable[P, None]:
    """A page whose failures are a message in the page, never a traceback."""

    @wraps(page)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            page(*args, **kwargs)
        except AgreementsError as exc:
            st.error(str(exc))
        except Exception as exc:
            # Logged with its traceback for the operator; the page gets one line.
            logger.exception("page %s failed", page.__name__)
            st.error(f"Something went wrong ({type(exc).__name__}). The details are in the log.")

    return run
