"""Jupyter server extension (L3): policy authority, server checks, event store and relay."""
