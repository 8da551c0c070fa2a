"""torch.package archives (red-team F2): ``PackageImporter.load_pickle`` imports the modules an
archive ships (their source runs) through its own unpickler, never pickle's ``find_class``.
The archives are made with the real torch.package and the malicious one proven in a plain
interpreter (no Warden): loading its pickle runs the shipped module (a marker file appears).
Under the guard the archive is refused when it is opened, and a model whose code is all
``extern`` loads and runs."""

import json
import os
import subprocess
import sys

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.scan import scan_file

BUILD = r"""
import json, os, sys
import torch
from torch.package import PackageExporter, PackageImporter

out = sys.argv[1]
marker = os.path.join(out, "package.marker")
src = os.path.join(out, "src", "evilmod")
os.makedirs(src)
with open(os.path.join(src, "__init__.py"), "w") as fh:
    fh.write("open(%r, 'w').write('ran')\nclass Model:\n    pass\n" % marker)
sys.path.insert(0, os.path.dirname(src))
import evilmod  # the attacker's side ran it once while packaging
os.remove(marker)
with PackageExporter(os.path.join(out, "evil.pt")) as pe:
    pe.intern("evilmod")
    pe.save_pickle("model", "model.pkl", evilmod.Model())
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
with PackageExporter(os.path.join(out, "benign.pt")) as pe:
    pe.extern(["torch.**", "collections.**"])
    pe.save_pickle("model", "model.pkl", model)
class Reduce:  # no shipped module: the pickle itself calls an extern module's function
    def __reduce__(self):
        return (os.system, ("touch " + marker + ".reduce",))


with PackageExporter(os.path.join(out, "reduce.pt")) as pe:
    pe.extern(["os", "posix"])
    pe.save_pickle("model", "model.pkl", Reduce())
PackageImporter(os.path.join(out, "reduce.pt")).load_pickle("model", "model.pkl")
reduced = os.path.exists(marker + ".reduce")
os.remove(marker + ".reduce")
sys.modules.pop("evilmod")
sys.path.pop(0)
PackageImporter(os.path.join(out, "evil.pt")).load_pickle("model", "model.pkl")
ran = os.path.exists(marker)
os.remove(marker)
x = torch.ones(1, 3)
loaded = PackageImporter(os.path.join(out, "benign.pt")).load_pickle("model", "model.pkl")
same = bool(torch.equal(loaded(x), model(x)))
print(json.dumps({"ran": ran, "reduced": reduced, "benign": same}))
"""


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    out = tmp_path_factory.mktemp("tpkg")
    proc = subprocess.run(
        [sys.executable, "-c", BUILD, str(out)],
        env=dict(os.environ, PYTHONPATH=""),  # no Warden in the child
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, json.loads(proc.stdout.strip().splitlines()[-1])


def test_malicious_archive_runs_its_module_without_warden(archives):
    out, proof = archives
    assert proof == {"ran": True, "reduced": True, "benign": True}
    assert not (out / "package.marker").exists()


def test_scanner_recognises_the_layout(archives):
    out, _ = archives
    evil = scan_file(str(out / "evil.pt"))
    assert (evil.verdict, evil.format) == ("dangerous", "torch-package")
    assert [(f.kind, f.where) for f in evil.findings] == [
        ("torch-package-module", "evilmod/__init__.py")
    ]
    benign = scan_file(str(out / "benign.pt"))
    assert (benign.verdict, benign.format, benign.errors) == ("safe", "torch-package", [])


def test_archive_with_modules_refused_when_opened(guard, archives):
    from torch.package import PackageImporter

    out, _ = archives
    path = str(out / "evil.pt")
    with pytest.raises(WardenBlockedLoad, match="torch.package"):
        PackageImporter(path).load_pickle("model", "model.pkl")
    event = guard.events[-1]
    assert event["rule_id"] == "model-file-dangerous-globals" and event["action"] == "blocked"
    assert event["evidence"]["format"] == "torch-package"
    assert any("evilmod/__init__.py" in f for f in event["evidence"]["findings"])
    with open(path, "rb") as fh, pytest.raises(WardenBlockedLoad):  # a file object
        PackageImporter(fh).import_module("evilmod")
    assert not (out / "package.marker").exists()


def test_extern_call_in_the_pickle_refused(guard, archives):
    from torch.package import PackageImporter

    out, _ = archives
    assert scan_file(str(out / "reduce.pt")).verdict == "dangerous"
    with pytest.raises(WardenBlockedLoad):
        PackageImporter(str(out / "reduce.pt")).load_pickle("model", "model.pkl")
    assert "posix.system" in json.dumps(guard.events[-1]["evidence"])
    assert not (out / "package.marker.reduce").exists()


def test_reader_that_cannot_be_scanned_refused(guard, archives):
    import torch
    from torch.package import PackageImporter

    out, _ = archives
    reader = torch._C.PyTorchFileReader(str(out / "benign.pt"))
    with pytest.raises(WardenBlockedLoad):
        PackageImporter(reader)
    assert guard.events[-1]["evidence"]["reason"] == "unreadable"


def test_unpacked_archive_folder_refused(guard, archives, tmp_path):
    """PackageImporter also opens a folder (DirectoryReader): not scanned, so refused."""
    import zipfile

    from torch.package import PackageImporter

    out, _ = archives
    zipfile.ZipFile(out / "evil.pt").extractall(tmp_path)
    with pytest.raises(WardenBlockedLoad):
        PackageImporter(str(tmp_path / "evil")).load_pickle("model", "model.pkl")
    assert guard.events[-1]["evidence"]["reason"] == "unreadable"
    assert not (out / "package.marker").exists()


def test_benign_archive_loads_and_runs(guard, archives):
    import torch
    from torch.package import PackageImporter

    out, _ = archives
    model = PackageImporter(str(out / "benign.pt")).load_pickle("model", "model.pkl")
    assert model(torch.ones(1, 3)).shape == (1, 2)
    assert [e for e in guard.events if e["action"] == "blocked"] == []
