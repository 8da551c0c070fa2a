"""Red team 91 (fixE): the dynamic loader's variables load code into any program started with
them. ``LD_PRELOAD=./x.so bash -c 'echo hi'`` and ``LD_AUDIT=./x.so /bin/true`` run x.so's
constructor (a cell compiled it with gcc; it runs ``pip install ...``) before the program's
first instruction; ``LD_LIBRARY_PATH=.`` puts a cell's library before the system's and
``GCONV_PATH=.`` makes iconv load a cell's conversion module. Warden read none of these
variables: any start, installer or not, ran code it never read.

Fixed (``loader_variables``, from ``command_values.refused_value``): a start whose environment
holds LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH or GCONV_PATH with another value than the kernel
was launched with is refused, whatever the form (``NAME=V cmd``, ``export``, ``env NAME=V``,
``os.environ``, ``Popen(env=...)``). The launch value passes, an empty value passes, and the
loader's harmless variables (``LD_BIND_NOW``) pass."""

import json
import subprocess

import pytest
from install_env import line_problems
from launched import installed

from jupyterlab_warden.kernel.guard.installs import loader_variables

# the payload takes the loader's variables off first (its installer would load it again)
C_SOURCE = """#include <stdlib.h>
__attribute__((constructor)) static void payload(void) {{
    unsetenv("LD_PRELOAD"); unsetenv("LD_AUDIT");
    system({command});
}}
"""


def _shared_object(kernel, tmp_path) -> str:
    """The hex of a shared object whose constructor installs warden-demo-pkg from the test
    index (a host the policy refuses), compiled with the machine's gcc."""
    import sys

    from real_uv import real_uv

    command = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} warden-demo-pkg"
    )
    source = tmp_path / "x.c"
    source.write_text(C_SOURCE.format(command=json.dumps(command)))
    built = tmp_path / "x.so"
    subprocess.run(
        [installed("gcc"), "-shared", "-fPIC", "-o", str(built), str(source)], check=True
    )
    return built.read_bytes().hex()


WRITE = """import os, subprocess
with open('x.so', 'wb') as fh:
    fh.write(bytes.fromhex({so!r}))
"""
# each a start the loader runs x.so in: a line's assignment, an export, env, os.environ, env=
CELLS = {
    "line-preload": "subprocess.run(\"LD_PRELOAD=./x.so bash -c 'echo hi'\", shell=True)",
    "line-audit": "subprocess.run('LD_AUDIT=./x.so /bin/true', shell=True)",
    "export": "subprocess.run('export LD_PRELOAD=$PWD/x.so; ls', shell=True)",
    "env-wrapper": "subprocess.run(['env', 'LD_PRELOAD=./x.so', 'true'])",
    "os-environ": "os.environ['LD_PRELOAD'] = os.path.abspath('x.so')\nsubprocess.run(['true'])",
    "popen-env": "subprocess.run(['true'], env=dict(os.environ, LD_AUDIT='./x.so'))",
}


@pytest.mark.parametrize("form", sorted(CELLS))
def test_a_loader_variable_set_by_the_cell_is_refused(kernel, tmp_path, form):
    """The proof: without Warden the object's constructor installs; with Warden the start
    (or the os.environ change) is refused, naming the variable."""
    installed("bash")
    cell = WRITE.format(so=_shared_object(kernel, tmp_path)) + CELLS[form] + "\n"
    guarded = kernel.kept_from_refused_host(cell)
    refused = guarded["refused"] or ""
    assert "LD_PRELOAD" in refused or "LD_AUDIT" in refused, guarded


def test_the_launch_value_passes(kernel):
    """A kernel launched with LD_LIBRARY_PATH (a CUDA set-up's) starts programs with it, on a
    line and inherited, and may set it back to that value."""
    env = {**kernel.env(True), "LD_LIBRARY_PATH": "/opt/cuda-none/lib64"}
    cell = (
        "import os, subprocess\n"
        "os.environ['LD_LIBRARY_PATH'] = '/opt/cuda-none/lib64'\n"
        "subprocess.run(['true'], check=True)\n"
        "subprocess.run('LD_LIBRARY_PATH=/opt/cuda-none/lib64 LD_BIND_NOW=1 ls', shell=True, "
        "check=True)\n"
    )
    assert kernel.cell(cell, launched=True, env=env)["refused"] is None
    other = cell.replace("'/opt/cuda-none/lib64'\n", "'/tmp/lib'\n")
    assert "LD_LIBRARY_PATH" in (kernel.cell(other, launched=True, env=env)["refused"] or "")


# -- readings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "LD_PRELOAD=./x.so true",
        "LD_PRELOAD=./x.so python3 -c 1",
        "export LD_AUDIT=./x.so; ls",
        "declare -x LD_AUDIT=./x.so; ls",
        "env LD_LIBRARY_PATH=. ls",
        "GCONV_PATH=. iconv -f UTF-8 -t X a.txt",
        "bash -c 'LD_PRELOAD=./x.so ls'",
        "A=./x.so; LD_PRELOAD=$A ls",
        "LD_LIBRARY_PATH=:/usr/lib ls",
        "OPENSSL_CONF=./o.cnf python3 -m pip --version",
        "export OPENSSL_MODULES=$PWD/m; curl -s https://example.invalid",
        "env OPENSSL_ENGINES=. openssl version",
    ],
)
def test_every_form_is_refused(tmp_path, line):
    found = line_problems(line, tmp_path)
    assert any("dynamic loader" in p for p in found), (line, found)


@pytest.mark.parametrize(
    "line",
    ["LD_BIND_NOW=1 ls", "LD_DEBUG=libs true", "LD_PRELOAD= ls", "env -u LD_PRELOAD ls", "ls"],
)
def test_what_loads_no_code_passes(tmp_path, line):
    assert line_problems(line, tmp_path) == [], line


def test_the_rule_names_the_variable_and_what_to_do():
    why = loader_variables.refusal("LD_PRELOAD", "./x.so")
    assert "LD_PRELOAD" in why and "before starting JupyterLab" in why
    assert loader_variables.refusal("LD_BIND_NOW", "1") == ""
    assert loader_variables.refusal("LD_LIBRARY_PATH", "") == ""


def test_the_loader_runs_a_preloaded_constructor(tmp_path):
    """What the rule stands on, measured: the machine's loader runs the constructor of the
    object LD_PRELOAD and LD_AUDIT name in a program that never asked for it."""
    source = tmp_path / "x.c"
    source.write_text(C_SOURCE.format(command=json.dumps("touch ran")))
    subprocess.run(
        [installed("gcc"), "-shared", "-fPIC", "-o", "x.so", "x.c"], cwd=tmp_path, check=True
    )
    for name in ("LD_PRELOAD", "LD_AUDIT"):
        (tmp_path / "ran").unlink(missing_ok=True)
        subprocess.run(["true"], cwd=tmp_path, env={name: str(tmp_path / "x.so")})
        assert (tmp_path / "ran").exists(), name


def test_a_value_naming_only_files_older_than_the_kernel_passes(tmp_path, monkeypatch):
    """ci113: torch.compile's inductor starts its compiler with LD_LIBRARY_PATH=.../torch/lib,
    an ML set-up preloads the machine's jemalloc: a value whose files (and folders' entries)
    all exist, by absolute paths, unchanged since the kernel started, passes; one holding a
    file written since then does not."""
    import time

    from jupyterlab_warden.kernel.guard.installs import path_programs

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "libx.so.1").write_bytes(b"\x7fELF")
    monkeypatch.setattr(path_programs, "_started", time.time() + 5)
    assert loader_variables.refusal("LD_LIBRARY_PATH", str(lib)) == ""
    assert loader_variables.refusal("LD_PRELOAD", str(lib / "libx.so.1")) == ""
    for value in ("lib", f"{lib}:", f"{tmp_path}/missing", f"{lib}/../lib2"):
        assert loader_variables.refusal("LD_LIBRARY_PATH", value), value
    monkeypatch.setattr(path_programs, "_started", time.time() - 60)
    assert loader_variables.refusal("LD_LIBRARY_PATH", str(lib))
    assert loader_variables.refusal("LD_PRELOAD", str(lib / "libx.so.1"))
