"""An import hook inserted ahead of Warden's patch-on-import finder does not leave a format
loader unpatched (red-team finding F15): the finder is put back in front on the ``import``
audit event, target modules imported past it anyway are patched before the next load and in
status(), and a loader Warden cannot wrap is an error in status().

Each case runs in a fresh process with a real finder at ``sys.meta_path[0]`` (as typeguard,
jaxtyping or a lazy-import hook insert one) and a real PyYAML payload that creates a marker
file; the same script without the guard creates it (the payload proves itself)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import jupyterlab_warden

ROOT = str(Path(jupyterlab_warden.__file__).resolve().parents[1])

_SCRIPT = r"""
import importlib, importlib.machinery, json, pickle, sys
guarded, how, marker = sys.argv[1] == "guarded", sys.argv[2], sys.argv[3]
if guarded:
    from jupyterlab_warden.kernel import guard
    assert guard.install(None) is not None

class StubbornLoader:
    # a loader that refuses new attributes: Warden cannot wrap its exec_module
    __slots__ = ("inner",)
    def __init__(self, inner):
        self.inner = inner
    def create_module(self, spec):
        return self.inner.create_module(spec)
    def exec_module(self, module):
        return self.inner.exec_module(module)

class EarlyFinder:
    # claims every module PathFinder finds, from in front of every other finder
    def find_spec(self, name, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and how == "stubborn-loader":
            spec.loader = StubbornLoader(spec.loader)
        return spec

sys.meta_path.insert(0, EarlyFinder())
out = {}
if how == "import-module":
    yaml = importlib.import_module("yaml")  # fires no "import" audit event
else:
    import yaml
out["finder_first"] = type(sys.meta_path[0]).__name__
if how != "import-statement":
    pickle.loads(pickle.dumps([1]))  # a user's load: the guard sweeps before it
try:
    yaml.load("!!python/object/apply:builtins.open [%s, 'w']" % json.dumps(marker),
              Loader=yaml.UnsafeLoader)
    out["refused"] = None
except Exception as exc:
    out["refused"] = type(exc).__name__
if guarded:
    status = guard.status()
    out["patched"] = "yaml.load" in status["patched"]
    out["errors"] = [e for e in status["errors"] if "yaml" in e]
print(json.dumps(out))
"""


def _run(tmp_path, how, guarded):
    marker = tmp_path / f"PWNED-{how}-{guarded}"
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, "guarded" if guarded else "bare", how, str(marker)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PYTHONPATH": ROOT, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), marker


@pytest.mark.parametrize("how", ["import-statement", "import-module", "stubborn-loader"])
def test_a_finder_ahead_of_wardens_does_not_leave_yaml_unguarded(tmp_path, how):
    out, marker = _run(tmp_path, how, guarded=False)
    assert out["refused"] is None and marker.exists()  # the payload runs without the guard
    marker.unlink()

    out, marker = _run(tmp_path, how, guarded=True)
    assert out["refused"] == "WardenBlockedLoad", out
    assert not marker.exists(), "the payload ran under the guard"
    assert out["patched"] is True
    if how == "import-statement":
        assert out["finder_first"] == "WardenPatchOnImport"  # put back in front
    if how == "stubborn-loader":
        assert any("could not wrap the loader of yaml" in e for e in out["errors"]), out
    else:
        assert out["errors"] == []
