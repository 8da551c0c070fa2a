"""Red team 16 (fix16b): starts whose program Warden read in the wrong place.

R16-4: a program that names the started process's own files (``/dev/stdin``, ``/proc/self/fd/0``)
was read by the gate's first look in the KERNEL (its stdin), the child execs its own: every first
look now reads such a start in full (``fastpath._file_reads_fully``), where it is refused.
R16-5 / R16-6: a command whose program comes from input (xargs' command, find -exec's ``{}``)
behind ANY launcher of the one launcher set (``chrt``, ``setpriv``, ``taskset``...: the tables'
``launchers``), not only behind the wrappers Warden unwraps.

Each malicious case run for real proves itself: without Warden the real uv fetches from the local
index, with Warden the start is refused and the index sees no request.
"""

import os
import tempfile

import pytest
from launched import BUILT, installed
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands

QUOTED = BUILT.replace("$@", "''")  # u''v: the inner shell's quotes build uv's name


def _fetches_only_without_warden(kernel, code: str) -> str:
    """``code`` makes uv fetch from the local index without Warden; with Warden it is refused
    before anything is fetched. The refusal's text."""
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"], guarded
    assert kernel.index.requests == [], guarded
    return guarded["refused"]


# -- R16-4: /dev and /proc programs, the gate's shortcut and its general path ---------------------

# words without a hint of an installer's name: only the program's file could make them read
_TOOL_INSTALL = "'tool', 'install', '--no-cache', '--index-url', '{index}', 'warden-demo-pkg'"


@pytest.mark.parametrize(
    "program, extra",
    [
        ("/dev/stdin", ""),  # subprocess.run's common start: the gate's shortcut
        ("/proc/self/fd/0", ""),
        ("/dev/stdin", ", env=dict(os.environ)"),  # the general path
    ],
)
def test_a_program_named_through_the_child_own_stdin_is_refused(kernel, program, extra):
    code = (
        "import os, subprocess\n"
        f"subprocess.run([{program!r}, {_TOOL_INSTALL}], stdin=open({{uv!r}}, 'rb'){extra})\n"
    )
    refused = _fetches_only_without_warden(kernel, code)
    assert program.split("/")[1] in refused, refused


# -- R16-5 / R16-6: a program taken from input behind any launcher --------------------------------


@pytest.mark.parametrize("launcher", ["chrt -o 0", "setpriv", "taskset 1", "env ionice"])
def test_xargs_input_as_the_program_of_a_launcher_is_refused(kernel, launcher):
    installed(launcher.split()[-1] if launcher.startswith("env") else launcher.split()[0])
    line = f"echo {QUOTED} | xargs {launcher}"
    refused = _fetches_only_without_warden(kernel, f"import os\nos.system({line!r})\n")
    assert "xargs" in refused and "input" in refused, refused


@pytest.mark.parametrize("action", ["-exec chrt -o 0", "-execdir setpriv", "-exec env taskset 1"])
def test_a_found_file_as_the_program_of_a_launcher_is_refused(kernel, action):
    installed(action.split()[-2] if "taskset" in action else action.split()[1])
    uv = real_uv()
    # uv picked by its inode: no word names it; its words name no installer either
    line = (
        f"find {os.path.dirname(uv)} -inum {os.stat(uv).st_ino} {action} {{}} run --no-project "
        "--no-cache --with warden-demo-pkg --index-url {index} true \\;"
    )
    code = f"import os\nos.system({line!r})\n".replace("{}", "{{}}")  # Kernel.cell formats it
    refused = _fetches_only_without_warden(kernel, code)
    assert "find" in refused and "input" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "printf x | xargs chrt -o 0",
        "printf x | xargs setpriv --reuid 1",
        "printf x | xargs flock /tmp/l",
        "printf x | xargs prlimit --nofile=10",
        "printf x | xargs unshare",
        "printf x | xargs chroot /",
        "printf x | xargs linux64",
        "printf x | xargs nsenter -t 1",
        "printf x | xargs strace -f -o /dev/null",
        "printf x | xargs nice chrt 0",
        "printf x | xargs watch",
        "printf x | xargs -I% taskset 1 ./% sync",
        "printf x | xargs --replace ionice -c 3 {} sync",
        "find /opt -inum 1 -exec chrt -o 0 {} sync \\;",
        "find /opt -inum 1 -execdir setpriv ./{} sync \\;",
        "find /opt -inum 1 -ok taskset 1 {} \\;",
        "find /opt -inum 1 -okdir unshare {} \\;",
        "find /opt -inum 1 -exec env nsenter -t 1 {} \\;",
        "find /opt -inum 1 -exec /lib64/ld-linux-x86-64.so.2 {} sync \\;",
        "find /opt -inum 1 -exec qemu-x86_64 {} sync \\;",
        "find /opt -inum 1 -exec flock /tmp/l {} \\;",
        # deny by default: Warden does not know which of a launcher's words is its program
        "find . -exec nice -n 5 chrt -o 0 gzip {} \\;",
        "ls | xargs -I% chrt -o 0 cp % backup/",
    ],
)
def test_decision_refuses_input_programs_behind_every_launcher(line):
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line",
    [
        "find . -name '*.py' -exec wc -l {} \\;",
        "find . -exec chmod 644 {} +",
        "find . -exec timeout 5 gzip {} \\;",
        "ls | xargs -n1 echo",
        "xargs -a list.txt rm",
        "ls | xargs nice -n 5 rm",
        "ls *.csv | xargs -I{} cp {} backup/",
        "find . -name '*.csv' -exec scp {} host:data/ \\;",  # ssh's operands run remotely
        "timeout 5 python x.py",
        "nice -n 10 python train.py",
        "chrt -o 0 python train.py",
        "taskset -c 0 python train.py",
    ],
)
def test_ordinary_launchers_and_input_stay_ordinary(line):
    commands.shell_invocations(line)


# -- R16-14: a script run by its path is read as its #! line's start -------------------------------

_INSTALL = (
    "ip install -q --no-config --no-cache --target {target} --index-url {index} warden-demo-pkg"
)
# each script builds the installer's name from pieces (no word names it), as in the red team
_SCRIPTS = {
    "x.pl": '#!/usr/bin/perl\nsystem("u"."v p".q(' + _INSTALL + "));\n",
    "w.awk": '#!/usr/bin/awk -f\nBEGIN {{ system("u" "v p" "' + _INSTALL + '") }}\n',
    "v.sed": '#!/bin/sed -f\n1e u""v p""' + _INSTALL + "\n",
}


def _write_script(kernel, name: str, text: str):
    script = kernel.work / name
    script.write_text(text.format(index=kernel.index.simple, target=kernel.target))
    script.chmod(0o755)
    (kernel.work / "data.txt").write_text("x\n")


def _made_in_cell(name: str, code: str) -> str:
    """``code`` after a ``chmod`` of the script: R16-14 reads a script the cell (a clone, a
    download) made since the kernel started, and a kernel started more than a second after
    the test wrote the file (a loaded machine) would see one the machine had (the threat
    model's open case); the cell's own chmod stamps it as the cell's, whatever the delay."""
    return f"import os\nos.chmod({name!r}, 0o755)\n" + code


@pytest.mark.parametrize("name", sorted(_SCRIPTS))
def test_an_interpreter_script_run_by_its_path_is_read_as_its_interpreter_start(kernel, name):
    installed({"x.pl": "perl", "w.awk": "awk", "v.sed": "sed"}[name])
    _write_script(kernel, name, _SCRIPTS[name])
    line = f"./{name} data.txt"
    kernel.proves(_made_in_cell(name, f"os.system({line!r})\n"))


def test_a_uv_run_script_line_reads_the_script_metadata(kernel):
    """`#!/usr/bin/env -S uv run --script`: uv installs the PEP 723 block's dependencies from
    its own index; read as `uv run --script ./tool`, where that index is refused."""
    _write_script(
        kernel,
        "tool",
        "#!/usr/bin/env -S uv run --no-cache --script\n# /// script\n"
        '# dependencies = ["warden-demo-pkg"]\n# [tool.uv]\n# index-url = "{index}"\n# ///\n'
        "import warden_demo_pkg\n",
    )
    for code in (
        "import subprocess\nsubprocess.run(['./tool'])\n",
        "import os\nos.system('./tool')\n",
    ):
        refused = _fetches_only_without_warden(kernel, _made_in_cell("tool", code))
        assert "uv" in refused and "index" in refused, refused


def test_shebang_words_are_the_kernel_s():
    from jupyterlab_warden.kernel.guard.installs.shebang import interpreter_words

    def words(text: bytes):
        with tempfile.NamedTemporaryFile(delete=False) as fh:
            fh.write(text)
        try:
            return interpreter_words(fh.name)
        finally:
            os.unlink(fh.name)

    assert words(b"#!/usr/bin/env -S uv run --script\nx") == ["/usr/bin/env", "-S uv run --script"]
    assert words(b"#! /usr/bin/awk  -f \t\nBEGIN{}") == ["/usr/bin/awk", "-f"]
    assert words(b"#!/bin/sh\n") == ["/bin/sh"]
    assert words(b"echo hi\n") is None and words(b"\x7fELF") is None
    assert words(b"#!\n") == [] and words(b"#!/bin/" + b"x" * 300) == []  # longer than read
    assert interpreter_words("/dev/stdin") is None  # never opened: not a regular file


@pytest.fixture()
def scripts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str) -> None:
        (tmp_path / name).write_text(text)
        (tmp_path / name).chmod(0o755)

    return write


@pytest.mark.parametrize(
    "text",
    [
        "#!/usr/bin/perl\nsystem('ls');\n",
        '#!/usr/bin/env node\nrequire("child_process").execSync("ls");\n',
        "#!/usr/bin/awk -f\nBEGIN { print 1 }\n",  # awk -f refused when named too
        "#!/bin/sed -f\n1e ls\n",
        "#!/usr/bin/tclsh\nexec ls\n",
        "#!/bin/" + "x" * 300 + "\n",
        "#!\n",
    ],
)
def test_decision_refuses_scripts_as_their_interpreters_are_refused(scripts, text):
    scripts("s", text)
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations("./s data.txt")


@pytest.mark.parametrize(
    "text, tool",
    [
        ("#!/usr/bin/env -S uv run --script\nprint(1)\n", "uv"),
        ("#!/usr/bin/env uv\nprint(1)\n", "uv"),
    ],
)
def test_decision_reads_installer_lines_as_installer_starts(scripts, text, tool):
    scripts("s", text)
    found = commands.shell_invocations("./s")
    assert found and found[0].tool == tool, found


def test_a_line_the_kernel_passes_as_one_argument_is_read_so(scripts):
    """`#!/usr/bin/env pipx run`: the kernel hands env ONE argument, `pipx run`, a program
    name env does not find: nothing runs, as Warden reads it."""
    scripts("s", "#!/usr/bin/env pipx run\nprint(1)\n")
    assert commands.shell_invocations("./s") == []


@pytest.mark.parametrize(
    "text, line",
    [
        ("#!/bin/bash\necho hi\n", "./run.sh"),
        ("#!/usr/bin/env python3\nprint(1)\n", "./run.sh --epochs 3"),
        ("#!/usr/bin/env -S python3 -u\nprint(1)\n", "./run.sh"),
        ("#!/usr/bin/perl\nprint 1;\n", "./run.sh"),
        ("echo hi\n", "./run.sh"),
    ],
)
def test_ordinary_scripts_stay_ordinary(scripts, text, line):
    scripts("run.sh", text)
    assert commands.shell_invocations(line) == []


@pytest.mark.parametrize("tool", ["npm", "npx"])
def test_a_node_tool_the_machine_had_before_the_kernel_is_read_by_its_words(tool):
    """npm and npx are node scripts (`#!/usr/bin/env node`) whose code `require`s: read as
    node starts they were refused, `npm --version` included. A program file unchanged since
    the kernel (here: this test process) started is the machine's, read by its words; the
    same script written since is read as its #! start (the tests above)."""
    installed(tool)
    assert commands.shell_invocations(f"{tool} --version") == []
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(f"{tool} exec pip install torcj")


def test_a_copy_of_a_machine_node_tool_written_since_is_read_as_node(scripts):
    scripts("npm-copy", open(os.path.realpath(installed("npm"))).read())
    with pytest.raises(commands.Unreadable, match="node"):
        commands.shell_invocations("./npm-copy --version")


# -- R16-15: a foreign Python's whole standard library, not a list of modules ---------------------


@pytest.fixture
def placed_as_the_machines(monkeypatch):
    """Red team 28c R28c-8: a foreign Python installation is trusted only where it is the
    machine's by place (root's, in root-owned system folders); these tests are about what an
    unchanged one loads, so they place their tmp copy there."""
    from jupyterlab_warden.kernel.guard.installs import commands

    monkeypatch.setattr(commands, "_root_folder", lambda folder, tops: True)


@pytest.mark.parametrize(
    "changed",
    ["__future__.py", "_compat_pickle.py", "json/decoder.py", "json/__pycache__/x.pyc",
     "importlib/metadata/__init__.py", "lib-dynload/_struct.so", "encodings/utf_8.py"],
)  # fmt: skip
def test_every_module_a_foreign_python_may_load_before_the_guard_is_checked(
    tmp_path, monkeypatch, changed, placed_as_the_machines
):
    """The guard's own imports before its hook (``__future__``, ``_compat_pickle``) change with
    its code: every file of the standard library counts, its site-packages does not (the site
    rules read that)."""
    import shutil
    import sys

    from jupyterlab_warden.kernel.guard.installs import startup_modules

    stdlib = tmp_path / "py" / "lib" / "python3.11"
    for name in ("os.py", "encodings/__init__.py", changed, "site-packages/mod.py"):
        (stdlib / name).parent.mkdir(parents=True, exist_ok=True)
        (stdlib / name).write_text("")
    (tmp_path / "py" / "bin").mkdir()
    program = tmp_path / "py" / "bin" / "python3.11"
    shutil.copy2(os.path.realpath(sys._base_executable), program)
    for path in (str(stdlib / changed), str(stdlib / "site-packages" / "mod.py")):
        monkeypatch.setattr(
            startup_modules, "_changed", lambda p, missing=False, path=path: p == path
        )
        found = startup_modules.unverified_stdlib(str(program))
        if "site-packages" in path:
            assert found == "", found
        else:
            assert found.split(": ")[0] == path and "changed since" in found, found


def test_a_standard_library_folder_warden_cannot_list_is_unverified(
    tmp_path, monkeypatch, placed_as_the_machines
):
    """Fail closed: a folder of a foreign Python's standard library that cannot be listed may
    hold a changed module; it is reported as unverified, not passed over."""
    import shutil
    import sys

    from jupyterlab_warden.kernel.guard.installs import startup_modules

    stdlib = tmp_path / "py" / "lib" / "python3.11"
    for name in ("os.py", "encodings/__init__.py", "json/__init__.py"):
        (stdlib / name).parent.mkdir(parents=True, exist_ok=True)
        (stdlib / name).write_text("")
    (tmp_path / "py" / "bin").mkdir()
    program = tmp_path / "py" / "bin" / "python3.11"
    shutil.copy2(os.path.realpath(sys._base_executable), program)
    monkeypatch.setattr(startup_modules, "_changed", lambda p, missing=False: False)
    assert startup_modules.unverified_stdlib(str(program)) == ""
    scandir = os.scandir
    locked = str(stdlib / "json")

    def refuse(path):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return scandir(path)

    monkeypatch.setattr(startup_modules.os, "scandir", refuse)
    assert (
        startup_modules.unverified_stdlib(str(program)) == f"{locked}: a folder Warden cannot list"
    )
