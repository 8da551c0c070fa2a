"""Red team 52a R52a-2: fix62venv's writer rule for ``uv pip compile -o F`` misses the bundled
short flags clap accepts (``-qo F``, ``-qoF``): ``uv pip compile r.in -qo r.lock && uv pip sync
r.lock`` is read with r.lock as it was BEFORE the line (an old, harmless lock), while the sync
installs what the compile just wrote there. ``commands._uv_compile_writes`` matches only words
starting ``-o``/``--output-file``."""

import json
import shlex
import sys

from real_uv import real_uv


def _trust_index(kernel) -> None:
    policy = {"schema_version": 1, "revision": 3}
    policy["trusted_sources"] = {"package_indexes": [kernel.index.simple]}
    kernel.policy.write_text(json.dumps(policy))


def _run(kernel, line: str, launched: bool) -> dict:
    (kernel.work / "out.txt").unlink(missing_ok=True)
    code = (
        "import subprocess\n"
        f"done = subprocess.run({line!r}, shell=True, capture_output=True, text=True)\n"
        "open('out.txt', 'w').write(str(done.returncode) + '\\n' + done.stdout + done.stderr)\n"
    )
    result = kernel.cell(code, launched=launched)
    out = kernel.work / "out.txt"
    result["out"] = out.read_text() if out.exists() else None
    return result


def _line(kernel, output: list) -> str:
    uv = real_uv()
    compile_ = shlex.join(
        [uv, "pip", "compile", "--no-config", "--index-url", kernel.index.simple, "r.in"] + output
    )
    sync = shlex.join(
        [uv, "pip", "sync", "-q", "--no-config", "--python", sys.executable, "--target",
         str(kernel.target), "--index-url", kernel.index.simple, "r.lock"]
    )  # fmt: skip
    return f"{compile_} && {sync}"


def test_r52a_2_compile_with_a_bundled_o_is_a_writer_too(kernel):
    _trust_index(kernel)
    (kernel.work / "r.in").write_text("warden-demo-pkg\n")
    line = _line(kernel, ["-qo", "r.lock"])
    # control, without Warden: clap reads -qo as -q -o; the sync installs what compile wrote
    kernel.reset()
    (kernel.work / "r.lock").write_text("# an old, empty lock\n")
    plain = _run(kernel, line, launched=False)
    assert plain["out"].startswith("0\n") and kernel.installed(), plain
    # the spelled-out form is refused as after a writer (fix62venv)
    kernel.reset()
    (kernel.work / "r.lock").write_text("# an old, empty lock\n")
    spelled = _run(kernel, _line(kernel, ["-q", "-o", "r.lock"]), launched=True)
    assert "run the install as its own command" in (spelled["refused"] or ""), spelled
    # the bundled form: read with the old lock (nothing to install), and it installs
    kernel.reset()
    (kernel.work / "r.lock").write_text("# an old, empty lock\n")
    guarded = _run(kernel, line, launched=True)
    assert "run the install as its own command" in (guarded["refused"] or ""), (
        guarded,
        kernel.installed(),
    )
