"""reports: report tables and texts, small-cell suppression, the Excel and HTML writers."""
