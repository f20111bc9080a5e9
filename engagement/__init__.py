"""engagement: buurt reference (CBS), coverage, weighting, outreach, reports, store, CLI."""
from __future__ import annotations
