"""The Streamlit chat's pages and widgets (app.py is the entry point). Front-end code: it
sees the facade and the public types only."""
