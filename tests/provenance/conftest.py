import sys
from pathlib import Path

import pytest
from guard_owner import event_validator, guard_for_test, marker  # noqa: F401 (fixtures)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


@pytest.fixture()
def guard(tmp_path, event_validator):  # noqa: F811 (the fixture imported above)
    """The process-wide guard with a fresh spool and event list; set_policy per test."""
    yield from guard_for_test(tmp_path, event_validator)
