"""surveys: from a file on disk to a clean respondents table (no CBS, no Streamlit)."""
from __future__ import annotations
