"""Red team 40b R40b-1: a PEP 723 script's ``[tool.uv.sources]`` PATH source is never read.

``toml_files.add_script`` reads a script's ``[tool.uv.sources]`` with ``add_uv_sources(request,
uv, label)`` and no ``base`` folder, and ``add_uv_sources`` drops a ``path`` source when it has
no base (``elif ... and base``; else ``continue``). So for ``uv run s.py`` Warden decides the
dependency ``proj`` by its NAME (an ordinary PyPI name), while uv 0.13.9 installs the local
file the source names: here a wheel whose ``Requires-Dist: warden-demo-pkg @ URL`` sends uv to
the refused test index (a direct reference the policy refuses). A local wheel or project
named any other way (``uv run --with ./proj.whl``, ``uv pip install ./proj.whl``, a project's
``[tool.uv.sources]`` path) is opened and its dependencies decided. FAILS today (the guarded
kernel fetches and imports warden-demo-pkg).
"""

from local_index import build_wheel

SCRIPT = """# /// script
# dependencies = ["proj"]
# [tool.uv.sources]
# proj = {{ path = "proj-1.0-py3-none-any.whl" }}
# ///
{body}
open("ran", "w").write("1")
"""
CELL = (
    "import subprocess, sys\n"
    "subprocess.run(['{uv}', 'run', '-q', '--no-config', '--no-cache', '--python', "
    "sys.executable, 's.py'])\n"
)


def _run(kernel, launched: bool) -> dict:
    kernel.reset()
    (kernel.work / "ran").unlink(missing_ok=True)
    return kernel.cell(CELL, launched=launched)


def test_a_script_path_source_s_direct_reference_is_decided(kernel):
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    build_wheel(kernel.work, "proj", body="", requires=f"Requires-Dist: warden-demo-pkg @ {url}\n")
    (kernel.work / "s.py").write_text(SCRIPT.format(body="import warden_demo_pkg_mod"))
    plain = _run(kernel, launched=False)
    assert kernel.index.requests and (kernel.work / "ran").exists(), plain  # proves itself
    guarded = _run(kernel, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not (kernel.work / "ran").exists(), ("ran under Warden", guarded)


def test_a_script_path_source_without_downloads_runs(kernel):
    """The ordinary form: a script whose path source is a local wheel with no direct
    reference runs under Warden."""
    build_wheel(kernel.work, "proj", body="")
    (kernel.work / "s.py").write_text(SCRIPT.format(body="import proj_mod"))
    guarded = _run(kernel, launched=True)
    assert guarded["refused"] is None and (kernel.work / "ran").exists(), guarded
