"""Which notebook a kernel's event is about, as the server knows it now.

A kernel names its notebook by ``JPY_SESSION_NAME``, which jupyter_server sets once, when it
launches the kernel. A notebook renamed afterwards (JupyterLab PATCHes its session's path; a
panel renamed while its kernel was still starting does the same) keeps running in that kernel,
and the kernel's events would go on naming the old file. The server's session table follows
renames, so spooled kernel events take their notebook from it by kernel id.

The kernel id is the kernel's own word (its connection file's name): a kernel that lies about
it can name another notebook, as it could name any path before (a compromised kernel forges
its events: docs/threat-model.md, A5)."""

from typing import Dict


async def kernel_paths(session_manager) -> Dict[str, str]:
    """``{kernel id: its session's path}`` for every session with a kernel (the API path,
    relative to the server's root, as event locations are)."""
    paths = {}
    for session in await session_manager.list_sessions():
        kernel = session.get("kernel") or {}
        kernel_id, path = kernel.get("id"), session.get("path")
        if isinstance(kernel_id, str) and isinstance(path, str) and path:
            paths[kernel_id] = path
    return paths


def current_notebook(event: object, paths: Dict[str, str]) -> object:
    """``event`` with ``location.path`` the current path of its kernel's session, when the
    event names a kernel that has one; any other event as it is (a kernel started without a
    session, a session ended before its kernel's last events were read)."""
    location = event.get("location") if isinstance(event, dict) else None
    kernel_id = location.get("kernel_id") if isinstance(location, dict) else None
    path = paths.get(kernel_id) if isinstance(kernel_id, str) else None
    if path is None or location.get("path") == path:
        return event
    return dict(event, location=dict(location, path=path))
