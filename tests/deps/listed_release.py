"""The red-team proofs' common setting: a listed release of the demo project on the test index.

The test index serves ``warden-demo-pkg`` 0.9 and 1.0; a policy record ``MAL-2099-NN`` lists
0.9 as a known-malicious release (a hijacked upload), the clean 1.0 after it; the policy
trusts that index with that record. A proof runs the cell without Warden (the attack works:
the listed release installs) and under Warden (refused by that record, nothing installed):
``proves_refused``. Also shared by the proofs: the pip and uv cells they run, a release whose
module is a build backend that marks its run, and the policy trusting a plain-HTTP mirror.
"""

import json
import sys
from pathlib import Path
from typing import Optional

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"

# a module that is a build backend whose first hook leaves a marker (MARKER: its path): a
# release carrying it shows that its code ran
BACKEND = """
def _ran(*args, **kwargs):
    open("MARKER", "w").write("ran")
    raise RuntimeError("warden test: the listed release's code ran")


get_requires_for_build_wheel = get_requires_for_build_editable = _ran
prepare_metadata_for_build_wheel = prepare_metadata_for_build_editable = _ran
build_wheel = build_editable = build_sdist = get_requires_for_build_sdist = _ran
"""


def record(record_id: str, versions=("0.9",), name: str = DEMO) -> dict:
    """A policy advisory ``record_id`` listing ``versions`` of ``name`` as malicious."""
    return {
        "id": record_id,
        "summary": f"test record {record_id}",
        "affected": [{"package": {"ecosystem": "PyPI", "name": name}, "versions": list(versions)}],
    }


def write_policy(kernel, *advisories: dict) -> None:
    """The kernel's policy: the test index (``kernel.index``) trusted, ``advisories`` listed
    (no ``dependencies`` section without any)."""
    policy = {
        "schema_version": 1,
        "revision": 3,
        "trusted_sources": {"package_indexes": [kernel.index.simple]},
    }
    if advisories:
        policy["dependencies"] = {"advisories": list(advisories)}
    kernel.policy.write_text(json.dumps(policy))


def trust_mirror(kernel, host: str) -> None:
    """The kernel's policy: the admin's plain-HTTP mirror ``host`` (a test ``page_host``)
    trusted, as an index and as a host without TLS (what such a devpi/Nexus mirror needs)."""
    policy = {
        "schema_version": 1, "revision": 3,
        "trusted_sources": {"package_indexes": [f"http://{host}/simple"]},
        "dependencies": {"tls_unverified_hosts": [host]},
    }  # fmt: skip
    kernel.policy.write_text(json.dumps(policy))


def serve_demo(
    root: Path, versions=("0.9", "1.0"), name: str = DEMO, backend: Optional[str] = None
) -> LocalIndex:
    """The test index in ``root`` serving a wheel of ``name`` per version; ``server.wheels``:
    version -> its wheel file. ``backend``: the version whose module is ``BACKEND``, its marker
    at ``server.marker`` (``root/backend-ran``)."""
    marker = root / "backend-ran"
    body = BACKEND.replace("MARKER", str(marker))
    wheels = {
        v: build_wheel(root, name, v, body=body) if v == backend else build_wheel(root, name, v)
        for v in versions
    }
    server = LocalIndex(root, list(wheels.values()))
    server.wheels = wheels
    server.marker = marker
    return server


def demo_index(label: str, **served):
    """A module-scoped ``index`` fixture: ``serve_demo`` in a fresh folder named ``label``
    (``served``: its options). Assign it as ``index = demo_index("index42b5")``."""

    @pytest.fixture(scope="module")
    def index(tmp_path_factory):
        server = serve_demo(tmp_path_factory.mktemp(label), **served)
        yield server
        server.close()

    return index


def pip_cell(*words: str, index: bool = True, head: str = "") -> str:
    """A cell running the lab's pip into the kernel's target (``--index-url`` the test index
    unless not ``index``), ``words`` last; ``head``: Python run first."""
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--target", "{target}", *(["--index-url", "{index}"] if index else []), *words]
    return f"{head}import subprocess\nsubprocess.run({argv!r}, check=True)\n"


def uv_cell(
    *words: str, index: bool = True, config: bool = False, head: str = "", check: bool = True
) -> str:
    """A cell running the real uv into the kernel's target with the lab's Python
    (``--no-config`` unless ``config``; ``--index-url`` the test index unless not ``index``),
    ``words`` last; ``head``: Python run first (writes a file, sets the environment).
    ``check``: uv failing fails the cell (not where the failure is expected: a ``BACKEND``
    build raises once its code ran)."""
    argv = ["{uv}", "pip", "install", "-q", *([] if config else ["--no-config"])]
    argv += ["--no-cache", "--no-deps", "--python", sys.executable, "--target", "{target}"]
    argv += [*(["--index-url", "{index}"] if index else []), *words]
    run = f"subprocess.run({argv!r}, check=True)" if check else f"subprocess.run({argv!r})"
    return f"{head}import subprocess\n{run}\n"


# a project whose one dependency is the listed release: ``uv sync`` of it installs 0.9
LISTED_PROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
    'dependencies = ["warden-demo-pkg==0.9"]\n'
)


def uv_sync(program: str = "mytool") -> str:
    """Shell words syncing ``LISTED_PROJECT`` from the test index with the lab's Python, uv
    run as ``program`` (a name or path the proof's cell links to uv)."""
    words = f"{program} sync -q --no-cache --no-config --python {sys.executable}"
    return words + " --index-url {index}"


def linked_uv_cell(line: str, on_path: bool = False) -> str:
    """A cell linking uv as ``mytool`` (in the work folder, or in ``bin/`` put first on the
    kernel's PATH when ``on_path``), writing ``LISTED_PROJECT`` (no lock yet) and running the
    shell ``line`` with os.system: which program a wrapper or shell finds decides the sync."""
    link = "bin/mytool" if on_path else "mytool"
    head = "os.makedirs('bin', exist_ok=True)\n" if on_path else ""
    path = "os.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']\n" if on_path else ""
    return (
        f"import os\n{head}"
        f"os.path.lexists({link!r}) or os.symlink('{{uv}}', {link!r})\n{path}"
        f"open('pyproject.toml', 'w').write({LISTED_PROJECT!r})\n"
        "os.path.exists('uv.lock') and os.remove('uv.lock')\n"
        f"os.system({line!r})\n"
    )


def installed(kernel) -> list:
    """The demo releases' dist-info folders in the kernel's target, sorted."""
    return sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))


def run_cell(kernel, code: str, launched: bool):
    """``code`` run (under Warden when ``launched``): the cell's result and ``installed``."""
    kernel.reset()
    return kernel.cell(code, launched=launched), installed(kernel)


def installed_version(kernel) -> Optional[str]:
    """The demo release installed in the kernel's target, or None."""
    found = installed(kernel)
    return found[0][len("warden_demo_pkg-") : -len(".dist-info")] if found else None


def run_plain(kernel, code: str) -> Optional[str]:
    """The release ``code`` installs without Warden (the control: the attack works)."""
    kernel.reset()
    result = kernel.cell(code, launched=False)
    assert result["refused"] is None, result
    return installed_version(kernel)


def run_guarded(kernel, code: str):
    """``code`` under Warden: the cell's result and the release it installed (or None)."""
    kernel.reset()
    return kernel.cell(code, launched=True), installed_version(kernel)


def backend_ran(kernel, code: str, launched: bool):
    """``code`` run (under Warden when ``launched``): the cell's result and whether the
    ``BACKEND`` release's code ran (its marker written)."""
    kernel.reset()
    kernel.index.marker.unlink(missing_ok=True)
    result = kernel.cell(code, launched=launched)
    return result, kernel.index.marker.exists()


def proves_refused(kernel, code: str, record_id: str, plain: str = "0.9") -> None:
    """Without Warden ``code`` installs ``plain`` (the listed release); under Warden it is
    refused by ``record_id`` and installs nothing."""
    assert run_plain(kernel, code) == plain
    result, version = run_guarded(kernel, code)
    assert version is None, f"installed {version}: {result}"
    assert result["refused"] and record_id in result["refused"], result
