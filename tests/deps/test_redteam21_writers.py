"""Red team 21 (fix21): where a writer on the line may put a program (R21-1, R21-3, R21-4).

R19-2/R20-1: a command after a writer on its line that may have put or chmodded a file in a
folder of its PATH is refused (Warden lists PATH's folders before the line runs). Which folders
a writer reaches was a DENY list of signs (-r/-R/-a letters, exact --recursive, mv, rsync):
``tar -xf k.tar -C kd``, ``unzip -d kd``, ``git clone src kd``, ``cp --rec``, ``chmod --recu``,
``ln -s kit/bin .`` reached kd/bin or ./bin unseen (R21-1, R21-4). Now it is an ALLOW list
(``line_writers``): a writer known to write only what it names, read with getopt's rules
(abbreviated long options), writes those places; any other writer writes anything under the
folder it runs in and under its words' paths. The cost side (R21-3): a copy or move INTO a
folder reaches DEST/<source's name>, not all of DEST, and a chmod that adds no execute bit
makes no program, so the project's own venv (./.venv/bin first on PATH) lets them run.
Each malicious case runs for real (tar runs ``gzip`` from PATH): without Warden it installs
from the local index, with Warden it is refused before anything is fetched.
"""

import os
import subprocess
import sys

import pytest
from launched import git_project, installed, system_call
from test_redteam18_path import PATH_FIRST
from test_redteam19_path import _payload

# kit/bin/gzip: the installing perl program as a program file; kit.tar and kit.zip hold bin/;
# what the run without Warden left is removed first (the cell runs again with it)
KIT = (
    "import shutil, tarfile, zipfile\n"
    "for old in ('bin', 'kd', 'kitclone', 'src', 'kit'):\n"
    "    shutil.rmtree(old, ignore_errors=True)\n"
    "os.makedirs('kit/bin', exist_ok=True)\n"
    "shutil.copy('payload.pl', 'kit/bin/gzip')\n"
    "os.chmod('kit/bin/gzip', 0o755)\n"
    "with tarfile.open('kit.tar', 'w') as t:\n"
    "    t.add('kit/bin', arcname='bin')\n"
    "with zipfile.ZipFile('kit.zip', 'w') as z:\n"
    "    z.write('kit/bin', 'bin')\n"
    "    z.write('kit/bin/gzip', 'bin/gzip')\n"
)


def _first_on_path(folder: str) -> str:
    return f"os.environ['PATH'] = os.getcwd() + '/{folder}:' + os.environ['PATH']\n"


# kit as a committed git repository named src, what the line clones
GIT_KIT = (
    "import subprocess\n"
    "g = ['git', '-C', 'kit', '-c', 'user.email=a@b', '-c', 'user.name=a']\n"
    "for step in (['init', '-q'], ['add', '.'], ['commit', '-qm', 'k']):\n"
    "    subprocess.run(g + step, check=True)\n"
    "os.rename('kit', 'src')\n"
)
KD = "os.makedirs('kd')\n" + _first_on_path("kd/bin")


PROOFS = [
    # R21-1: writers that unpack a tree by nature, into the folder they run in or their own
    ("", "tar xf kit.tar && tar czf o.tgz a.txt"),
    ("", "unzip -q kit.zip && tar czf o.tgz a.txt"),
    ("", "python3 -c \"import shutil; shutil.copytree('kit/bin', 'bin')\" && tar czf o.tgz a.txt"),
    (KD, "tar -xf kit.tar -C kd && tar czf o.tgz a.txt"),
    (KD, "unzip -q kit.zip -d kd && tar czf o.tgz a.txt"),
    (
        GIT_KIT + _first_on_path("kitclone/bin"),
        "git clone -q src kitclone && tar czf o.tgz a.txt",
    ),
    # R21-4: a long option abbreviated as getopt_long allows
    ("", "cp --rec kit/bin . && tar czf o.tgz a.txt"),
    ("", "cp --arch kit/. . && tar czf o.tgz a.txt"),
    (
        "os.makedirs('bin')\nshutil.copy('payload.pl', 'bin/gzip')\n",
        "chmod --recu +x . && tar czf o.tgz a.txt",
    ),
    # the same class: a link names a folder, a copy of a folder's contents (kit/.)
    ("", "ln -s kit/bin . && tar czf o.tgz a.txt"),
    ("", "cp -a kit/. . && tar czf o.tgz a.txt"),
]


@pytest.mark.parametrize("pre, line", PROOFS, ids=[line.split(" && ")[0] for _, line in PROOFS])
def test_a_writer_that_reaches_a_path_folder_below_its_places_refuses_the_later_starts(
    kernel, pre, line
):
    """R21-1/R21-4: kd/bin or ./bin, a folder of PATH, is below what the writer reaches; tar
    then runs bin/gzip from PATH. The refusal comes when the line's shell starts."""
    installed("tar")
    installed(line.split()[0])
    _payload(kernel)
    code = PATH_FIRST + KIT + pre + system_call(line)
    refused = kernel.proves(code)
    assert "earlier command on the line" in refused, refused


def _project(kernel) -> str:
    """The files the ordinary lines work on; a cell header that puts the project's own venv
    (./.venv/bin) first on PATH, as a kernel started from it has."""
    _payload(kernel)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(kernel.work / ".venv")],
                   check=True)  # fmt: skip
    (kernel.work / "downloads").mkdir()
    (kernel.work / "downloads" / "data.csv").write_text("a,b\n1,2\n")
    (kernel.tmp / "shared_configs").mkdir()
    (kernel.tmp / "shared_configs" / "c.yaml").write_text("lr: 1\n")
    git_project(kernel.tmp / "upstream", {"setup.py": "", "README": "x\n"})
    (kernel.work / "Makefile").write_text("all:\n\t@echo built\n")
    return "import os\n" + _first_on_path(".venv/bin")


RUN = "python3 -c 'print(1)'"
ORDINARY = [
    f"git clone -q {{upstream}} repo && cd repo && {RUN}",
    f"wget -q -O d.whl {{wheel}} && unzip -q d.whl -d data && {RUN}",
    f"curl -s -o d.whl {{wheel}} && mkdir -p x && tar cf d.tar d.whl && tar xf d.tar -C x && {RUN}",
    f"mkdir -p out && cp a.txt out/ && {RUN}",
    f"mv downloads/data.csv . && {RUN}",
    f"cp -r ../shared_configs . && {RUN}",
    f"cp -a downloads/data.csv . && {RUN}",
    f"chmod -R u+w . && chmod -R go-w . && chmod 644 a.txt && {RUN}",
    f"sed -i s/a/b/ a.txt && sort -o s.txt a.txt && {RUN}",
    "make -s",
]


@pytest.mark.parametrize("venv", [True, False], ids=["project-venv", "plain-path"])
@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_writers_run_with_the_project_venv_on_path(kernel, index, line, venv):
    """No false refusal (R21-3): writers whose places are outside PATH's folders, with the
    project's own ./.venv/bin first on PATH (the folder they run in holds it) and without."""
    for program in ("git", "wget", "curl", "unzip", "tar", "make", "sed"):
        installed(program)
    header = _project(kernel)
    if not venv:
        header = "import os\n"
    wheel = index.file_url(next(iter(index.files)))
    line = line.format(upstream=kernel.tmp / "upstream", wheel=wheel)
    result = kernel.cell(header + f"assert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result


@pytest.mark.parametrize(
    "line",
    [
        "tar xf d.tar && python3 -c 'print(1)'",  # unpacks into the project's own folder
        "python3 -c 'open(\"o.txt\", \"w\")' && python3 -c 'print(1)'",  # a script: anywhere
        "make -s && python3 -c 'print(1)'",
    ],
)
def test_a_tree_writer_in_the_folder_above_the_venv_is_a_designed_refusal(kernel, line):
    """A writer that may write anything under the folder it runs in, which holds ./.venv/bin:
    refused (Warden cannot tell it left .venv/bin alone), saying to run the rest as its own
    line, which lists PATH's folders afresh."""
    header = _project(kernel)
    subprocess.run(["tar", "cf", "d.tar", "a.txt"], cwd=kernel.work, check=True)
    result = kernel.cell(header + f"os.system({line!r})\n", launched=True)
    refused = result["refused"] or ""
    assert "may write anything under" in refused and ".venv/bin" in refused, result
    assert "as its own line" in refused, result


def test_may_write_answers_as_reach_for_every_program_on_the_machine():
    """``line_writers.may_write`` is the one look a guarded Python's every start pays before
    ``reach`` (``InstallGate._child_writes``): a program it passes must be one ``reach`` places
    nothing for, or the child's start-up writes go unread. Checked on every program name of the
    machine's folders and the writers' own names, with words that would place a write."""
    from jupyterlab_warden.kernel.guard.installs import line_writers

    names = {"cp", "mv", "ln", "tar", "dd", "gzip", "zcat", "tee", "touch"}
    for folder in ("/usr/bin", "/bin", "/usr/local/bin"):
        names.update(os.listdir(folder) if os.path.isdir(folder) else ())
    placed = []
    for name in sorted(names):
        words = ["xf", "a.tar", "-C", "x"] if name == "tar" else ["a.pth", "x/b.pth"]
        try:
            where = line_writers.reach(name, words, {})
        except line_writers.UnplacedWrites:
            where = ["unplaced"]
        if where:
            placed.append(name)
            assert line_writers.may_write(name), name
    # the check has teeth: the list's writers were among the names and placed their words
    assert {"cp", "mv", "ln", "tar", "tee", "touch"} <= set(placed), placed
