"""HTML templates of the decarbonisation reports (``string.Template`` placeholders)."""
