"""ui: Streamlit page scripts and small widgets; no analysis logic here."""
