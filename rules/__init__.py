"""Rules: one module per concern, plus the runtime catalog (catalog.json)."""
