"""store: projects, imports, respondents without personal data, audit log, retention."""
