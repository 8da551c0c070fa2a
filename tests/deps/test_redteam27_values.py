"""Red team 27 (kernel side): a value the notebook sets, read where it runs.

R27-1: ``command_values`` placed a value's names where and when the KERNEL was (this process's
folder, its PATH, the moment the value was set), not where the program that runs the value
starts: a link made after the value, a start's ``cwd``, an ``os.chdir``, a line's ``cd``, a
PATH set later or given to one start. R27-2: the shell's own expansions (``$PWD`` is the
folder sh runs in, ``~`` in command position). R27-3: the program's own environment (npm puts
``node_modules/.bin`` of its folder and each parent before PATH, exports ``npm_*`` and
``INIT_CWD``). R27-4: ordinary values refused when set (a backtick or ``$(`` in a password or a
note, ``${X:-d}``, a list of data patterns). Now the notebook's values that may be command text
are read again at every start that inherits or is given them, in that start's folder and
PATH (``InstallGate._held_command``, ``command_values.refused_env``/``refused_held``).

Each proof runs for real: without Warden the package lands from the test index; with Warden
the cell is refused and the index sees no request. The cases are not the red team's own.
"""

import pytest
from launched import installed

from jupyterlab_warden.kernel.guard.installs import command_values

ARGS = "install -q --no-config --no-cache --target {target} --index-url {index} warden-demo-pkg"
# uv's `run --with` form: no `pip` word (installs warden-demo-pkg and imports it)
RUN = (
    "run -q --no-config --no-cache --no-project --index-url {index} --with warden-demo-pkg "
    '--python /usr/bin/python3 python3 -c "import importlib.metadata as m, os; '
    "m.version('warden-demo-pkg'); os.makedirs('{target}/warden_demo_pkg_imported')\""
)
# a clean work folder (the run without Warden leaves files), `pip` an empty file so that the
# pattern p[i]p reads as pip wherever Warden would look for it, and `link(path)`: a link to uv
HEAD = (
    "import os, shutil, subprocess, json\n"
    "for f in ['k', 'pip', 'sub', 'h', 'node_modules', 'package.json']:\n"
    "    shutil.rmtree(f) if os.path.isdir(f) and not os.path.islink(f) else (\n"
    "        os.remove(f) if os.path.lexists(f) else None)\n"
    "os.makedirs('sub/bin')\n"
    "open('pip', 'w').close(), open('sub/pip', 'w').close()\n"
    "def link(path):\n"
    "    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)\n"
    "    os.symlink(shutil.which('uv'), path)\n"
)
NPM = "subprocess.run(['npm', 'exec']{extra})\n"


def _npm(extra: str = "") -> str:
    return NPM.replace("{extra}", extra)


PROOFS = {
    # R27-1: set first, the link after; the start goes through a shell line
    "value-before-link-shell": HEAD
    + f"os.environ['npm_config_call'] = {'./k p[i]p ' + ARGS!r}\n"
    + "link('k')\nsubprocess.run('npm exec', shell=True)\n",
    # R27-1: an inherited value, a start in another folder (cwd=, no env=)
    "inherited-value-start-cwd": HEAD
    + "link('sub/k')\n"
    + f"os.environ['npm_config_call'] = {'./k p[i]p ' + ARGS!r}\n"
    + _npm(", cwd='sub'"),
    # R27-1: the line's cd before an export the command inherits
    "line-cd-then-export": HEAD
    + "link('sub/k')\n"
    + "os.system('cd sub && export npm_config_call=' + repr("
    + repr("./k p[i]p " + ARGS)
    + ") + ' && npm exec')\n",
    # R27-1: a relative PATH entry given to one start, found from that start's folder
    "relative-path-of-the-start": HEAD
    + "link('sub/bin/k')\n"
    + "subprocess.run(['npm', 'exec'], cwd='sub', env=dict(os.environ, PATH='bin:' + "
    + f"os.environ['PATH'], npm_config_call={'k p[i]p ' + ARGS!r}))\n",
    # R27-2: "$PWD" quoted, the start in another folder
    "pwd-quoted-start-cwd": HEAD
    + "link('sub/k')\n"
    + "os.environ['npm_config_call'] = "
    + repr('"$PWD"/k p[i]p ' + ARGS)
    + "\n"
    + _npm(", cwd='sub'"),
    # R27-2: ~ with the HOME the start is given
    "tilde-start-home": HEAD
    + "link('h/k')\n"
    + "subprocess.run(['npm', 'exec'], env=dict(os.environ, HOME=os.path.abspath('h'), "
    + f"npm_config_call={'~/k p[i]p ' + ARGS!r}))\n",
    # R27-3: npm's node_modules/.bin of a PARENT folder
    "node-modules-bin-of-a-parent": HEAD
    + "link('node_modules/.bin/k')\n"
    + f"os.environ['npm_config_call'] = {'k p[i]p ' + ARGS!r}\n"
    + _npm(", cwd='sub'"),
    # R27-3: INIT_CWD, which npm sets to its folder
    "init-cwd-npm-sets": HEAD
    + "link('k')\n"
    + f"os.environ['npm_config_call'] = {'$INIT_CWD/k p[i]p ' + ARGS!r}\n"
    + _npm(),
    # R27-3: "$npm_package_name" quoted, from ./package.json
    "npm-package-name-quoted": HEAD
    + "json.dump({{'name': 'uv', 'version': '1.0.0'}}, open('package.json', 'w'))\n"
    + "os.environ['npm_config_call'] = "
    + repr('"$npm_package_name" ' + RUN)
    + "\n"
    + _npm(),
}


@pytest.mark.parametrize("case", list(PROOFS))
def test_a_value_is_read_where_it_runs(kernel, case):
    installed("npm")
    installed("uv")
    refused = kernel.proves(PROOFS[case])
    assert "set by the notebook" in refused, refused


@pytest.mark.parametrize(
    "setting",
    [
        "os.environ['RUN_NOTES'] = '`lr` sweep over `AdamW`, 3 seeds; see ```python cfg.py```'",
        "os.environ['API_TOKEN'] = 'a8`Qz$(x7)'",
        "os.environ['DB_PASS'] = 'p`w$(d'",
        "os.environ['RUN_DIR'] = '${{SCRATCH:=/tmp}}/run'",
        "os.makedirs('ckpt', exist_ok=True); open('ckpt/a.pt', 'w').close()\n"
        "os.environ['KEEP'] = 'ckpt/*.pt logs/*.txt'",
        "open('w.bin', 'w').close()\nos.environ['HF_IGNORE'] = '*.bin *.safetensors'",
        "os.makedirs('scripts', exist_ok=True); open('scripts/run.sh', 'w').close()\n"
        "os.chmod('scripts/run.sh', 0o755)\nos.environ['HOOKS'] = 'scripts/*.sh -v'",
    ],
    ids=[
        "markdown-note",
        "token",
        "password",
        "default",
        "data-patterns",
        "ignore-globs",
        "script-pattern",
    ],  # fmt: skip
)
def test_ordinary_values_are_set_and_starts_run(kernel, setting):
    """R27-4: a one-word value, prose with code spans, ``${X:=d}``, patterns matching files
    that start no commands: set, and the ordinary starts after run."""
    code = (
        f"import os, subprocess\n{setting}\n"
        "subprocess.run(['true'], check=True)\nassert os.system('true') == 0\n"
        "subprocess.run(['true'], cwd='..', check=True)\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_what_a_value_runs_where_it_runs(tmp_path):
    """The reading itself: a name found from the folder and PATH given, not this process's."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "sh").symlink_to("/bin/sh")
    here = {"PATH": "/usr/bin:/bin"}.get
    assert command_values.runs_command("./sh -c x", here, str(tmp_path)) == ""
    assert command_values.runs_command("./sh -c x", here, str(tmp_path / "sub")) == "runs sh"
    assert command_values.runs_command("$PWD/sh -c x", here, str(tmp_path / "sub")) == "runs sh"
    # npm expands ${...} in its config from its own environment, before sh sets PWD
    there = {"PATH": "/usr/bin:/bin", "PWD": str(tmp_path / "sub")}.get
    assert command_values.runs_command("${PWD}/sh -c x", there, str(tmp_path)) == "runs sh"
    assert command_values.runs_command("./s[h] -c x", here, str(tmp_path / "sub")).startswith(
        "runs sh (the pattern"
    )
    nm = tmp_path / "node_modules" / ".bin"
    nm.mkdir(parents=True)
    (nm / "k").symlink_to("/bin/sh")
    assert command_values.runs_command("k -c x", here, str(tmp_path / "sub")) in (
        "runs sh",
        "runs dash",
        "runs bash",
    )
    unknown = command_values.runs_command("$npm_package_name x", here, str(tmp_path))
    assert unknown.startswith("uses a shell expansion Warden cannot know"), unknown
    # a substitution runs its text; one whose command is no program prints nothing
    assert command_values.runs_command("a $(sh -c x)", here, str(tmp_path)) == "runs sh"
    assert command_values.runs_command("see `sh -c x` now", here, str(tmp_path)) == "runs sh"
    assert command_values.runs_command("see `AdamW` now", here, str(tmp_path)) == ""
    assert command_values.runs_command("`printf sh` -c x", here, str(tmp_path)).startswith(
        "uses a shell expansion"
    )
    # bash's own printing builtins too (`dirs` prints the folder: $(dirs +0)/k runs ./k)
    assert command_values.runs_command("$(dirs +0)/k -c x", here, str(tmp_path)).startswith(
        "uses a shell expansion"
    )
    assert not command_values.may_be_command("/opt/conda/bin")
    assert command_values.may_be_command("a b") and command_values.may_be_command("$X")
