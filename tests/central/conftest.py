import sys
from pathlib import Path

# tests/labserver_harness.py is shared by tests/events and tests/central.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pytest  # noqa: E402
from fault_central import FaultCentral, SigningKey  # noqa: E402
from labserver_harness import free_port  # noqa: E402


@pytest.fixture
def signing_key():
    return SigningKey()


@pytest.fixture
def central(signing_key):
    server = FaultCentral(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def lab_config(central, signing_key):
    """Central settings for a lab, with time scaled down (seconds, not minutes)."""
    return {
        "central_url": central.url,
        "central_token": central.token,
        "central_public_keys": {signing_key.key_id: signing_key.public_b64},
        "central_timeout": 1.5,
        "central_backoff_initial": 0.2,
        "central_backoff_max": 1.0,
        "central_status_interval": 0.5,
        "central_policy_wait": 1,
        "central_poll_interval": 0.5,
        "spool_interval": 0.2,
        "lab_id": "lab-a",
    }
