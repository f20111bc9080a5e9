"""profiles: engagement profiles from the respondents' answers (no CBS, no Streamlit)."""
from __future__ import annotations
