"""``python -m jupyterlab_warden.kernel.scan DIR``: folders walked like picklescan's / modelscan's
``-p DIR``, with include/exclude globs, symlinks kept inside the folder, a per-folder summary
and the exit codes of single files. Real processes, real torch checkpoints, a real payload."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]


class _Payload:
    """Unpickling this writes the marker file: the proof that the file is really malicious."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def _cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def _repo(tmp_path: Path):
    repo = tmp_path / "repo"
    (repo / "checkpoints").mkdir(parents=True)
    (repo / "data").mkdir()
    torch.save({"w": torch.zeros(2, 2)}, repo / "checkpoints" / "epoch1.pt")
    (repo / "config.json").write_text('{"hidden": 8}')  # a HF config: scanned (auto_map)
    (repo / "notes.txt").write_text("loss 0.1")  # not a model file: not scanned
    marker = tmp_path / "marker"
    evil = repo / "data" / "features.pkl"
    evil.write_bytes(pickle.dumps(_Payload(marker)))
    return repo, evil, marker


def test_payload_runs_without_warden(tmp_path):
    repo, evil, marker = _repo(tmp_path)
    subprocess.run(
        [sys.executable, "-c", f"import pickle; pickle.load(open({str(evil)!r}, 'rb'))"],
        check=True,
        timeout=60,
    )
    assert marker.read_text() == "pwned"


def test_folder_is_walked_recursively_with_a_summary(tmp_path):
    repo, evil, marker = _repo(tmp_path)
    r = _cli(str(repo))
    assert r.returncode == 1, r.stderr
    assert f"{evil}: DANGEROUS" in r.stdout
    assert f"{repo / 'checkpoints' / 'epoch1.pt'}: SAFE (torch-zip)" in r.stdout
    assert f"{repo / 'config.json'}: SAFE (hf-config)" in r.stdout
    assert "notes.txt" not in r.stdout
    assert "per folder:" in r.stdout
    assert f"{repo / 'data'}: 1 file (1 dangerous)" in r.stdout
    assert f"{repo / 'checkpoints'}: 1 file (1 safe)" in r.stdout
    assert not marker.exists()  # scanned, never loaded


def test_exclude_and_include_globs(tmp_path):
    repo, evil, _ = _repo(tmp_path)
    r = _cli("--exclude", "data/**", str(repo))
    assert r.returncode == 0, r.stdout
    assert "features.pkl" not in r.stdout
    r = _cli("--include", "*.json", str(repo))
    # only the JSON file is scanned (read as a Hugging Face config: no auto_map, safe)
    assert "config.json: SAFE" in r.stdout and "epoch1.pt" not in r.stdout
    assert r.returncode == 0


def test_symlinks_outside_the_folder_are_not_followed(tmp_path):
    repo, evil, _ = _repo(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "other.pkl").write_bytes(pickle.dumps(_Payload(tmp_path / "m2")))
    os.remove(evil)
    (repo / "linked").symlink_to(outside)
    (repo / "alias.pt").symlink_to(repo / "checkpoints" / "epoch1.pt")
    r = _cli(str(repo))
    assert r.returncode == 0, r.stdout
    assert "other.pkl" not in r.stdout.split("per folder:")[0]
    assert f"skipped {repo / 'linked'}: symlink to outside the folder" in r.stdout
    assert f"{repo / 'alias.pt'}: SAFE" in r.stdout


def test_json_output_keeps_its_shape_for_folders(tmp_path):
    import json

    repo, evil, _ = _repo(tmp_path)
    r = _cli("--format", "json", str(repo))
    reports = json.loads(r.stdout)
    assert sorted(x["path"] for x in reports) == sorted(
        [str(evil), str(repo / "checkpoints" / "epoch1.pt"), str(repo / "config.json")]
    )
    assert r.returncode == 1


def test_usage_errors_still_exit_2(tmp_path):
    assert _cli("--format", "xml", str(tmp_path)).returncode == 2
