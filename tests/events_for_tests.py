"""Valid contract-3 events for the tests (schema/event.schema.json), one factory for all."""

import uuid


def event(i=0, **fields):
    """A static finding; ``i`` makes the fingerprint (and cell) distinct, ``fields`` override."""
    body = {
        "event_id": uuid.uuid4().hex,
        "time": "2026-11-25T22:00:00Z",
        "kind": "static",
        "rule_id": "torch-load-unsafe",
        "severity": "high",
        "action": "warned",
        "fingerprint": f"{i:016x}",
        "location": {"path": "train.ipynb", "cell_id": f"cell-{i}", "line": 1},
        "evidence": {"call": "torch.load"},
    }
    body.update(fields)
    return body


def events(start, n, **fields):
    return [event(start + i, **fields) for i in range(n)]


def kernel_event(i=0, **fields):
    """What a kernel guard spools: a refused pickle global, no notebook location."""
    body = event(
        i,
        kind="runtime",
        rule_id="pickle-blocked-global",
        severity="critical",
        action="blocked",
        evidence={"global": "os.system"},
    )
    del body["location"]
    body.update(fields)
    return body
