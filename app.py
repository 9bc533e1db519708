"""Streamlit chat: a placeholder until the UI issue; it already uses the one facade."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("The Streamlit chat is not built yet; use the `agreements` command.")


if __name__ == "__main__":
    main()
