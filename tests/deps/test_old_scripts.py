"""Scripts written before the kernel started are read by where they are, not by their age.

R16-14 reads a program file with a ``#!`` line as the start the kernel makes of it (``./tool``
with ``#!/usr/bin/env -S uv run --script`` is ``uv run --script ./tool``, its PEP 723 index
decided), but only a file changed since the kernel started: any older one counted as "the
machine's" and was read by its words alone. A repository cloned in an earlier session, or a
kernel restarted after the clone, then ran ``./tool`` (a PEP 723 script, a perl, awk or sed
script) and installed from an index the policy refuses. Now a program file is the machine's
only when it is root's, in a root-owned system folder, and unchanged since the kernel started
(``commands._machine_program``); anywhere else (the notebook's folder, a venv's bin,
node_modules/.bin, /usr/local) it is read as its ``#!`` start whatever its age.

The real proofs start the kernel after the script is older than its start (the clock is
waited for, not a result); the reading's cases set the kernel's start time instead.
"""

import os
import shutil
import sys
import tempfile
import time

import pytest
from launched import installed, system_cell

from jupyterlab_warden.kernel.guard.installs import commands, kernel_age

_INSTALL = "--no-cache --index-url {index} --target {target} warden-demo-pkg"
# each body builds the installer's name from pieces, so no word of the line names it
_SCRIPTS = {
    "tool": (
        "#!/usr/bin/env -S uv run --no-cache --script\n# /// script\n"
        '# dependencies = ["warden-demo-pkg"]\n# [tool.uv]\n# index-url = "{index}"\n# ///\n'
        "import warden_demo_pkg\n"
    ),
    "x.pl": '#!/usr/bin/perl\nsystem("{uv_dir}/u"."v p".q(ip install -q ' + _INSTALL + "));\n",
    "w.awk": '#!/usr/bin/awk -f\nBEGIN {{ system("{uv_dir}/u" "v p" "ip install -q '
    + _INSTALL
    + '") }}\n',
}


def _older_than_a_start(path) -> None:
    """Wait until a process started now begins more than a second after ``path`` changed (the
    rule's margin, and /proc's boot time is whole seconds): a precondition on the clock."""
    changed = os.stat(path).st_ctime
    while time.time() < changed + 2.5:
        time.sleep(0.05)


@pytest.mark.parametrize(
    "name, move",
    [
        ("tool", ""),
        ("x.pl", ""),
        ("w.awk", ""),
        # red team 28b R28b-1: the place rule once counted the kernel's installation by
        # sys.prefix and its kin, which a cell may assign to its own folder
        ("x.pl", "import os, sys\nsys.prefix = sys.exec_prefix = os.getcwd()\n"),
        ("tool", "import sys\nsys.base_prefix = sys.base_exec_prefix = '..'\n"),
    ],
)
def test_a_script_older_than_the_kernel_is_read_as_its_start(kernel, name, move):
    """Without Warden the script installs from the index; with Warden, a kernel started after
    the script was written refuses it before anything is fetched, whatever the cell made of
    ``sys``'s prefixes first."""
    from real_uv import real_uv

    installed({"tool": "env", "x.pl": "perl", "w.awk": "awk"}[name])
    script = kernel.work / name
    script.write_text(
        _SCRIPTS[name].format(
            index=kernel.index.simple, target=kernel.target, uv_dir=os.path.dirname(real_uv())
        )
    )
    script.chmod(0o755)
    _older_than_a_start(script)
    for start in (system_cell(f"./{name}"), f"import subprocess\nsubprocess.run(['./{name}'])\n"):
        code = move + start
        kernel.reset()
        plain = kernel.cell(code, launched=False)
        assert plain["refused"] is None and kernel.index.requests, plain
        kernel.reset()
        guarded = kernel.cell(code, launched=True)
        assert guarded["refused"] and kernel.index.requests == [], guarded
        assert name in guarded["refused"] or "index" in guarded["refused"], guarded


@pytest.fixture
def before_the_kernel(monkeypatch):
    """The reading as a kernel started after every file the test writes."""
    monkeypatch.setattr(kernel_age, "_STARTED", time.time() + 5)


def _write(folder, name: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_a_node_tool_outside_the_system_folders_is_read_as_node(tmp_path, before_the_kernel):
    """node_modules/.bin/tsc of a project is a node script like any the cell writes: node's
    reading refuses its code (Warden does not read JavaScript), and the refusal names the
    script, so "node runs code" is no mystery."""
    npm = os.path.realpath(installed("npm"))
    tool = _write(tmp_path / "node_modules" / ".bin", "tsc", open(npm).read())
    with pytest.raises(commands.Unreadable) as refused:
        commands.invocations([str(tool), "--version"])
    assert f"{tool} is a script that runs as its #! line says (#!/usr/bin/env node)" in str(
        refused.value
    )


def test_a_root_script_under_usr_local_is_the_machines(before_the_kernel):
    """Root's npm from Node's own tarball (the node images): /usr/local/bin/npm, a link to
    ../lib/node_modules/npm/bin/npm-cli.js, root's (red team 28b R28b-4: it was refused as a
    node start). A root-owned copy in a root-owned folder under /usr/local counts; the same
    file owned by another user does not (that user could have written it)."""
    npm = os.path.realpath(installed("npm"))
    assert os.access("/usr/local/lib", os.W_OK), "the test writes under /usr/local/lib"
    folder = tempfile.mkdtemp(dir="/usr/local/lib", prefix="warden-test-")
    try:
        os.chmod(folder, 0o755)
        copy = os.path.join(folder, "npm-cli.js")
        shutil.copy(npm, copy)
        os.chmod(copy, 0o755)
        assert commands._machine_program(copy)
        assert commands.invocations([copy, "--version"]) == []
        os.chown(copy, 65534, 65534)
        assert not commands._machine_program(copy)
    finally:
        shutil.rmtree(folder)


def test_the_kernels_own_installation_is_not_the_machines_by_place(before_the_kernel):
    """A venv's or a conda's bin that the notebook's user owns is no place of the system's
    (R28b-5: a script planted there before a kernel restart): only its place under the
    system's root-owned folders would make a script there the machine's."""
    own = os.path.join(sys.prefix, "bin")
    scripts = [
        os.path.join(own, n) for n in os.listdir(own) if not os.path.islink(os.path.join(own, n))
    ]
    assert scripts
    system = commands._root_folder(own, commands.MACHINE_FOLDERS)
    for script in scripts:
        assert commands._machine_program(script) == (system and os.stat(script).st_uid == 0)


def test_the_machines_own_script_is_read_by_its_words(before_the_kernel):
    """npm is a node script in /usr/lib, root's: read by its words (`npm --version` runs, an
    install it names is read as one)."""
    npm = installed("npm")
    assert commands._machine_program(npm)
    assert commands.invocations([npm, "--version"]) == []
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(f"{npm} exec pip install torcj")


def test_a_python_entry_point_of_a_user_folder_stays_ordinary(tmp_path, before_the_kernel):
    """A console script pip writes into a venv's bin (``#!`` the venv's Python) is a Python
    start, whose child inherits the guard: no refusal, no install read."""
    entry = _write(
        tmp_path / "venv" / "bin",
        "tensorboard",
        f"#!{sys.executable}\nimport sys\nfrom json.tool import main\nsys.exit(main())\n",
    )
    assert not commands._machine_program(str(entry))
    assert commands.invocations([str(entry), "--logdir", "runs"]) == []


def test_no_folder_outside_the_systems_makes_a_script_the_machines(tmp_path, before_the_kernel):
    """By place alone: an old perl script in the notebook's folder, or reached through a link
    from it, is read as `perl SCRIPT`, whose code starts a program Warden does not read; a
    link from the notebook's folder to a system program runs the system's file."""
    script = _write(tmp_path / "clone" / "bin", "fetch", "#!/usr/bin/perl\nsystem('ls');\n")
    (tmp_path / "fetch").symlink_to(script)
    for program in (script, tmp_path / "fetch"):
        assert not commands._machine_program(str(program))
        with pytest.raises(commands.Unreadable, match="#!/usr/bin/perl"):
            commands.invocations([str(program)])
    (tmp_path / "json_pp").symlink_to(installed("json_pp"))
    assert commands._machine_program(str(tmp_path / "json_pp"))
    assert commands.invocations([str(tmp_path / "json_pp")]) == []


def test_an_old_clone_moved_into_a_system_folder_is_not_the_machines(tmp_path):
    """R28c-2: a root kernel's ``os.rename('proj', '/usr/local/lib/proj')`` moves a clone an
    earlier session made into a root-owned system folder, its files' ctimes unchanged: the
    moved folder's own ctime is the kernel's (``_settled_place``). And a project the kernel
    started in (a root kernel's /usr/src/app) is never the machine's."""
    from jupyterlab_warden.kernel.guard.installs.own_python import OWN

    assert os.access("/usr/local/lib", os.W_OK), "the test writes under /usr/local/lib"
    proj = tmp_path / "proj"
    script = _write(proj / "bin", "fetch", "#!/usr/bin/perl\nsystem('ls');\n")
    _older_than_a_start(script)  # the clone, from before the kernel started
    started = time.time()
    moved = tempfile.mkdtemp(dir="/usr/local/lib", prefix="warden-test-")
    try:
        os.chmod(moved, 0o755)
        os.rename(proj, os.path.join(moved, "proj"))
        placed = os.path.join(moved, "proj", "bin", "fetch")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(kernel_age, "_STARTED", started)
            assert not kernel_age.changed_since_start(placed)  # the file: as it was
            assert not commands._machine_program(placed)
            patch.setattr(kernel_age, "_STARTED", time.time() + 5)
            assert commands._machine_program(placed)  # moved before the kernel: the machine's
            patch.setattr(OWN, "start_folder", moved)
            assert not commands._machine_program(placed)
    finally:
        shutil.rmtree(moved)
