"""Red team 18 (fix18a): programs a started program looks up on PATH (R18-1, R18-2, R18-4).

A cell puts a folder first on the kernel's PATH (``os.environ["PATH"] = ...``, as venv and
conda cells do) holding ``git-evil``, ``git-remote-evil``, ``gzip``, ``xz``; git, tar, zcat look
the name up and run it, and Warden read only the program the line names. Now a program file
written since the kernel started in a folder of a start's PATH is read as a start of its own
at EVERY start whose PATH holds it (``path_programs``, ``InstallGate._path_programs``), and a
reading that refuses refuses the start. Each malicious case runs for real: without Warden the
program installs warden-demo-pkg from the local index, with Warden the start is refused before
anything is fetched. A venv made and put on PATH by the cell (pip's own console scripts,
links to the kernel's Python) refuses nothing.
"""

import gzip
import os
import subprocess
import sys

import pytest
from launched import installed, system_call, system_cell
from local_index import build_wheel
from real_uv import real_uv

# a perl program that installs warden-demo-pkg with uv (its name built from pieces, so no word
# of the file or of the line names an installer)
PERL = (
    '#!/usr/bin/perl\nsystem("u"."v p".q(ip install -q --no-config --no-cache --python '
    "{py} --target {target} --index-url {index} warden-demo-pkg));\nexit 0;\n"
)
PATH_FIRST = 'import os\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'


def _programs(kernel, *names: str) -> None:
    """Each of ``names`` in the kernel's ``bin/`` as the installing perl program, with the
    files the lines work on (a git repository, a.txt, a.gz)."""
    (kernel.work / "bin").mkdir(exist_ok=True)
    for name in names:
        path = kernel.work / "bin" / name
        path.write_text(
            PERL.format(py=sys.executable, target=kernel.target, index=kernel.index.simple)
        )
        path.chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "a.gz").write_bytes(gzip.compress(b"hello\n"))
    if not (kernel.work / ".git").exists():
        subprocess.run(["git", "init", "-q", str(kernel.work)], check=True)


@pytest.mark.parametrize(
    "line, program, named",
    [
        ("tar czf o.tgz a.txt", "gzip", "gzip"),  # R18-4: tar -z runs gzip from PATH
        ("tar cJf o.txz a.txt", "xz", "xz"),
        ("zcat a.gz", "gzip", "gzip"),  # the machine's zcat, a sh script, runs gzip
        # git's own command and URL: git runs ssh from PATH (no core.sshCommand)
        ("git ls-remote ssh://example.invalid/x", "ssh", "ssh"),
        # R18-1: a subcommand git does not build in; git's table refuses the word (both sides)
        ("git evil", "git-evil", "'evil'"),
        ("git -c alias.st=evil st", "git-evil", "'st'"),  # git-st first, then the alias
        ("git --no-pager evil", "git-evil", "'evil'"),
        # R18-2: a remote helper; git's table refuses the URL (both sides)
        ("git clone evil::x d", "git-remote-evil", "evil::x"),
        ("git clone evil://host/x d", "git-remote-evil", "evil://"),
        ("git ls-remote evil::x", "git-remote-evil", "evil::x"),
        ("git -c remote.origin.url=evil::x fetch origin", "git-remote-evil", "evil::x"),
        ("git remote add o evil::x && git fetch o", "git-remote-evil", "evil::x"),
    ],
)
def test_a_program_a_started_program_finds_on_path_is_read(kernel, line, program, named):
    """The program file on PATH is read (tar's gzip, zcat's, git's ssh); where git would look
    a name up (R18-1's git-NAME, R18-2's git-remote-NAME) git's table refuses the word first.
    The refusal names the file, or the word."""
    installed(line.split()[0])
    _programs(kernel, program)
    refused = kernel.proves(PATH_FIRST + system_call(line))
    assert named in refused, refused


@pytest.mark.parametrize("argv", [["tar", "czf", "o.tgz", "a.txt"], ["zcat", "a.gz"]])
def test_the_gate_shortcut_reads_the_path_programs_too(kernel, argv):
    """``subprocess.run([...])`` with the inherited environment: the gate's shortcut, which
    reads nothing of a start whose words name no installer, shell or script."""
    installed(argv[0])
    _programs(kernel, "gzip")
    code = PATH_FIRST + f"import subprocess\nsubprocess.run({argv!r}, stdout=subprocess.DEVNULL)\n"
    refused = kernel.proves(code)
    assert "gzip" in refused and "PATH" in refused, refused


def test_a_path_given_to_one_start_is_read(kernel):
    """``env=dict(os.environ, PATH=...)``: the start's own PATH, not the kernel's."""
    installed("tar")
    _programs(kernel, "gzip")
    code = (
        "import os, subprocess\n"
        "env = dict(os.environ, PATH=os.getcwd() + '/bin:' + os.environ['PATH'])\n"
        "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'], env=env)\n"
    )
    assert "gzip" in kernel.proves(code)


@pytest.mark.parametrize(
    "form",
    [
        "PATH={path} tar czf o.tgz a.txt",
        "env PATH={path} zcat a.gz",
        "export PATH={path}; tar cJf o.txz a.txt",
    ],
)
def test_a_path_the_line_gives_is_read(kernel, form):
    """A PATH set on the line (an assignment, env, export): the reading's, not the gate's."""
    installed("tar")
    _programs(kernel, "gzip", "xz")
    path = f"bin:{os.path.dirname(real_uv())}:/usr/bin:/bin"
    refused = kernel.proves(system_cell(form.format(path=path)))
    assert "on the PATH it is given" in refused, refused


def test_a_path_program_rewritten_in_place_is_read_again(kernel):
    """A file read once (a harmless perl program, kept as such) then rewritten in place: same
    inode, its folder's mtime unchanged; its own status-change time makes it read again."""
    installed("tar")
    _programs(kernel, "gzip")
    payload = (kernel.work / "bin" / "gzip").read_text()
    (kernel.work / "bin" / "gzip").write_text("#!/usr/bin/perl\nexit 0;\n")
    code = PATH_FIRST + (
        "import subprocess\n"
        "subprocess.run(['true'], check=True)\n"  # read now, and kept: it runs nothing
        f"open('bin/gzip', 'w').write({payload!r})\n"
        "os.system('tar czf o.tgz a.txt')\n"
    )
    assert "gzip" in kernel.proves(code)


VENV_CELL = """import os, subprocess, sys
subprocess.run([sys.executable, "-m", "venv", "--without-pip", "v"], check=True)
subprocess.run([sys.executable, "-m", "pip", "--python", "v/bin/python", "install", "-q",
                "--no-index", "--no-deps", {wheel!r}], check=True)
assert open("v/bin/warden-tool").readline().startswith("#!" + os.getcwd() + "/v/bin/python")
os.environ["PATH"] = os.getcwd() + "/v/bin:" + os.environ["PATH"]
subprocess.run(["tar", "czf", "o.tgz", "a.txt"], check=True)
subprocess.run(["git", "status", "--short"], check=True, stdout=subprocess.DEVNULL)
assert os.system("zcat a.gz >/dev/null && python -c 'print(1)' && warden-tool") == 0
subprocess.run(["warden-tool"], check=True)
"""


def test_a_venv_and_console_script_the_cell_made_first_on_path_refuse_nothing(kernel, tmp_path):
    """No false refusal: pip's console script (``#!python`` + an import: read as a guarded
    Python start) and ``python -m venv``'s links to the kernel's Python, all written since the
    kernel started; with their folders first on PATH ordinary starts run."""
    _programs(kernel)
    wheel = build_wheel(
        tmp_path,
        "warden-tool",
        body="def main():\n    print('tool')\n",
        scripts="warden-tool = warden_tool_mod:main\n",
    )
    result = kernel.cell(VENV_CELL.replace("{wheel!r}", repr(str(wheel))), launched=True)
    assert result["refused"] is None, result
