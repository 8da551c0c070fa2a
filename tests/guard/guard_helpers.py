"""Helpers shared by the guard tests."""

import json


def spooled(state):
    """Events as written to the spool file (what the lab server ingests)."""
    if not state.sink.spool_path:
        return []
    with open(state.sink.spool_path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


