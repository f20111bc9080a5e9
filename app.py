"""Bereikwijzer dashboard: page config and navigation only."""
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="Bereikwijzer", page_icon="🧭", layout="wide")

PAGES = Path(__file__).parent / "ui" / "pages"

navigation = st.navigation([
    st.Page(PAGES / "importeren.py", title="Importeren", icon="📥", default=True),
])
navigation.run()
