"""The one guard of a test process. Audit hooks cannot be removed, so the first test folder
that needs an in-process guard installs it and every folder (tests/guard, tests/provenance)
shares that state: a second ``install()`` in the same process returns None by design."""

import json
from contextlib import contextmanager
from pathlib import Path

import jsonschema
import pytest

_OWNER = []

# Test folders whose tests start their own kernels and installers and expect no process guard in
# pytest: they run before the guard folders in one process (collection order) and in a lane of
# their own in `make test-python` (scripts/pytest-lanes.py); tests/conftest.py fails such a test
# at once when the guard is there.
EXPECT_NO_PROCESS_GUARD = ("deps",)


def owner_state():
    """The guard's state, held by whoever installed it first: this test process. In a kernel
    only the launcher / the lab server's bootstrap holds it; notebook code gets no handle."""
    if not _OWNER:
        from jupyterlab_warden.kernel import guard as guard_pkg

        state = guard_pkg.install()
        assert state is not None, "a guard was installed before the test fixture"
        _OWNER.append(state)
    return _OWNER[0]


def process_guard_installed() -> bool:
    return bool(_OWNER)


@contextmanager
def harness_starts():
    """Process starts of the tests' own harness (the real central's `node dist/main.js`), not
    a subject of any test: once a test folder installed the process guard, its default policy
    refuses a code interpreter whose script may start programs (red team 12 R12-6), so these
    run with `install-unreadable` off; the policy in force is put back after."""
    if not _OWNER:
        yield
        return
    state = _OWNER[0]
    previous = state.policy
    rules = dict(previous.get("rules") or {})
    rules["install-unreadable"] = {"action": "off"}
    state.set_policy({**previous, "rules": rules})
    try:
        yield
    finally:
        state.set_policy(previous)


# Fixtures the folders that test the in-process guard share (imported by their conftest).
_REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def event_validator():
    schema = json.loads((_REPO / "schema" / "event.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture()
def marker(tmp_path):
    path = tmp_path / "PWNED"
    yield path
    assert not path.exists(), f"the payload ran: {path} exists"


def guard_for_test(tmp_path, validator, check=None):
    """The body of a ``guard`` fixture: the process-wide guard with the built-in default
    policy, a fresh spool folder and an event list for this test; afterwards every event it
    recorded obeys the event contract (and ``check``), and the guard is reset."""
    from jupyterlab_warden.kernel.guard.events import EventSink

    state = owner_state()
    state.set_policy({})
    old_sink = state.sink
    spool = tmp_path / "spool"
    spool.mkdir(mode=0o700)  # the lab server prepares it before kernels start
    state.sink = EventSink(str(spool))
    events = []
    state.sink.callbacks.append(events.append)
    state.events = events
    yield state
    for event in events:
        validator.validate(event)
        if check:
            check(event)
    state.sink = old_sink
    state.set_policy({})
    state.confirmations.clear()
