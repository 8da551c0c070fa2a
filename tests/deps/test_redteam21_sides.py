"""Programs a start may run that its line does not name: their installs, their folders' limits.

- Found this session (R21-5): a program file written since the kernel started, found in a PATH
  folder (the kernel's, or a PATH the line gives) or in a folder an untabled program is given
  (``gcc -B tc/``, ``COMPILER_PATH=tc``), was read as a start only for what Warden cannot read;
  the installs its own words start were dropped. A ``#!/usr/bin/env -S sh -c 'uv pip install
  ...'`` file named ``gzip`` on PATH, or ``as`` in gcc's folder, installed from a refused index
  when tar or gcc ran it. Now each such install is decided with the line's own.
- Red team 20 R20-3: the environment folders were read up to a cap (32 parts, 4,096
  characters, no newline) and the rest passed unread; now every part is read, an empty one as
  the current folder (gcc reads ``COMPILER_PATH=:`` as ./).
- A folder a value the cell set names, written by an earlier command on the line, is refused
  (an absolute value the cell put in os.environ was not); the launcher's own values (LS_COLORS)
  refuse no ordinary line.
- Red team 21 R21-2: a PATH folder's kept listing was keyed on its mtime, which ``os.utime``
  sets back; the status-change time is kept too.

Each proof runs for real: without Warden the installer runs and the package lands; with Warden
the start is refused and the index sees no request.
"""

import os
import shlex
import sys
import time

import pytest
from launched import installed, system_cell
from test_redteam17_starts import PERL, _program

from jupyterlab_warden.kernel.guard.installs import commands, inherited_env, path_programs

# one line env(1) splits: `sh -c TEXT` with the file as $0 and the caller's words after it (gcc
# hands `as` its own options), so the install runs whatever the caller passes
SHEBANG = "#!/usr/bin/env -S sh -c '{install}'\n"


def _shebang_installer(kernel, name: str, folder: str) -> str:
    """The statements that write ``folder/name``, a program installing from the refused index:
    run by the cell, so the file is written since the kernel started, as R21-5's was. (Written
    by the test before the run, it was more than a second older than the guarded kernel when
    the run without Warden took that long, and read as one from before the kernel: a test
    that failed under load, see path_programs' age rule.)"""
    # uv by name (the kernel's PATH has it) and the target from the work folder: Linux reads a
    # #! line up to 255 bytes, and a longer one would cut the proof short
    install = shlex.join(
        ["uv", "pip", "install", "--no-config", "--python", sys.executable, "--target",
         os.path.relpath(kernel.target, kernel.work), "--index-url", kernel.index.simple,
         "warden-demo-pkg"]
    )  # fmt: skip
    text = SHEBANG.format(install=install)
    assert len(text.splitlines()[0]) < 255 and "'" not in install, text
    (kernel.work / "data.txt").write_text("a\n")
    (kernel.work / "x.c").write_text("int x;\n")
    return _cell_writes(name, text, folder)


def _cell_writes(name: str, text: str, folder: str = ".") -> str:
    """Cell statements writing the program ``folder/name`` (``text``): a program the gate reads
    because it was written since the kernel started, written by the kernel itself."""
    assert "{" not in text and "}" not in text, text  # the cell is a format string
    path = f"{folder}/{name}"
    return (
        f"import os\nos.makedirs({folder!r}, exist_ok=True)\n"
        f"with open({path!r}, 'w') as fh:\n    fh.write({text!r})\n"
        f"os.chmod({path!r}, 0o755)\n"
    )


def _perl(kernel) -> str:
    """``PERL`` (an install from the refused index) as ``_program`` writes it."""
    return PERL.format(index=kernel.index.simple, target=kernel.target, python=sys.executable)


@pytest.mark.parametrize(
    "code",
    [
        # the kernel's PATH: the gate reads its new files at every start
        "import os\nos.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']\n"
        "os.system('tar czf o.tgz data.txt')\n",
        # a PATH the line gives
        "import os\n"
        "os.system('PATH=%s/bin:%s tar czf o.tgz data.txt' % (os.getcwd(), os.environ['PATH']))\n",
    ],
    ids=["kernel-PATH", "line-PATH"],
)
def test_r21_5_an_install_a_path_program_starts_is_decided(kernel, code):
    installed("tar")
    installed("gzip")
    refused = kernel.proves(_shebang_installer(kernel, "gzip", "bin") + code)
    assert "run by gzip in" in refused and "not one of the indexes" in refused, refused


@pytest.mark.parametrize("line", ["gcc -B tc/ -c x.c -o x.o", "COMPILER_PATH=tc gcc -c x.c -o x.o"])
def test_r21_5_an_install_a_program_folder_file_starts_is_decided(kernel, line):
    installed("gcc")
    refused = kernel.proves(_shebang_installer(kernel, "as", "tc") + system_cell(line))
    assert "tc/as, in tc" in refused and "not one of the indexes" in refused, refused


# -- R20-3: every part of an environment value, however many and however long ------------------

PADDING = ":".join(["/nonexistent"] * 40)


@pytest.mark.parametrize(
    "code",
    [
        system_cell(f"COMPILER_PATH={PADDING}:tc gcc -c x.c -o x.o"),
        system_cell("COMPILER_PATH=/n" + "x" * 4200 + ":tc gcc -c x.c -o x.o"),
        "import os\nos.environ['COMPILER_PATH'] = os.getcwd() + '/tc:/nonexistent\\n'\n"
        "os.system('gcc -c x.c -o x.o')\n",
        f"import os\nos.environ['COMPILER_PATH'] = '{PADDING}:' + os.getcwd() + '/tc'\n"
        "os.system('gcc -c x.c -o x.o')\n",
    ],
    ids=["40-parts", "long-value", "newline", "inherited-40-parts"],
)
def test_r20_3_every_part_of_a_folder_list_is_read(kernel, code):
    installed("gcc")
    installed("perl")
    (kernel.work / "x.c").write_text("int x;\n")
    refused = kernel.proves(_cell_writes("as", _perl(kernel), "tc") + code)
    assert "COMPILER_PATH" in refused and "a folder it may run programs from" in refused, refused


def test_r20_3_an_empty_part_is_the_current_folder(kernel):
    installed("gcc")
    installed("perl")
    (kernel.work / "x.c").write_text("int x;\n")
    cell = _cell_writes("as", _perl(kernel)) + system_cell("COMPILER_PATH=: gcc -c x.c -o x.o")
    refused = kernel.proves(cell)
    # the first value read that holds an empty part may be another (PYTEST_CURRENT_TEST's
    # `::`): each names the same folder
    assert "is given ., a folder it may run programs from, which holds as" in refused, refused


def test_a_folder_the_cell_set_written_on_the_line_is_refused(kernel):
    """An absolute folder the cell put in os.environ (not the line): the writer on the line
    puts the program there after Warden listed the folder."""
    installed("gcc")
    _program(kernel, "payload.pl", PERL)
    (kernel.work / "payload.pl").chmod(0o644)  # a program only once the line copies it
    (kernel.work / "tc").mkdir()
    (kernel.work / "x.c").write_text("int x;\n")
    code = (
        "import os\nos.environ['COMPILER_PATH'] = os.getcwd() + '/tc'\n"
        "os.system('cp payload.pl tc/as && chmod +x tc/as && gcc -c x.c -o x.o')\n"
    )
    refused = kernel.proves(code)
    assert "COMPILER_PATH" in refused and "an earlier command on the line (cp)" in refused


def test_the_launchers_values_refuse_no_ordinary_line(kernel):
    """LS_COLORS (its parts, its trailing empty one: the current folder) as a kernel started
    from a terminal has it: a download then an unpack, a writer then make, run."""
    installed("tar")
    (kernel.work / "data.txt").write_text("a\n")
    env = kernel.env(True)
    env["LS_COLORS"] = "rs=0:di=01;34:ln=01;36:*.tar=01;31:*.tgz=01;31:"
    code = (
        "import os\n"
        "assert os.system('cp data.txt copy.txt && tar czf o.tgz copy.txt') == 0\n"
        "assert os.system('touch made.txt && make -v > /dev/null') == 0\n"
    )
    result = kernel.cell(code, launched=True, env=env)
    assert result["refused"] is None and result.get("error") is None, result
    assert (kernel.work / "o.tgz").exists()


# -- the reading's rules, without a kernel ------------------------------------------------------


def _reading(line: str, folder, env: dict, launch: dict, monkeypatch) -> str:
    monkeypatch.setattr(inherited_env, "_LAUNCH", launch)
    with commands.shell_environment(env), commands.start_folder(str(folder)):
        try:
            commands.shell_invocations(line)
        except commands.Unreadable as exc:
            return str(exc)
    return ""


def test_a_relative_value_the_cell_set_after_an_unknown_cd_is_refused(tmp_path, monkeypatch):
    env = {"PATH": "/usr/bin:/bin", "LS_COLORS": "rs=0:di=01;34:"}
    # the launcher's: read from the kernel's folder (the cell wrote none of its text)
    assert _reading('cd "$X" && git status', tmp_path, env, dict(env), monkeypatch) == ""
    # the cell's: its parts name folders from a folder Warden cannot tell
    refused = _reading('cd "$X" && git status', tmp_path, env, {}, monkeypatch)
    assert "LS_COLORS" in refused and "cd to a folder written out" in refused, refused


def test_a_folder_list_is_looked_up_without_a_stat_per_part(tmp_path, monkeypatch):
    """The bare parts of a long value are looked up in the start folder's kept listing."""
    (tmp_path / "tc").mkdir()
    looks = []
    real_isdir = os.path.isdir
    monkeypatch.setattr(os.path, "isdir", lambda p: looks.append(p) or real_isdir(p))
    value = ":".join(f"k{i}=v" for i in range(500)) + ":tc"
    env = {"PATH": "/usr/bin:/bin", "COMPILER_PATH": value}
    assert _reading("gcc -c x.c", tmp_path, env, dict(env), monkeypatch) == ""
    assert len([p for p in looks if "k" in os.path.basename(p)]) == 0, looks[:5]
    assert any(p.endswith("/tc") for p in looks), looks


# -- R21-2: a PATH folder's kept listing --------------------------------------------------------


def test_r21_2_a_folder_whose_mtime_is_set_back_is_listed_again(tmp_path, monkeypatch):
    monkeypatch.setattr(path_programs, "_SETTLED", 0.0)  # keep every listing
    monkeypatch.setattr(path_programs, "_started", time.time() - 5)
    folder = tmp_path / "bin"
    folder.mkdir()
    assert path_programs.new_programs(str(folder)) == []
    before = os.stat(folder)
    (folder / "gzip").write_text("#!/bin/sh\n")
    (folder / "gzip").chmod(0o755)
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(folder).st_mtime_ns == before.st_mtime_ns
    assert path_programs.new_programs(str(folder)) == [str(folder / "gzip")]


def test_a_listing_of_a_folder_changed_just_now_is_not_kept(tmp_path, monkeypatch):
    """A second change in the same clock tick keeps the folder's times: a listing made then
    could go stale, so it is made again at the next look."""
    monkeypatch.setattr(path_programs, "_SETTLED", 3600.0)
    folder = tmp_path / "bin"
    folder.mkdir()
    path_programs.new_programs(str(folder))
    assert str(folder) not in path_programs._FOLDERS
    monkeypatch.setattr(path_programs, "_SETTLED", 0.0)
    path_programs.new_programs(str(folder))
    assert str(folder) in path_programs._FOLDERS
