"""Dagster assets, one module per stage: documents → extraction → warehouse."""
