"""Warden is a jupyter_server ExtensionApp: loaded through its extension point, routes under
the server's base_url, and stopped by the server at shutdown (no patched cleanup hook)."""

import asyncio

from jupyterlab_warden.lab.extension import WardenExtension
from jupyterlab_warden.lab.gate import WardenGatedConnection
from jupyterlab_warden.lab.sync import sync_for


def _warden_app(server_app):
    apps = server_app.extension_manager.extension_apps["jupyterlab_warden"]
    (app,) = apps
    return app


async def test_loaded_as_an_extension_app(jp_serverapp, jp_fetch):
    app = _warden_app(jp_serverapp)
    assert isinstance(app, WardenExtension)
    response = await jp_fetch("warden", "status")  # routed under base_url
    assert response.code == 200
    # ExtensionApp writes its copy of the settings back after initialize_settings: the gated
    # websocket connection set there must survive it.
    settings = jp_serverapp.web_app.settings
    assert settings["kernel_websocket_connection_class"] is WardenGatedConnection


async def test_the_server_stops_the_pipeline_and_the_policy_watcher(jp_serverapp):
    sync = sync_for(jp_serverapp)
    deadline = asyncio.get_running_loop().time() + 30
    while not sync._tasks and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)  # the pipeline starts on the next IOLoop turn
    tasks = list(sync._tasks)
    assert tasks and not any(task.done() for task in tasks)
    app = _warden_app(jp_serverapp)
    assert app._watcher.is_running()
    await jp_serverapp.extension_manager.stop_all_extensions()
    assert all(task.done() for task in tasks)
    assert not app._watcher.is_running()
