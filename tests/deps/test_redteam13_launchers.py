"""Red team 13: programs reached under another name, and programs that run an argument as
shell text (R13-8, R13-5).

Each malicious case is a cell run in a kernel of the lab's launch environment and proves
itself: the same cell in a kernel without Warden installs from the local index; with Warden
the start is refused before the installer runs. The installer's name is built where Warden's
word reading cannot see it (perl's ``"u"."v"``, an inner shell's ``u$@v``), and no word of the
start holds a hint of an installer (the first look must read it in full on its own).
"""

import os
import shutil

import pytest
from launched import CELL, LaunchFolders, installed, run_python
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands, fastpath, shell_runners

UV = real_uv()


POLICY = {"schema_version": 1, "revision": 3}


class Kernel(LaunchFolders):
    """A kernel with (``launched``) or without the lab's launch guard, in ``tmp/work``; uv is
    found on its PATH by a folder whose name holds no hint."""

    def __init__(self, tmp_path, index):
        super().__init__(tmp_path, index, POLICY)
        self.work = tmp_path / "work"
        self.work.mkdir()
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        os.symlink(UV, self.bin / "uv")

    def env(self, launched: bool) -> dict:
        env = super().env(launched)
        env["PATH"] = str(self.bin) + os.pathsep + env.get("PATH", "")
        return env

    def cell(self, code: str, launched: bool) -> dict:
        return run_python(CELL, [code], self.env(launched), cwd=self.work, keep_stderr=True)

    def installed(self) -> bool:
        return self.target.exists() and bool(list(self.target.glob("warden_demo_pkg*")))

    def reset(self):
        shutil.rmtree(self.target, ignore_errors=True)
        self.index.requests.clear()

    def proves(self, code: str) -> str:
        """Installs without Warden, refused with it: the refusal's text."""
        self.reset()
        plain = self.cell(code, launched=False)
        assert plain["refused"] is None and self.installed(), plain
        assert self.index.requests
        self.reset()
        result = self.cell(code, launched=True)
        assert result["refused"], result
        assert self.index.requests == [] and not self.installed(), result
        return result["refused"]

    def inner(self) -> str:
        """The install as an inner shell builds it: no word names uv or pip."""
        return (
            f"u$@v p$@ip install -q --no-deps --target {self.target} "
            f"--index-url {self.index.simple} warden_demo_pkg"
        )


@pytest.fixture()
def kernel(tmp_path, index):
    k = Kernel(tmp_path, index)
    for hint in fastpath._HINTS:
        assert hint not in str(tmp_path) and hint not in index.simple, "a hint in the test's paths"
    return k


# -- R13-8: a code interpreter reached through a link under another name ------------------


def _perl_exec(kernel) -> str:
    words = ["p" "ip", "install", "-q", "--no-deps", "--target", str(kernel.target),
             "--index-url", kernel.index.simple, "warden_demo_pkg"]  # fmt: skip
    quoted = ", ".join(f'"{w}"' for w in words).replace('"pip"', '"p"."ip"')
    return f'exec("u"."v", {quoted})'


def test_a_link_to_perl_started_by_argv_is_read_as_perl(kernel):
    code = (
        f"import os, subprocess\nos.path.lexists('p') or os.symlink({installed('perl')!r}, 'p')\n"
        f"subprocess.run(['./p', '-e', {_perl_exec(kernel)!r}])"
    )
    assert "perl" in kernel.proves(code)


def test_a_link_to_perl_found_on_path_is_read_as_perl(kernel):
    """A bare name found on the PATH the start is given: the first look and the full reading
    both judge the link's target."""
    code = (
        "import os, subprocess\nos.makedirs('x', exist_ok=True)\n"
        f"os.path.lexists('x/p') or os.symlink({installed('perl')!r}, 'x/p')\n"
        f"env = dict(os.environ, PATH=os.path.abspath('x') + os.pathsep + os.environ['PATH'])\n"
        f"subprocess.run(['p', '-e', {_perl_exec(kernel)!r}], env=env)"
    )
    assert "perl" in kernel.proves(code)


def test_first_look_reads_links_to_interpreters_and_shell_text_runners(tmp_path):
    for target in ("perl", "mawk", "node", "git", "script", "dash"):
        real = tmp_path / target
        real.write_text("")
        os.symlink(real, tmp_path / f"l-{target}")
        assert fastpath.may_install(str(tmp_path / f"l-{target}")), target
        assert fastpath.may_install(f"l-{target}", str(tmp_path)), target  # on PATH
        assert fastpath.may_launch([["x", str(tmp_path / f"l-{target}")]]), target
    (tmp_path / "data").write_text("")
    os.symlink(tmp_path / "data", tmp_path / "l-data")
    assert not fastpath.may_install(str(tmp_path / "l-data"))


# -- R13-5: programs that run an argument as shell text -----------------------------------

LAUNCHERS = {
    "script -c": "script -qec '{inner}' /dev/null",
    "git alias": "git -c alias.x='!{inner}' x",
    "tar checkpoint": "tar cf /dev/null --checkpoint=1 --checkpoint-action=exec='{inner}' f",
    "flock -c": "flock lock -c '{inner}'",
    "find -exec bash -c": "find f -exec bash -c '{inner}' \\;",
}


@pytest.mark.parametrize("how", sorted(LAUNCHERS))
def test_shell_text_a_launcher_runs_is_read_as_a_line(kernel, how):
    installed(LAUNCHERS[how].split()[0])
    (kernel.work / "f").write_text("x")
    line = LAUNCHERS[how].format(inner=kernel.inner())
    why = kernel.proves(f"import os\nos.system({line!r})")
    assert "expansion" in why


@pytest.mark.parametrize("how", ["script -c", "git alias", "tar checkpoint"])
def test_shell_text_a_launcher_runs_from_argv_is_read(kernel, how):
    """The same starts as argument lists: the first look reads the program in full."""
    installed(LAUNCHERS[how].split()[0])
    (kernel.work / "f").write_text("x")
    line = LAUNCHERS[how].format(inner=kernel.inner())
    kernel.proves(f"import shlex, subprocess\nsubprocess.run(shlex.split({line!r}))")


@pytest.mark.parametrize(
    "line",
    [
        "watch -g 'u$@v p$@ip install x'",
        "vim -es -c '!u$@v p$@ip install x'",
        "gdb -batch -ex 'shell u$@v p$@ip install x'",
        "ssh -o ProxyCommand='u$@v p$@ip install x' h",
        "sqlite3 :memory: '.shell u$@v p$@ip install x'",
        "sqlite3 :memory: '.once |u$@v'",
        "xargs bash -c 'u$@v p$@ip install x'",
        "chrt 0 bash -c 'u$@v p$@ip install x'",
        "parallel 'u$@v {}' ::: x",
        "git config alias.x '!u$@v p$@ip install x'",
        "git submodule foreach 'u$@v p$@ip install x'",
        "git rebase -x 'u$@v p$@ip install x' HEAD~1",
        "tar -I 'u$@v' -cf x f",
        "tar xf a.tar --to-command='u$@v'",
        "rsync -e 'u$@v' a h:b",
        "make SHELL=/tmp/x",
        "make --eval 'x: ; u$$@v'",
        "tclsh <<< 'exec u[]v p[]ip install x'",
        "expect -c 'spawn u$@v'",
        "flock f u$@v p$@ip install x",
    ],
)
def test_launcher_shell_text_decision(line):
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line",
    [
        "git clone https://github.com/a/b",
        "git -C d pull",
        "git log --oneline -5",
        "git config --global user.name 'Jane Doe'",
        "git config --global --add safe.directory '*'",
        "git -c safe.directory='*' status",
        "git config --global credential.helper 'cache --timeout=3600'",
        "git add -A && git commit -m 'train: bash script tweaks'",
        "tar xzf a.tgz",
        "tar -czvf model.tar.gz model/",
        "find . -name '*.py'",
        "find . -name '*.pyc' -exec rm {} +",
        "make",
        "make -C build -j4",
        "ssh host ls",
        "rsync -av a/ b/",
        "sqlite3 data.db '.tables'",
        "sqlite3 data.db 'select count(*) from t'",
        "watch -n 1 nvidia-smi",
        "script -qc 'ls -l' /dev/null",
    ],
)
def test_ordinary_lines_with_these_programs_pass(line, tmp_path, monkeypatch):
    # read in a folder of their own: in the checkout, the runner's own venv (CI's .venv/bin,
    # on PATH) is under the folder, where a writer off the allow list followed by a start is a
    # designed refusal (red team 21, tests/deps/test_redteam21_writers.py)
    monkeypatch.chdir(tmp_path)
    assert commands.shell_invocations(line) == []


def test_the_table_and_the_first_look_name_the_same_programs():
    table = shell_runners._programs()
    names = {name for names, _pattern, _spec in table for name in names}
    assert {n for n in names if not fastpath.runs_shell_text(n)} == set()


def test_variables_a_launcher_takes_shell_text_from_are_read():
    """The start's environment (not only the line's assignments): git runs GIT_SSH_COMMAND,
    GIT_CONFIG_VALUE_n aliases and a cell's config file; script runs its -c text with SHELL."""
    cases = [
        ({"GIT_SSH_COMMAND": "u$@v sync"}, ["git", "fetch"]),
        ({"GIT_CONFIG_KEY_0": "alias.x", "GIT_CONFIG_VALUE_0": "!u$@v sync"}, ["git", "x"]),
        ({"GIT_CONFIG_GLOBAL": "/tmp/g"}, ["git", "pull"]),
        ({"SHELL": UV}, ["script", "-qc", "sync", "/dev/null"]),
    ]
    for env, argv in cases:
        with commands.shell_environment(env), pytest.raises(commands.Unreadable):
            commands.invocations(argv)
    with commands.shell_environment({"SHELL": "/bin/bash", "EDITOR": "vim", "PAGER": "less"}):
        assert commands.invocations(["git", "commit", "-m", "x"]) == []
        assert commands.invocations(["script", "-qc", "ls", "/dev/null"]) == []
