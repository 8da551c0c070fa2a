import os
import sys
from pathlib import Path

import pytest

# The developer's own tools under ~ (pyenv's shims, cargo's bin) are no input of the readings
# the tests pin: uv's discovery walks PATH for Pythons, and a pyenv shim there is a script of
# the user's, which Warden refuses to let uv run (threat model, red team 29a R29a-1). The
# tests that read a PATH give their own; the project's virtual environment stays.
_HOME = os.path.expanduser("~").rstrip("/") + "/"
_VENV_BIN = os.path.dirname(sys.executable)
os.environ["PATH"] = os.pathsep.join(
    p
    for p in os.environ.get("PATH", "").split(os.pathsep)
    if p == _VENV_BIN or not (p + "/").startswith(_HOME)
)

pytest_plugins = ["pytest_jupyter.jupyter_server"]

_TESTS = Path(__file__).resolve().parent

# tests/ is on sys.path: pytest's prepend import mode puts a rootless conftest's folder there
from lane_claims import from_environment  # noqa: E402

_LANE_CLAIMS = from_environment()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Under scripts/pytest-lanes.py a module shared by both lanes runs in the lane that
    claims it first; the other lane passes over its tests without a report."""
    if _LANE_CLAIMS is None or _LANE_CLAIMS.ours(item.nodeid.split("::")[0]):
        return None
    return True


@pytest.fixture(autouse=True)
def _no_process_guard_where_none_is_expected(request):
    """Say so at once when a test that expects no process guard runs after a guard file
    installed it (an order or lane mistake), instead of failing later with a refused start."""
    from guard_owner import EXPECT_NO_PROCESS_GUARD, process_guard_installed

    if request.node.path.resolve().relative_to(_TESTS).parts[0] in EXPECT_NO_PROCESS_GUARD:
        assert not process_guard_installed(), (
            "the process guard is installed in this pytest process, so this test's starts "
            "would be decided by it: run this folder before tests/guard (EXPECT_NO_PROCESS_GUARD)"
        )
    yield


@pytest.fixture
def jp_server_config(jp_server_config):
    # Load Warden into the real jupyter server each test starts.
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_warden": True}}}


@pytest.fixture
def real_central(tmp_path):
    """The real central service (Node, SQLite) on 127.0.0.1 for one test. It fails, never
    skips, when central cannot run here (not built, no Node)."""
    for folder in (Path(__file__).resolve().parent, Path(__file__).resolve().parent / "central"):
        if str(folder) not in sys.path:  # real_central.py and the harness it imports
            sys.path.insert(0, str(folder))
    from real_central import RealCentral, central_problem

    problem = central_problem()
    if problem:
        pytest.fail(problem)
    service = RealCentral(tmp_path / "central").start()
    yield service
    service.stop()
