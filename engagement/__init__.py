"""engagement: coverage against the reference, weighting, cells, progress, the fieldwork
planner and outreach advice."""
