import pytest

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture
def jp_server_config(jp_server_config):
    # Load Warden into the real jupyter server each test starts.
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_warden": True}}}
