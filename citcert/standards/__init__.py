"""Standards as data: models, loader, registry, overlays, diff and schema."""
