"""NeMo / Hydra (issue 18): ``_target_`` outside an allow list, judged by name and by what it
resolves to, where hydra.utils.instantiate resolves it; ``.nemo`` archives scanned without
NeMo. The malicious archives are proven in a plain interpreter (nemo_files.py: NeMo's restore
path, with the real OmegaConf and hydra-core; NeMo itself is not installed)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.scan import scan_file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import nemo_files  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("nemo")
    proc = subprocess.run(
        [sys.executable, str(HERE / "nemo_files.py"), str(out)],
        env=dict(os.environ, PYTHONPATH=""),  # no Warden in the child
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture()
def lookalike_package(files):
    sys.path.insert(0, str(files[0] / "pkg"))
    yield
    sys.path.remove(str(files[0] / "pkg"))
    for name in [m for m in sys.modules if m == "nemo" or m.startswith("nemo.")]:
        del sys.modules[name]


def test_malicious_archives_run_their_payload_without_warden(files):
    out, ran = files
    assert ran == {"mknod.nemo": True, "lookalike.nemo": True}
    assert not (out / "nemo.marker").exists()


@pytest.mark.parametrize("name", ["mknod.nemo", "lookalike.nemo"])
def test_restore_refused_under_the_guard(guard, files, lookalike_package, name):
    out, _ = files
    with pytest.raises(WardenBlockedLoad, match="Hydra target"):
        nemo_files.restore(str(out / name))
    assert not (out / "nemo.marker").exists()
    event = guard.events[-1]
    assert event["rule_id"] == "hydra-target-outside-allowlist"
    # the lookalike passes by name and is refused by what it resolves to
    expected = "posix.mknod" if name == "lookalike.nemo" else "os.mknod"
    assert event["evidence"]["target"] == expected


def test_instantiate_bound_before_the_guard_is_judged(guard, files):
    """hydra.utils.instantiate held from before the guard still resolves through
    _resolve_target (a module attribute), where the target is judged."""
    from hydra._internal.instantiate import _instantiate2
    from omegaconf import OmegaConf

    early = _instantiate2.instantiate  # never wrapped: the guard patches _resolve_target only
    cfg = OmegaConf.load(str(files[0] / "hydra_mknod.yaml"))
    with pytest.raises(WardenBlockedLoad):
        early(cfg.preprocessor)
    assert not (files[0] / "nemo.marker").exists()


def test_benign_archive_restores(guard, files):
    import torch

    modules = nemo_files.restore(str(files[0] / "benign.nemo"))
    out = modules["decoder"](modules["encoder"](torch.zeros(1, 4)))
    assert tuple(out.shape) == (1, 2)
    assert guard.events == []


def test_admin_allow_list_admits_own_code(guard, files, lookalike_package):
    import hydra.utils
    from omegaconf import OmegaConf

    own = OmegaConf.create({"_target_": "warden_testpkg.estimator.TinyEstimator"})
    with pytest.raises(WardenBlockedLoad):
        hydra.utils.instantiate(own)
    guard.set_policy({"pickle": {"allow_globals": ["warden_testpkg.estimator.TinyEstimator"]}})
    assert type(hydra.utils.instantiate(own)).__name__ == "TinyEstimator"
    # the pickle policy's curated callables pass as they are
    assert hydra.utils.instantiate(OmegaConf.create({"_target_": "collections.Counter"})) == {}


def test_scanner_verdicts(files):
    out, _ = files
    report = scan_file(str(out / "mknod.nemo"), by_name=True)
    assert (report.verdict, report.format) == ("dangerous", "nemo"), report
    assert report.findings[0].detail == "os.mknod: outside the _target_ allow list"
    # by name alone the lookalike is a class of an allowed family: the scanner cannot see what
    # installed code makes of it (the guard judges what it resolves to, above)
    assert scan_file(str(out / "lookalike.nemo"), by_name=True).verdict == "safe"
    benign = scan_file(str(out / "benign.nemo"), by_name=True)
    assert (benign.verdict, benign.findings) == ("safe", [])
    plain_yaml = scan_file(str(out / "hydra_mknod.yaml"), by_name=True)
    assert plain_yaml.verdict == "suspicious"
    assert [f.kind for f in plain_yaml.findings] == ["hydra-target"]
