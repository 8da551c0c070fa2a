import sys
from pathlib import Path

import pytest
from guard_owner import event_validator, guard_for_test, marker  # noqa: F401 (fixtures)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # warden_testpkg: a non-stdlib package for benign and hostile data


def _from_kernel(event):
    assert event["kind"] == "runtime" and event["source"] == "kernel"


@pytest.fixture()
def guard(tmp_path, event_validator):  # noqa: F811 (the fixture imported above)
    """The process-wide guard (installed once; audit hooks cannot be removed), with the built-in
    default policy, a fresh spool folder and an event list for this test."""
    yield from guard_for_test(tmp_path, event_validator, _from_kernel)
