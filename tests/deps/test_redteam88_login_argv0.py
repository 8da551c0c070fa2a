"""Red team 88 F3 (fix88b): a login shell by argv[0] when the start names its program apart
(``Popen(['-bash', '-c', X], executable='/bin/bash')``, ``os.posix_spawn('/bin/bash',
['-bash', ...])``, ``os.spawnv``), and by bash's ``exec -l PROG`` (the login convention: a
``-`` put in front of argv[0]). The gate read the start as ``_program_argv(program, argv)``:
argv[0] REPLACED by the program, so ``login_path.startup_kind`` never saw the leading ``-``;
``exec -l`` was not read as a login start (only ``exec -a -bash`` was). bash and dash take
argv[0] ``-...`` as a login shell: /etc/profile and ~/.profile run, ~/.local/bin goes first
on PATH, and tar ran the cell's new ~/.local/bin/gzip unread (red team 86 F6's proof with the
login convention instead of ``-l``). Now the start's own argv[0] is handed to the reading
beside the program (``read_requests(..., argv0=)``, ``commands.invocations``), and ``exec
-l`` (``-cl``, ``-c -l``) reads the program's argv[0] as ``-NAME``. ``['bash', '-lc', X]`` is
refused: the control."""

import os
import shutil

import pytest
from launched import home_program_cell, installed
from test_redteam86b_login_shell_path import _full_path_payload, _home

TAR = "'tar czf o.tgz a.txt'"
STARTS = {
    "popen-bash": f"subprocess.run(['-bash', '-c', {TAR}], executable='/bin/bash')\n",
    "popen-sh": f"subprocess.run(['-sh', '-c', {TAR}], executable='/bin/sh')\n",
    "popen-dash-path": f"subprocess.run(['-/bin/bash', '-c', {TAR}], executable='/bin/bash')\n",
    "posix_spawn": (
        f"pid = os.posix_spawn('/bin/bash', ['-bash', '-c', {TAR}], os.environ)\n"
        "os.waitpid(pid, 0)\n"
    ),
    "spawnv": f"os.spawnv(os.P_WAIT, '/bin/bash', ['-bash', '-c', {TAR}])\n",
    "exec-l": "subprocess.run(['bash', '-c', \"exec -l bash -c 'tar czf o.tgz a.txt'\"])\n",
    "exec-l-a": "subprocess.run(['bash', '-c', \"exec -l -a sh bash -c 'tar czf o.tgz a.txt'\"])\n",
    "control-l": f"subprocess.run(['bash', '-lc', {TAR}])\n",
}


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_login_shell_by_argv0_reads_the_home_path(kernel, how):
    installed("tar")
    home = _home(kernel)
    (kernel.work / "a.txt").write_text("a\n")
    payload = _full_path_payload(kernel)

    def fresh() -> str:
        shutil.rmtree(os.path.join(home, ".local"), ignore_errors=True)
        return home_program_cell(".local/bin", payload) + STARTS[how]

    result = kernel.kept_from_refused_host(fresh)
    # os.spawnv forks, then execs: refused in the child, which says why on its stderr
    assert "gzip" in (result["refused"] or result["stderr"]), result


# -- no false refusals ---------------------------------------------------------------------------

PLAIN = {
    "popen-bash": "subprocess.run(['-bash', '-c', {line!r}], executable='/bin/bash')\n",
    "renamed": "subprocess.run(['mybash', '-c', {line!r}], executable='/bin/bash')\n",
    "exec-l": "subprocess.run(['bash', '-c', \"exec -l bash -c '{line}'\"])\n",
}


@pytest.mark.parametrize("how", sorted(PLAIN))
def test_a_login_shell_by_argv0_with_no_new_program_runs(kernel, how):
    """With no new program on the login PATH and the skeleton's older start-up files, the same
    starts run: nothing refused, their files made."""
    installed("tar")
    home = _home(kernel)
    shutil.rmtree(os.path.join(home, ".local"), ignore_errors=True)
    (kernel.work / "a.txt").write_text("a\n")
    kernel.reset()
    cell = "import os, subprocess\n" + "".join(
        PLAIN[how].format(line=line) for line in ("echo hi > hi.txt", "tar czf o.tgz a.txt")
    )
    result = kernel.cell(cell.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "hi.txt").exists() and (kernel.work / "o.tgz").exists(), result


# -- the reading alone ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, argv0, expected",
    [
        # busybox runs the applet its argv[0] names: `-sh` a login sh, whose -c text is read
        (["/opt/x/busybox", "-c", "uv pip install y"], "-sh", ["uv"]),
        (["/opt/x/busybox", "sh", "-c", "uv pip install y"], "busybox", ["uv"]),
    ],
)
def test_busybox_runs_the_applet_its_argv0_names(monkeypatch, tmp_path, argv, argv0, expected):
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    for name in [n for n in os.environ if n.startswith(("PYENV", "PYTHON", "BASH_ENV"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    requests = read_requests(argv, None, env, str(tmp_path), argv0=argv0)
    assert [r.tool for r in requests] == expected, [r.problems for r in requests]
