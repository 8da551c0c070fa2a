"""Valid contract-3 events for the central tests."""

import uuid


def event(i, **fields):
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
