"""fix71spawn: the files a process start hands its child open for writing (a posix_spawn
``POSIX_SPAWN_OPEN`` file action, a descriptor passed as stdout, stderr or pass_fds, a dup2
action's source) are the start's own redirections (``installs/handed_redirect.py``; red team
56b R56b-6, R56b-7): weighed by ``own_redirect``'s rules for an install, and as a guardless
Python's own output for the local-imports rule. The readings here are the gate's with the
start's handed files set, as ``gate._check`` sets them; the kernel-level proofs are in
test_redteam56b_spawn_open.py, and the ordinary starts through a real kernel below. What the
shared vectors cannot carry: descriptors and file actions are no shell line's (the static
side reads lines only)."""

import os
import sys
from pathlib import Path

import pytest
from install_env import GUARDED_ENV
from local_index import build_wheel
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands, handed_fds, handed_redirect
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

LAUNCHED = commands.LaunchGuard(True, ())


def _problems(argv, shell, folder: Path, handed) -> list:
    env = {"HOME": str(folder / "home"), "PIP_CONFIG_FILE": os.devnull, **GUARDED_ENV}
    cwd = os.getcwd()
    os.chdir(folder)
    token = handed_redirect.TARGETS.set(tuple(handed))
    try:
        found = read_requests(argv, shell, env, str(folder), launch=LAUNCHED)
        return [p for r in found for p in r.problems]
    finally:
        handed_redirect.TARGETS.reset(token)
        os.chdir(cwd)


def _opened(folder: Path, name: str):
    return handed_redirect.opened(name, str(folder))


def _descriptor(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        found, _key, identity = handed_fds.written(fd)
        return handed_redirect.descriptor(found, identity)
    finally:
        os.close(fd)


@pytest.fixture
def work(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "r.txt").write_text("-r inner.txt\n")
    (tmp_path / "inner.txt").write_text("black\n")
    # it imports mod after it writes (its stdout: the handed file), as R56b-7's s.py
    (tmp_path / "s.py").write_text("import sys\nsys.stdout.write('x')\nimport mod\n")
    (tmp_path / "mod.py").write_text("X = 1\n")
    return tmp_path


UV = ["uv", "pip", "install", "--python", sys.executable, "-r", "r.txt"]
READS = "one the install reads"


def test_a_file_action_on_a_file_the_install_names_is_refused(work):
    for name in ("r.txt", "./r.txt", str(work / "r.txt")):
        found = _problems(UV, None, work, [_opened(work, name)])
        assert any(READS in p and "hands the install" in p for p in found), (name, found)


def test_a_file_action_on_a_file_the_reading_read_is_refused(work):
    # inner.txt: named by no word, read through r.txt's -r (read_problem, as R55b-1)
    found = _problems(UV, None, work, [_opened(work, "inner.txt")])
    assert any(READS in p for p in found), found


def test_a_handed_descriptor_on_a_hard_link_of_a_read_file_is_refused(work):
    os.link(work / "inner.txt", work / "log.txt")
    found = _problems(UV, None, work, [_descriptor(work / "log.txt")])
    assert any(READS in p for p in found), found


def test_a_file_action_on_a_name_the_installer_finds_is_refused(work):
    for name in ("uv.toml", "pyvenv.cfg", "sub/../uv.toml"):
        (work / "sub").mkdir(exist_ok=True)
        found = _problems(UV, None, work, [_opened(work, name)])
        assert any("finds by its name" in p for p in found), (name, found)


def test_a_file_action_through_the_child_s_descriptors_is_refused(work):
    for name in ("/dev/stderr", "/dev/fd/5", "/proc/self/fd/5", "../" * 30 + "dev/stdout"):
        found = _problems(UV, None, work, [_opened(work, name)])
        assert any("in the child" in p for p in found), (name, found)


def test_a_shell_s_install_inherits_the_handed_files(work):
    line = "cd . && uv pip install --python " + sys.executable + " -r r.txt"
    found = _problems(None, line, work, [_descriptor(work / "r.txt")])
    assert any(READS in p for p in found), found
    found = _problems(["sh", "-c", line], None, work, [_opened(work, "inner.txt")])
    assert any(READS in p for p in found), found


def test_an_install_handed_a_log_is_allowed(work):
    for handed in (
        [_descriptor(work / "install.log")],
        [_opened(work, "out/install.log")],
        [_opened(work, "/dev/null")],
    ):
        assert _problems(UV, None, work, handed) == [], handed
        line = "uv pip install --python " + sys.executable + " -r r.txt 2>&1"
        assert _problems(None, line, work, handed) == [], handed


GUARDLESS = [sys.executable, "-E", "s.py"]
IMPORTS = "its code may write files"


def test_a_guardless_python_handed_a_module_it_imports_is_refused(work):
    for handed in ([_descriptor(work / "mod.py")], [_opened(work, "mod.py")]):
        found = _problems(GUARDLESS, None, work, handed)
        assert any(IMPORTS in p and "hands it open" in p for p in found), found
        line = f"{sys.executable} -E s.py"
        found = _problems(["bash", "-c", line], None, work, handed)
        assert any(IMPORTS in p for p in found), found


def test_a_guardless_python_handed_a_hard_link_or_a_link_is_refused(work):
    os.link(work / "mod.py", work / "out.log")
    os.symlink("mod.py", work / "err.log")
    for handed in ([_descriptor(work / "out.log")], [_opened(work, "err.log")]):
        found = _problems(GUARDLESS, None, work, handed)
        assert any(IMPORTS in p for p in found), (handed, found)


def test_a_guardless_python_handed_any_file_counts_it_as_its_output(work):
    # fix73handed (red team 56e R56e-2): no longer by the file's name (train.log, out.txt were
    # taken as no module): a link elsewhere (mod.py -> m.txt, made after the start as well)
    # makes any name the module, and the shell line `PY -E s.py > train.log` is refused too
    os.remove(work / "mod.py")
    os.symlink("m.txt", work / "mod.py")
    for handed in (
        [_descriptor(work / "m.txt")],
        [_descriptor(work / "train.log")],
        [_opened(work, "out.txt")],
        [_opened(work, "/dev/tty")],  # a path the child opens; only /dev/null is exempt
    ):
        found = _problems(GUARDLESS, None, work, handed)
        assert any(IMPORTS in p and "hands it open" in p for p in found), (handed, found)
    line = f"{sys.executable} -E s.py > train.log"
    assert any(IMPORTS in p for p in _problems(None, line, work, [])), line


def test_a_guardless_python_handed_a_log_whose_code_imports_nothing_local_is_allowed(work):
    (work / "train.py").write_text("import json, sys\nsys.stdout.write(json.dumps({}))\n")
    plain = [sys.executable, "-E", "train.py"]
    for handed in (
        [_descriptor(work / "train.log")],
        [_opened(work, "out/train.log")],
        [_opened(work, "/dev/null")],
    ):
        assert _problems(plain, None, work, handed) == [], handed
    # and the module-importing s.py handed /dev/null only (as `> /dev/null`)
    assert _problems(GUARDLESS, None, work, [_opened(work, "/dev/null")]) == []


def test_without_handed_files_nothing_is_weighed(work, monkeypatch):
    def refuse(*_args):
        raise AssertionError("weighed without a handed file")

    monkeypatch.setattr(handed_redirect, "weigh", refuse)
    monkeypatch.setattr(handed_redirect, "output_writer", refuse)
    assert _problems(UV, None, work, []) == []
    assert _problems(GUARDLESS, None, work, []) == []


# Through a real kernel: ordinary starts with a handed log stay allowed and run.


def _uv_argv(kernel) -> list:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    (kernel.work / "r.txt").write_text("--no-index\n--find-links w\n")
    return [
        real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps",
        "--python", sys.executable, "--target", str(kernel.target), "-r", "r.txt",
        "warden-demo-pkg",
    ]  # fmt: skip


def _escaped(code: str) -> str:
    return code.replace("{", "{{").replace("}", "}}")


def test_an_install_logging_to_a_file_runs(kernel):
    kernel.reset()
    argv = _uv_argv(kernel)
    code = (
        "import subprocess\n"
        f"subprocess.run({argv!r}, stdout=open('install.log', 'w'), stderr=subprocess.STDOUT)\n"
    )
    result = kernel.cell(_escaped(code), launched=True)
    assert result["refused"] is None and kernel.installed(), result


def test_an_install_whose_file_action_writes_a_log_runs(kernel):
    kernel.reset()
    argv = _uv_argv(kernel)
    code = (
        "import os\n"
        f"pid = os.posix_spawn({argv[0]!r}, {argv!r}, dict(os.environ), file_actions="
        "[(os.POSIX_SPAWN_OPEN, 2, 'install.log', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, "
        "0o644)])\n"
        "os.waitpid(pid, 0)\n"
    )
    result = kernel.cell(_escaped(code), launched=True)
    assert result["refused"] is None and kernel.installed(), result


def test_a_guarded_python_handed_its_own_module_runs(kernel):
    # its guard decides what it starts; only a guardless Python's imports are weighed
    kernel.reset()
    (kernel.work / "s.py").write_text("import sys\nsys.stdout.write('Y = 2\\n')\nimport mod\n")
    (kernel.work / "mod.py").write_text("X = 1\n")
    code = (
        "import subprocess, sys\n"
        "with open('mod.py', 'a') as out:\n"
        "    done = subprocess.run([sys.executable, 's.py'], stdout=out)\n"
        "assert done.returncode == 0, done\n"
    )
    result = kernel.cell(_escaped(code), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "mod.py").read_text() == "X = 1\nY = 2\n", result


def test_an_install_handed_its_requirements_file_is_refused(kernel):
    kernel.reset()
    argv = _uv_argv(kernel)
    code = f"import subprocess\nsubprocess.run({argv!r}, stderr=open('r.txt', 'a'))\n"
    result = kernel.cell(_escaped(code), launched=True)
    assert result["refused"] and not kernel.installed(), result


# Other spellings of the same hand-over (the attack pass): each refused, the install never runs.
HANDINGS = {
    "pass_fds": "fd = os.open('r.txt', os.O_WRONLY | os.O_APPEND)\n"
    "subprocess.run(ARGV, pass_fds=[fd])\n",
    "dup2 action": "fd = os.open('r.txt', os.O_WRONLY | os.O_APPEND)\n"
    "pid = os.posix_spawn(ARGV[0], ARGV, dict(os.environ), "
    "file_actions=[(os.POSIX_SPAWN_DUP2, fd, 2)])\nos.waitpid(pid, 0)\n",
    "posix_spawnp, rdwr": "pid = os.posix_spawnp(ARGV[0], ARGV, dict(os.environ), "
    "file_actions=[(os.POSIX_SPAWN_OPEN, 2, b'./r.txt', os.O_RDWR, 0)])\nos.waitpid(pid, 0)\n",
    "inheritable, os.system": "fd = os.open('r.txt', os.O_WRONLY | os.O_APPEND)\n"
    "os.set_inheritable(fd, True)\nos.system(' '.join(ARGV))\n",
    "a shell's stderr": "subprocess.run(['sh', '-c', ' '.join(ARGV)], stderr=open('r.txt', 'a'))\n",
}


@pytest.mark.parametrize("form", sorted(HANDINGS))
def test_other_hand_overs_of_the_requirements_file_are_refused(kernel, form):
    kernel.reset()
    argv = _uv_argv(kernel)
    code = "import os, subprocess\n" + HANDINGS[form].replace("ARGV", repr(argv))
    result = kernel.cell(_escaped(code), launched=True)
    assert result["refused"] and not kernel.installed(), (form, result)


# fix73handed (red team 56e R56e-2): a guardless Python's handed file is its output whatever
# the file's name; other hand-overs of m.txt under the link mod.py -> m.txt, each refused.
def _linked_module(kernel) -> list:
    install = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} warden-demo-pkg"
    )
    payload = f"import os\nos.system({install!r})\n".encode().hex()  # as R56e-2's: unread text
    script = f"import sys\nsys.stdout.write(bytes.fromhex({payload!r}).decode())\nimport mod\n"
    (kernel.work / "s.py").write_text(script)
    (kernel.work / "m.txt").write_text("X = 1\n")
    link = kernel.work / "mod.py"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink("m.txt", link)
    return [sys.executable, "-E", "s.py"]


LINKED_HANDINGS = {
    "file action": "pid = os.posix_spawn(ARGV[0], ARGV, dict(os.environ), file_actions="
    "[(os.POSIX_SPAWN_OPEN, 1, 'm.txt', os.O_WRONLY | os.O_TRUNC, 0)])\nos.waitpid(pid, 0)\n",
    "stderr, a shell": "subprocess.run(' '.join(ARGV) + ' 1>&2', shell=True, "
    "stderr=open('m.txt', 'w'))\n",
    "inheritable, os.system": "fd = os.open('m.txt', os.O_WRONLY | os.O_TRUNC)\n"
    "os.set_inheritable(fd, True)\nos.system(' '.join(ARGV) + f' >&{fd}')\n",
    "env, dup2 action": "fd = os.open('m.txt', os.O_WRONLY | os.O_TRUNC)\n"
    "pid = os.posix_spawn('/usr/bin/env', ['env'] + ARGV, dict(os.environ), "
    "file_actions=[(os.POSIX_SPAWN_DUP2, fd, 1)])\nos.waitpid(pid, 0)\n",
    "pass_fds, dev fd": "fd = os.open('m.txt', os.O_WRONLY | os.O_TRUNC)\n"
    "subprocess.run(['sh', '-c', ' '.join(ARGV) + f' >/dev/fd/{fd}'], pass_fds=[fd])\n",
}


@pytest.mark.parametrize("form", sorted(LINKED_HANDINGS))
def test_other_hand_overs_of_a_linked_module_are_refused(kernel, form):
    kernel.reset()
    argv = _linked_module(kernel)
    code = "import os, subprocess\n" + LINKED_HANDINGS[form].replace("ARGV", repr(argv))
    result = kernel.cell(_escaped(code), launched=True)
    fetched = list(kernel.index.requests)
    assert result["refused"] and not fetched and not kernel.installed(), (form, result)


def test_a_guardless_python_logging_to_a_file_runs(kernel):
    # the ordinary neighbour: its code imports no local module, so its output is no module
    kernel.reset()
    (kernel.work / "train.py").write_text("import json\nprint(json.dumps({'loss': 0.5}))\n")
    code = (
        "import subprocess, sys\n"
        "with open('train.log', 'w') as out:\n"
        "    done = subprocess.run([sys.executable, '-E', 'train.py'], stdout=out)\n"
        "assert done.returncode == 0, done\n"
    )
    result = kernel.cell(_escaped(code), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "train.log").read_text() == '{"loss": 0.5}\n', result
