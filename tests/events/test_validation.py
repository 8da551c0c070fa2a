"""The event validator: clear reasons, and its fast path agrees with jsonschema (fuzzed)."""

import copy
import random

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from jupyterlab_warden.kernel.contracts import load_contract
from jupyterlab_warden.lab.events.validation import EventValidator, is_rfc3339

BASE = {
    "event_id": "abcdef0123456789",
    "time": "2026-11-25T22:00:00.123Z",
    "kind": "runtime",
    "rule_id": "pickle-blocked-global",
    "severity": "critical",
    "action": "blocked",
    "fingerprint": "0123456789abcdef",
    "message": "blocked os.system",
    "location": {"path": "a.ipynb", "cell_id": "c", "line": 1, "column": 2, "kernel_id": "k"},
    "evidence": {"global": "os.system", "size": 12, "flags": ["a", 1, True], "none": None},
    "justification": "known",
    "count": 2,
    "first_seen": "2026-11-25T21:00:00+01:00",
    "last_seen": "2026-11-25T22:00:00Z",
    "source": "kernel",
    "policy_revision": 3,
}

ODD_VALUES = [
    None,
    True,
    0,
    -1,
    1.5,
    "",
    "x" * 3000,
    "2026-11-25T22:00:00Z",
    "2026-02-30",
    "2026-11-25 22:00:00Z",
    "2026-11-25T22:00:00+0000",
    "T",
    [],
    [1],
    {},
    {"a": 1},
    "ABCDEF0123456789",
    "deadbeefdeadbeef",
    "static",
    "warned",
    "high",
    "../../etc",
    "\u0000",
    "é" * 10,
    10**20,
    float("nan"),
]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2026-11-25T22:00:00Z", True),
        ("2026-11-25t22:00:00.123456+05:30", True),
        # central refuses these (ajv-formats' calendar check, then Date.parse): so does the lab
        ("2026-11-25T22:00:60Z", False),
        ("2026-12-31T23:59:60Z", False),
        ("2026-02-30T22:00:00Z", False),
        ("2028-02-29T22:00:00Z", True),
        ("2026-02-29T22:00:00Z", False),
        ("0000-01-01T00:00:00Z", False),
        ("9999-12-31T23:59:59-23:59", False),
        ("2026-11-25T22:00:00+24:00", False),
        ("2026-11-25T22:00:00.123456789Z", True),
        ("2026-11-25T22:00:00", False),
        ("2026-11-25 22:00:00Z", False),
        ("2026-13-25T22:00:00Z", False),
        ("2026-11-25T24:00:00Z", False),
        ("2026-11-25T22:00:00+0530", False),
        ("now", False),
    ],
)
def test_rfc3339(value, ok):
    assert is_rfc3339(value) is ok


def test_the_full_event_is_valid():
    assert EventValidator().reason(BASE) is None


def test_fast_path_and_jsonschema_agree_on_fuzzed_events():
    fast = EventValidator()
    checker = FormatChecker(formats=())
    checker.checks("date-time")(is_rfc3339)
    reference = Draft202012Validator(load_contract("event.schema.json"), format_checker=checker)
    rng = random.Random(20261125)
    refused = 0
    for _ in range(3000):
        event = copy.deepcopy(BASE)
        for _ in range(rng.randint(1, 3)):
            target = event
            if rng.random() < 0.3:
                target = event.setdefault(rng.choice(["location", "evidence"]), {})
                if not isinstance(target, dict):
                    continue
            keys = list(target) + ["extra", "user"]
            key = rng.choice(keys)
            if rng.random() < 0.15:
                target.pop(key, None)
            else:
                target[key] = rng.choice(ODD_VALUES)
        verdict = fast.reason(event)
        expected_valid = reference.is_valid(event)
        if expected_valid:
            # only the size limit and non-finite numbers may refuse what the schema allows
            assert (
                verdict is None or "more than the limit" in verdict or ("not finite" in verdict)
            ), (event, verdict)
        else:
            refused += 1
            assert verdict is not None, event
            assert "fails the event schema" not in verdict  # a precise reason was found
    assert refused > 1000


def test_non_finite_numbers_are_refused():
    event = copy.deepcopy(BASE)
    event["evidence"]["size"] = float("inf")
    assert "not finite" in EventValidator().reason(event)
