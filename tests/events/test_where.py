"""``where`` is relative to the server's root for every event (the event schema's rule)."""

import os

from jupyterlab_warden.lab.sync import relative_where


def located(path):
    return {"kind": "runtime", "rule_id": "pickle-blocked-global", "location": {"path": path}}


def test_a_kernels_absolute_notebook_path_becomes_relative_to_the_root(tmp_path):
    root = tmp_path / "root"
    (root / "work").mkdir(parents=True)
    event = located(str(root / "work" / "train.ipynb"))
    out = relative_where(event, str(root))
    assert out["location"] == {"path": "work/train.ipynb"}
    assert event["location"]["path"].startswith(str(root)), "the caller's event is not changed"


def test_relative_paths_paths_outside_the_root_and_odd_events_stay_as_they_are(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    for event in (
        located("work/train.ipynb"),
        located(str(tmp_path / "elsewhere.ipynb")),
        located(str(root) + "x/n.ipynb"),  # a sibling whose name starts like the root
        {"kind": "static"},
        {"location": "not an object"},
        "not an event",
    ):
        assert relative_where(event, str(root)) == event
    assert relative_where(located(str(root / "n.ipynb")), "") == located(str(root / "n.ipynb"))


def test_a_symlinked_root_is_resolved(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    os.symlink(real, link)
    assert (
        relative_where(located(str(real / "a.ipynb")), str(link))["location"]["path"] == "a.ipynb"
    )


def test_a_kernels_event_names_its_sessions_notebook_as_it_is_called_now():
    from jupyterlab_warden.lab.events.session_paths import current_notebook

    paths = {"k1": "train/model.ipynb"}
    event = {"kind": "runtime", "location": {"kernel_id": "k1", "path": "/r/Untitled.ipynb"}}
    out = current_notebook(event, paths)
    assert out["location"] == {"kernel_id": "k1", "path": "train/model.ipynb"}
    assert event["location"]["path"] == "/r/Untitled.ipynb", "the caller's event is not changed"
    no_path = {"location": {"kernel_id": "k1"}}
    assert current_notebook(no_path, paths)["location"]["path"] == "train/model.ipynb"
    for other in (
        {"location": {"kernel_id": "k2", "path": "a.ipynb"}},  # no session: as reported
        {"location": {"path": "a.ipynb"}},
        {"location": {"kernel_id": 3}},
        {"location": "not an object"},
        "not an event",
    ):
        assert current_notebook(other, paths) is other
