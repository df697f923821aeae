"""Population scoring: many patients at once, through the API's own rules and assessor (no Flask)."""
