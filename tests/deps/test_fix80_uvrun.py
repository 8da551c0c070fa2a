"""R57c-3/-4: the files ``uv run`` installs from are weighed against the line's earlier writers
whatever they ask for when Warden reads the line.

``uv run s.py`` installs what s.py's PEP 723 block asks for (and its ``s.py.lock``); ``uv run
CMD`` syncs the project uv finds from the working folder up (pyproject.toml, uv.lock). Warden
read those files before the line ran, and when they asked for nothing (a plain script, no
project, a project with no dependencies) it made no install request at all, so the line's
earlier writer (``cp real.txt s.py``, ``cat real.toml > pyproject.toml``, ``tar x``...) was
never weighed: uv then installed what the written file asked for (torcj, from the test index,
a host the policy refuses). ``uv pip install -r r.txt`` always was weighed (an install that
names a file is refused after an earlier writer on the line, red team 7 R7-16); ``uv run`` now
is too, by the files ``uv_run_reads`` names.

Controls: each line installs torcj and runs the script's marker without Warden; the ordinary
lines next to them (a plain script with no writer before it, ``--no-project`` after a writer,
a script whose real metadata asks for a refused name) are decided as before.
"""

import shlex
import sys
import tarfile

import pytest

# what the earlier command writes: a script asking for torcj from the test index; the module
# torcj_mod (``local_index.build_wheel``) imports only once uv installed it
SCRIPT = """# /// script
# dependencies = ["torcj"]
# [tool.uv]
# index-url = "INDEX"
# ///
import torcj_mod
open("ran", "w").write("1")
"""
PLAIN = 'open("ran", "w").write("1")\n'  # s.py as Warden reads it: no inline metadata
PROJECT = """[project]
name = "p"
version = "0"
requires-python = ">=3.8"
dependencies = ["torcj"]

[[tool.uv.index]]
url = "INDEX"
default = true
"""
EMPTY_PROJECT = '[project]\nname = "p"\nversion = "0"\ndependencies = []\n'


def _uv_run(*words: str, config: bool = False) -> str:
    """A ``uv run`` line (``{uv}``: filled by ``Kernel.cell``) in the kernel's Python; with
    ``config``, uv reads its config (uv 0.13.9 drops a project's own index under --no-config;
    the kernel's HOME holds none)."""
    options = [] if config else ["--no-config"]
    return shlex.join(
        ["{uv}", "run", "-q", *options, "--no-cache", "--python", sys.executable, *words]
    )


RUN_SCRIPT = _uv_run("s.py")
# the project's environment runs the module only once uv synced torcj into it
RUN_PROJECT = _uv_run("python", "-c", "import torcj_mod; open('ran', 'w').write('1')", config=True)


def _cell(line: str) -> str:
    """A cell running ``line`` through os.system (its braces kept from ``Kernel.cell``'s
    format but ``{uv}``)."""
    text = f"import os\nos.system({line!r})\n".replace("{", "{{").replace("}", "}}")
    return text.replace("{{uv}}", "{uv}")


def _files(kernel, now: str = PLAIN, project: str = "") -> None:
    """The kernel's folder as Warden reads it: s.py asking for nothing (``now``), the real
    script and project beside it under other names (and packed in pack.tar)."""
    work = kernel.work
    for name in ("ran", "s.py", "pyproject.toml", "uv.lock", "pack.tar"):
        (work / name).unlink(missing_ok=True)
    if now is not None:
        (work / "s.py").write_text(now)
    if project:
        (work / "pyproject.toml").write_text(project)
    (work / "real.txt").write_text(SCRIPT.replace("INDEX", kernel.index.simple))
    (work / "real.toml").write_text(PROJECT.replace("INDEX", kernel.index.simple))
    (work / "packed").mkdir(exist_ok=True)
    (work / "packed" / "s.py").write_text(SCRIPT.replace("INDEX", kernel.index.simple))
    with tarfile.open(work / "pack.tar", "w") as tar:
        tar.add(work / "packed" / "s.py", arcname="s.py")


def _proves(kernel, line: str, now: str = PLAIN, project: str = "") -> str:
    """Without Warden the line installs torcj from the test index and runs the marker; with
    Warden nothing is fetched, nothing runs, and the line is refused: the refusal."""
    _files(kernel, now, project)
    kernel.reset()
    plain = kernel.cell(_cell(line), launched=False)
    assert plain["refused"] is None and kernel.index.requests, plain
    assert (kernel.work / "ran").exists(), ("the payload did not run without Warden", plain)
    _files(kernel, now, project)
    kernel.reset()
    guarded = kernel.cell(_cell(line), launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not (kernel.work / "ran").exists(), ("ran under Warden", guarded)
    assert guarded["refused"], guarded
    return guarded["refused"]


SCRIPT_WRITERS = {
    "cp": "cp real.txt s.py",
    "redirection": "cat real.txt > s.py",
    "tee": "cat real.txt | tee s.py >/dev/null",
    "mv": "mv real.txt s.py",
    "tar": "tar xf pack.tar",
}


@pytest.mark.parametrize("writer", sorted(SCRIPT_WRITERS))
def test_an_earlier_writer_of_the_script_is_weighed(kernel, writer):
    """R57c-3: s.py asks for nothing when Warden reads the line; the writer before uv run
    makes it ask for torcj."""
    refused = _proves(kernel, f"{SCRIPT_WRITERS[writer]}; {RUN_SCRIPT}")
    assert "earlier command on the line" in refused and "s.py" in refused, refused


def test_a_script_the_line_writes_before_it_exists(kernel):
    """No s.py at all when Warden reads the line: uv reads the one the cp makes."""
    refused = _proves(kernel, f"cp real.txt s.py && {RUN_SCRIPT}", now=None)
    assert "s.py" in refused, refused


def test_an_earlier_writer_of_the_project_is_weighed(kernel):
    """R57c-4: no pyproject.toml when Warden reads the line; uv run syncs the one cp makes."""
    refused = _proves(kernel, f"cp real.toml pyproject.toml; {RUN_PROJECT}", now=None)
    assert "pyproject.toml" in refused, refused


def test_a_project_asking_for_nothing_now_is_weighed(kernel):
    """R57c-4: a pyproject.toml with no dependencies now, replaced by a redirection."""
    line = f"cat real.toml > pyproject.toml; {RUN_PROJECT}"
    refused = _proves(kernel, line, now=None, project=EMPTY_PROJECT)
    assert "pyproject.toml" in refused, refused


# -- R57c-1/-2: a link leading nowhere until an earlier `mkdir m` on the line ----------------------


def _linked(kernel, name: str, target: str, text: str, mode: int = 0o644) -> None:
    """``name -> m/../target`` (``target`` holding ``text``), m missing: the kernel's
    resolution stops at m while Warden reads the line."""
    work = kernel.work
    for gone in ("ran", name, "m"):
        path = work / gone
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
    (work / target).write_text(text)
    (work / target).chmod(mode)
    (work / name).symlink_to(f"m/../{target}")


def _proves_linked(kernel, line: str, make, writer: bool = True) -> str:
    """Without Warden the line installs (the link resolves once mkdir made m); with Warden
    nothing is fetched or installed and the line is refused: the refusal."""
    make()
    kernel.reset()
    plain = kernel.cell(_cell(line), launched=False)
    assert plain["refused"] is None and kernel.index.requests, plain
    assert (kernel.work / "ran").exists() or kernel.installed(), plain
    make()
    kernel.reset()
    guarded = kernel.cell(_cell(line), launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not (kernel.work / "ran").exists(), ("ran under Warden", guarded)
    assert not kernel.installed(), guarded
    assert guarded["refused"], guarded
    assert "(mkdir)" in guarded["refused"] or not writer, guarded
    return guarded["refused"]


def test_a_script_linked_through_a_folder_the_line_makes_is_refused(kernel):
    """R57c-1: ``s.py -> m/../real.py``: "no script" while Warden reads the line."""
    script = SCRIPT.replace("INDEX", kernel.index.simple)
    _proves_linked(
        kernel, f"mkdir m; {RUN_SCRIPT}", lambda: _linked(kernel, "s.py", "real.py", script)
    )


def _installer_script(kernel) -> str:
    return "#!/bin/sh\n" + kernel.uv_install() + "\n"


@pytest.mark.parametrize("run", ["./x", _uv_run("--no-project", "./x")])
def test_a_program_linked_through_a_folder_the_line_makes_is_refused(kernel, run):
    """R57c-2: ``x -> m/../real.sh`` (an installer): "no program" while Warden reads the line,
    run by path directly or by ``uv run``."""
    make = lambda: _linked(kernel, "x", "real.sh", _installer_script(kernel), 0o755)  # noqa: E731
    _proves_linked(kernel, f"mkdir m && {run}", make)


def test_a_script_whose_interpreter_leads_nowhere_until_mkdir_is_refused(kernel):
    """R57c-2: ``x`` is a file whose ``#!`` names ``WORK/m/../inst.sh`` (an installer script),
    m missing: "exec fails" while Warden reads the line; after ``mkdir m`` the kernel runs it.
    The interpreter is read as a program named by path (``commands._refuse_unsure_named``)."""

    def make():
        _linked(kernel, "y", "inst.sh", _installer_script(kernel), 0o755)
        (kernel.work / "y").unlink()
        (kernel.work / "x").write_text(f"#!{kernel.work}/m/../inst.sh\n")
        (kernel.work / "x").chmod(0o755)

    refused = _proves_linked(kernel, "mkdir m && ./x", make, writer=False)
    assert "named by path" in refused, refused


def test_a_link_leading_nowhere_with_nothing_making_it_runs_as_before(kernel):
    """No command of the line makes m: uv finds no script (its own error), nothing refused."""
    _linked(kernel, "s.py", "real.py", SCRIPT.replace("INDEX", kernel.index.simple))
    kernel.reset()
    guarded = kernel.cell(_cell(f"echo start; {RUN_SCRIPT}"), launched=True)
    assert guarded["refused"] is None and not kernel.index.requests, guarded


# -- the ordinary lines next to them --------------------------------------------------------------


def test_a_plain_script_with_no_writer_before_it_runs(kernel):
    _files(kernel)
    kernel.reset()
    guarded = kernel.cell(_cell(RUN_SCRIPT), launched=True)
    assert guarded["refused"] is None and (kernel.work / "ran").exists(), guarded


def test_no_project_after_a_writer_runs(kernel):
    """``--no-project`` with a command (no script): uv reads no project, so an earlier writer
    leaves it as it was."""
    _files(kernel, now=None)
    kernel.reset()
    line = "cp real.txt copy.txt; " + _uv_run(
        "--no-project", "python", "-c", "open('ran', 'w').write('1')"
    )
    guarded = kernel.cell(_cell(line), launched=True)
    assert guarded["refused"] is None and (kernel.work / "ran").exists(), guarded


def test_a_script_whose_metadata_asks_for_a_refused_name_is_refused_as_before(kernel):
    """s.py asks for torcj itself, no writer: refused by its own metadata, nothing fetched."""
    _files(kernel, now=SCRIPT.replace("INDEX", kernel.index.simple))
    kernel.reset()
    guarded = kernel.cell(_cell(RUN_SCRIPT), launched=True)
    assert guarded["refused"] and "earlier command" not in guarded["refused"], guarded
    assert not kernel.index.requests and not (kernel.work / "ran").exists(), guarded


# -- the files named (uv_run_reads, read without a kernel) ----------------------------------------


@pytest.mark.parametrize(
    "words, named, unnamed",
    [
        (["run", "s.py"], ["s.py", "s.py.lock", "pyproject.toml", "uv.lock"], []),
        (["run", "S.PYW"], ["S.PYW", "S.PYW.lock"], []),
        (["run", "--no-project", "s.py"], ["s.py", "s.py.lock"], ["pyproject.toml"]),
        (["run", "--script", "tool"], ["tool", "tool.lock"], []),
        (["run", "--no-sync", "./x"], [], ["./x", "pyproject.toml"]),  # executed, not read
        (["run", "--no-project", "--with-requirements", "r.txt", "x"], ["r.txt"], ["x"]),
        (["--offline", "run", "python", "-c", "1"], ["pyproject.toml", "uv.lock"], ["python"]),
        (["pip", "install", "-r", "r.txt"], [], ["r.txt"]),  # named: a request already
    ],
)
def test_the_files_a_uv_run_installs_from(tmp_path, words, named, unnamed):
    from jupyterlab_warden.kernel.guard.installs import uv_run_reads

    files = uv_run_reads.uv_files(words, str(tmp_path))
    assert all(f in files for f in named) and not set(unnamed) & set(files), files


def test_a_project_above_the_folder_is_named(tmp_path):
    from jupyterlab_warden.kernel.guard.installs import uv_run_reads

    (tmp_path / "pyproject.toml").write_text(EMPTY_PROJECT)
    (tmp_path / "sub").mkdir()
    files = uv_run_reads.uv_files(["run", "python"], str(tmp_path / "sub"))
    assert str(tmp_path / "pyproject.toml") in files and str(tmp_path / "uv.lock") in files
