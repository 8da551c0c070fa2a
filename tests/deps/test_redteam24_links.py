"""Red team 24 R24-1, R24-1b: where a writer of the allow list may make a link.

``line_writers.links`` had no case for unzip and only a list of git's checkout-like commands:
for any other, the links it makes were looked for where its words lead, which never holds the
folder it runs in nor an attached ``-dDIR``. A zip member (or a committed link that ``git
sparse-checkout disable`` checks out) ``l -> /abs/pbin`` then let ``chmod +x l/gzip`` make
pbin's gzip a program unseen, and tar ran it. Now unzip may make a link anywhere it writes
(its -d folder, attached or not, else the folder it runs in), and every git command but a
short list that keeps the work tree's files may make one in the work tree.

Each proof runs for real: without Warden the payload runs and the package lands; with Warden
the line is refused and the index sees no request. pbin is a fresh folder per run, outside
the work folder, first on PATH; its gzip is the payload, 0644 (not a program yet).
"""

import pytest
from launched import installed, system_call
from test_redteam19_path import _payload

SETUP = (
    "import os, shutil, subprocess, tempfile\n"
    "pbin = tempfile.mkdtemp()\n"
    "shutil.copy('payload.pl', pbin + '/gzip')\n"
    "for old in ('l', 'kd', 'kit.zip', 'repo'):\n"
    "    if os.path.islink(old) or os.path.isfile(old):\n"
    "        os.remove(old)\n"
    "    shutil.rmtree(old, ignore_errors=True)\n"
)
ZIP = (
    "os.makedirs('mk', exist_ok=True)\n"
    "os.symlink(pbin, 'mk/l')\n"
    "subprocess.run('cd mk && zip -qy ../kit.zip l', shell=True, check=True)\n"
    "shutil.rmtree('mk')\n"
)
GIT = (
    "os.makedirs('repo')\n"
    "shutil.copy('a.txt', 'repo/a.txt')\n"
    "os.symlink(pbin, 'repo/l')\n"
    "g = 'git -c user.name=u -c user.email=u@e -c init.defaultBranch=main '\n"
    "subprocess.run(g + 'init -q . && ' + g + 'add a.txt l && ' + g + 'commit -qm c && ' + g\n"
    "               + 'sparse-checkout set --no-cone /a.txt', shell=True, check=True, cwd='repo')\n"
    "assert not os.path.lexists('repo/l')\n"
    "os.chdir('repo')\n"
)
PATH_FIRST = "os.environ['PATH'] = pbin + ':' + os.environ['PATH']\n"


@pytest.mark.parametrize(
    "line",
    [
        "unzip -q kit.zip && chmod +x l/gzip && tar czf o.tgz a.txt",
        "unzip -q -dkd kit.zip && chmod +x kd/l/gzip && tar czf o.tgz a.txt",
    ],
    ids=["here", "attached-d"],
)
def test_r24_1_a_link_unzip_makes_is_placed(kernel, line):
    for program in ("zip", "unzip", "tar", "perl"):
        installed(program)
    _payload(kernel)
    refused = kernel.proves(SETUP + ZIP + PATH_FIRST + system_call(line))
    assert "an earlier command on the line (chmod" in refused, refused


def test_r24_1b_a_link_a_git_command_checks_out_is_placed(kernel):
    for program in ("git", "tar", "perl"):
        installed(program)
    _payload(kernel)
    line = "git sparse-checkout disable && chmod +x l/gzip && tar czf o.tgz a.txt"
    code = SETUP + GIT + PATH_FIRST + system_call(line)
    refused = kernel.proves(code)
    assert "an earlier command on the line (chmod" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "unzip -q data.zip -d data && python3 -c 'print(1)'",
        "git log -1 --oneline && git status --short && tar czf o.tgz a.txt",
    ],
)
def test_ordinary_unzip_and_git_lines_run(kernel, line):
    for program in ("zip", "unzip", "git", "tar"):
        installed(program)
    _payload(kernel)
    code = (
        SETUP
        + "open('d.csv', 'w').write('x\\n')\n"
        + "subprocess.run('zip -q data.zip d.csv', shell=True, check=True)\n"
        + "subprocess.run('git init -q . && git -c user.name=u -c user.email=u@e add a.txt && "
        + "git -c user.name=u -c user.email=u@e commit -qm c', shell=True, check=True)\n"
        + PATH_FIRST
        + f"assert os.system({line!r}) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_loading_a_dotenv_through_xargs_runs_in_a_project_with_its_venv(tmp_path, monkeypatch):
    """`export $(grep -v '^#' .env | xargs)`: xargs with no command runs echo and writes
    nothing (ci24: it counted as a writer of anything under the folder, which holds the
    project's .venv/bin on PATH, and refused the line); with a command it is not known."""
    from jupyterlab_warden.kernel.guard.installs import commands

    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".env").write_text("A=1\n")
    monkeypatch.chdir(tmp_path)
    env = {"PATH": f"{tmp_path}/.venv/bin:/usr/bin:/bin"}
    # (an export of the names the .env computes is refused since red team 90 F7: the .env may
    # set PYTHONPATH; the reading of xargs is what this test is about)
    line = "echo $(grep -v '^#' .env | xargs); python3 t.py"
    assert commands.shell_invocations(line, 0, env) == []
    with pytest.raises(commands.Unreadable, match="xargs"):
        commands.shell_invocations("ls | xargs touch; python3 t.py", 0, env)
