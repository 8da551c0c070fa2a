"""A kernel's events name its notebook as the server calls it now, not as it was called when
the kernel was launched: jupyter_server hands the kernel its notebook's path once
(``JPY_SESSION_NAME``), and a notebook renamed afterwards (JupyterLab PATCHes its session)
would have every later block reported against the old file in the admin's dashboard."""

import sys
from pathlib import Path

import pytest
from kernel_ws import KernelWebsocket, run
from labserver_harness import LabServer, wait_for

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "guard"))
from warden_testpkg import payloads  # noqa: E402


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("rename-lab")).start()
    yield server
    server.stop()


def execute(lab, kernel_id, code):
    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(code, timeout=180)

    reply, _ = run(scenario())
    return reply["content"]


def new_session(lab, path):
    (lab.workdir / "root" / Path(path).parent).mkdir(parents=True, exist_ok=True)
    (lab.workdir / "root" / path).write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    body = {
        "path": path,
        "name": Path(path).name,
        "type": "notebook",
        "kernel": {"name": "python3"},
    }
    status, session = lab.request("POST", "/api/sessions", body)
    assert status == 201, session
    return session


def blocked_load(lab, kernel_id, tmp_path, name):
    """A malicious pickle loaded in the kernel (refused, its event spooled); its marker."""
    marker = tmp_path / f"marker-{name}"
    path = tmp_path / f"{name}.pkl"
    path.write_bytes(payloads.os_system(marker))
    content = execute(lab, kernel_id, f"import pickle\npickle.load(open({str(path)!r}, 'rb'))")
    assert content.get("ename") == "WardenBlockedLoad", content
    assert not marker.exists()
    return str(path)


def kernel_event(lab, kernel_id, file):
    """The block event of ``kernel_id`` whose evidence names ``file``."""

    def found():
        for item in lab.all_events():
            event = item["event"]
            location = event.get("location") or {}
            evidence = event.get("evidence") or {}
            if location.get("kernel_id") == kernel_id and evidence.get("path") == file:
                return event
        return None

    return wait_for(found, 60, 0.2, f"the kernel's event about {file}")


def test_events_after_a_rename_name_the_notebook_by_its_new_path(lab, tmp_path):
    session = new_session(lab, "drafts/Untitled.ipynb")
    kernel_id = session["kernel"]["id"]
    before = kernel_event(lab, kernel_id, blocked_load(lab, kernel_id, tmp_path, "before"))
    assert before["location"]["path"] == "drafts/Untitled.ipynb"

    status, renamed = lab.request(
        "PATCH",
        f"/api/sessions/{session['id']}",
        {"path": "train/model.ipynb", "name": "model.ipynb"},
    )
    assert status == 200, renamed
    after = kernel_event(lab, kernel_id, blocked_load(lab, kernel_id, tmp_path, "after"))
    assert after["location"]["path"] == "train/model.ipynb"


def test_a_kernel_without_a_session_keeps_what_it_reports(lab, tmp_path):
    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    event = kernel_event(lab, kernel["id"], blocked_load(lab, kernel["id"], tmp_path, "bare"))
    assert "path" not in event["location"]
