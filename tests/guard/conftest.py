import json
import sys
from pathlib import Path

import jsonschema
import pytest
from guard_owner import owner_state

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))  # warden_testpkg: a non-stdlib package for benign and hostile data


@pytest.fixture(scope="session")
def event_validator():
    schema = json.loads((REPO / "schema" / "event.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture()
def guard(tmp_path, event_validator):
    """The process-wide guard (installed once; audit hooks cannot be removed), with the built-in
    default policy, a fresh spool folder and an event list for this test."""
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
    for event in events:  # every event any guard test produced obeys contract 3
        event_validator.validate(event)
        assert event["kind"] == "runtime" and event["source"] == "kernel"
    state.sink = old_sink
    state.set_policy({})
    state.confirmations.clear()


@pytest.fixture()
def marker(tmp_path):
    path = tmp_path / "PWNED"
    yield path
    assert not path.exists(), f"the payload ran: {path} exists"
