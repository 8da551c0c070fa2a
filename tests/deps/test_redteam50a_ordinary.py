"""Red team 50a: false refusals of ordinary notebook work (the data scientist's angle).

Each proof runs the same cell in a kernel of the lab's launch environment without Warden (the
control: it works) and with Warden under a policy that trusts the test index (the assertion:
it is allowed and works; these fail on today's code).

- R50a-1: ``uv pip install`` with the pip spellings uv itself takes (``--pre``,
  ``--force-reinstall``, ``--no-cache-dir``, ``--compile``, ``--disable-pip-version-check``)
  is refused as "uv option ... is not one Warden knows": clap hides these aliases from uv's
  help, and scripts/uv-cli-probe.py only asks uv about names some help lists.
- R50a-2: ``uv pip install -r`` of a requirements file with a byte-order mark (UTF-8 BOM, or
  UTF-16 as Windows' PowerShell writes ``pip freeze > requirements.txt``) is refused; uv reads
  it (uv-fs transcodes by BOM) and Warden reads the same file for pip (``pip_decode``).
- R50a-3: a virtual environment in the notebook folder (``python -m venv .venv``, ``uv
  venv``: its ``bin/python`` is a link to the base interpreter the kernel's own, user-writable
  PATH folder also leads to) makes every line "unknown command, then a program by name"
  refused: ``python train.py | tee log.txt | tail -1``, ``make && python train.py``,
  ``tar xf data.tar && ls d``, ``. .venv/bin/activate && pip install ...``. The message
  names the notebook folder, never the link, so the user cannot tell the venv is why.
- R50a-4: ``python -m venv v && v/bin/python -m pip install x`` is refused while
  ``python -m venv v && v/bin/pip install x`` is allowed, with a message that asks for "the
  kernel's environment" (it is the kernel's environment).
- R50a-5 (message): ``uv pip compile r.in -o r.lock && uv pip sync r.lock`` is refused as
  "cannot read requirements file r.lock: FileNotFoundError" without saying that an earlier
  command on the line writes it and that the install must run as its own line (what the
  same refusal says for ``echo x > r.txt && uv pip install -r r.txt``).

fix62venv: R50a-4 and the activate case of R50a-3 are decided as refusals with the way out
(``python -m venv v`` by name is the writer of v it is by path: tests/deps/
test_redteam62_byname.py shows the bypass its special case let through); R50a-5's refusal
now names the earlier writer first ("run the install as its own command").
"""

import json
import shlex
import subprocess
import sys

import pytest
from real_uv import real_uv


def _trust_index(kernel) -> None:
    policy = {"schema_version": 1, "revision": 3}
    policy["trusted_sources"] = {"package_indexes": [kernel.index.simple]}
    kernel.policy.write_text(json.dumps(policy))


def _uv_line(kernel, *words: str) -> str:
    cache = [] if "--no-cache-dir" in words else ["--no-cache"]  # uv: the same option
    return shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-config", *cache, "--python",
         sys.executable, "--target", str(kernel.target), "--index-url", kernel.index.simple,
         *words]
    )  # fmt: skip


def _works_plain_and_guarded(kernel, line: str, installs: bool = True) -> None:
    kernel.reset()
    plain = kernel.shell_line(line, launched=False)
    assert plain["refused"] is None and plain["out"].startswith("0\n"), plain  # the control
    assert kernel.installed() or not installs, plain
    kernel.reset()
    guarded = kernel.shell_line(line, launched=True)
    assert guarded["refused"] is None, guarded["refused"]
    assert guarded["out"].startswith("0\n"), guarded
    assert kernel.installed() or not installs, guarded


# R50a-1: every one parsed by uv 0.13.9's `uv pip install` (clap aliases hidden from its help)
UV_PIP_SPELLINGS = [
    "--pre", "--force-reinstall", "--no-cache-dir", "--compile", "--disable-pip-version-check",
]  # fmt: skip


@pytest.mark.parametrize("option", UV_PIP_SPELLINGS)
def test_r50a_1_uv_pip_install_with_pips_spelling_uv_takes(kernel, option):
    _trust_index(kernel)
    _works_plain_and_guarded(kernel, _uv_line(kernel, option, "warden-demo-pkg"))


# R50a-2
ENCODINGS = {
    "utf-8 BOM": "\ufeffwarden-demo-pkg==1.0\n".encode("utf-8"),
    "utf-16 (PowerShell)": "warden-demo-pkg==1.0\r\n".encode("utf-16"),
}


@pytest.mark.parametrize("data", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_r50a_2_uv_reads_a_requirements_file_with_a_byte_order_mark(kernel, data):
    _trust_index(kernel)
    (kernel.work / "requirements.txt").write_bytes(data)
    # Warden reads the same file for pip already (pip_decode)
    pip = shlex.join(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(kernel.target),
         "--index-url", kernel.index.simple, "-r", "requirements.txt"]
    )  # fmt: skip
    kernel.reset()
    assert kernel.shell_line(pip, launched=True)["refused"] is None and kernel.installed()
    _works_plain_and_guarded(kernel, _uv_line(kernel, "-r", "requirements.txt"))


# R50a-3
ORDINARY_LINES = [
    "python train.py | tee log.txt | tail -1",
    "make && python train.py",
    "bash setup.sh && python train.py",
    "tar xf data.tar && ls d",
]


def _project(kernel, venv: bool) -> None:
    work = kernel.work
    (work / "train.py").write_text("print('trained')\n")
    (work / "Makefile").write_text("all:\n\techo made\n")
    (work / "setup.sh").write_text("echo setup\n")
    (work / "d").mkdir(exist_ok=True)
    (work / "d" / "f").write_text("x\n")
    subprocess.run(["tar", "cf", "data.tar", "d"], cwd=work, check=True)
    if venv:  # the notebook project's own environment, as `python -m venv venv` makes it
        # (named venv: Kernel.reset removes a .venv; the name does not matter to the rule)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", "venv"], cwd=work,
                       check=True)  # fmt: skip


@pytest.mark.parametrize("line", ORDINARY_LINES)
def test_r50a_3_a_venv_in_the_notebook_folder_refuses_ordinary_lines(kernel, line):
    _project(kernel, venv=False)
    # the same line runs under Warden while the folder holds no venv
    assert kernel.shell_line(line, launched=True)["refused"] is None
    _project(kernel, venv=True)
    _works_plain_and_guarded(kernel, line, installs=False)


def test_r50a_3_activate_then_install_with_a_venv_in_the_folder(kernel):
    _trust_index(kernel)
    _project(kernel, venv=True)
    line = shlex.join(
        ["pip", "install", "-q", "--target", str(kernel.target), "--index-url",
         kernel.index.simple, "warden-demo-pkg"]
    )  # fmt: skip
    line = ". venv/bin/activate && " + line
    kernel.reset()
    plain = kernel.shell_line(line, launched=False)
    assert plain["out"].startswith("0\n") and kernel.installed(), plain  # the control
    # fix62venv: rightly refused. `.` runs shell code Warden does not read before the install
    # (here it puts another environment's pip first on PATH); the message gives the way out
    kernel.reset()
    refused = kernel.shell_line(line, launched=True)["refused"] or ""
    assert "run the install as its own command" in refused, refused
    assert not kernel.installed()


def test_r50a_3_the_message_names_the_link_it_is_about(kernel):
    """Whatever the decision, a refusal names the link (``venv/bin/python3...``) so the user
    can tell why; today it names only the notebook folder."""
    _project(kernel, venv=True)
    refused = kernel.shell_line("make && python train.py", launched=True)["refused"]
    assert refused is None or str(kernel.work / "venv" / "bin") in refused, refused


# R50a-4: one decision for both (fix62venv): `python -m venv v` by name is the writer of v it is
# by path (a venv.py in the folder runs in its place: tests/deps/test_redteam62_byname.py), so
# a program run from v on the same line is refused with the way out, never "the kernel's
# environment"
@pytest.mark.parametrize("pip", ["v/bin/pip", "v/bin/python -m pip"])
def test_r50a_4_a_fresh_venv_s_pip_on_the_same_line(kernel, pip):
    _trust_index(kernel)
    line = f"python -m venv v && {pip} install -q --target {kernel.target} "
    line += f"--index-url {kernel.index.simple} warden-demo-pkg"
    kernel.reset()
    subprocess.run(["rm", "-rf", str(kernel.work / "v")], check=True)
    plain = kernel.shell_line(line, launched=False)  # the control
    assert plain["out"].startswith("0\n") and kernel.installed(), plain
    kernel.reset()
    subprocess.run(["rm", "-rf", str(kernel.work / "v")], check=True)
    refused = kernel.shell_line(line, launched=True)["refused"] or ""
    assert "v/bin/p" in refused and "run the program as its own command" in refused, refused
    assert "kernel's environment" not in refused, refused
    assert not kernel.installed()


# R50a-5
def test_r50a_5_compile_then_sync_says_to_run_it_as_its_own_line(kernel):
    _trust_index(kernel)
    (kernel.work / "r.in").write_text("warden-demo-pkg\n")
    uv = real_uv()
    compile_ = shlex.join(
        [uv, "pip", "compile", "-q", "--no-config", "--index-url", kernel.index.simple,
         "r.in", "-o", "r.lock"]
    )  # fmt: skip
    sync = shlex.join(
        [uv, "pip", "sync", "-q", "--no-config", "--python", sys.executable, "--target",
         str(kernel.target), "--index-url", kernel.index.simple, "r.lock"]
    )  # fmt: skip
    kernel.reset()
    (kernel.work / "r.lock").unlink(missing_ok=True)
    plain = kernel.shell_line(f"{compile_} && {sync}", launched=False)
    assert plain["out"].startswith("0\n") and kernel.installed(), plain  # the control
    kernel.reset()
    (kernel.work / "r.lock").unlink(missing_ok=True)
    guarded = kernel.shell_line(f"{compile_} && {sync}", launched=True)
    # fix62venv: `uv pip compile -o r.lock` is the writer of r.lock: the sync after it is
    # refused as after any writer, with the way out
    refused = guarded["refused"] or ""
    assert "run the install as its own command" in refused, guarded
    # the way out comes first, before what Warden could not read of the file it writes
    way = refused.index("run the install as its own command")
    assert way < refused.find("FileNotFoundError") or "FileNotFoundError" not in refused, refused
    assert not kernel.installed()
