"""Fix 80start (red team 57b): what a guarded Python start reads before its guard loads.

R57b-1 (HIGH): after a ``cd`` Warden cannot follow (`(cd sub; ...)`, `cd $D`, `pushd`), a
start's relative HOME (its user site, whose ``.pth`` lines ``site`` runs before the guard's
``sitecustomize``), PYTHONUSERBASE or PYTHONPATH word was read from the KERNEL's folder: the
child found ``sub/rel/.local/.../zz.pth`` and ran it. And after a ``cd`` Warden follows, a
relative program (``cd sub && ./v/bin/python``) had its venv read in the kernel's folder. Each
payload writes a marker: it runs without Warden, and with Warden on main; refused with the fix
(``commands._start_folder_or_cwd`` fails closed, ``_start_interpreter``).

R57b-2..5 (false refusals): a project ``src`` on the kernel's PYTHONPATH with a namespace
``locale/``, a ``signal.py``/``select.py`` (only setuptools' ``os.environ.get`` runs at start,
not ``os.popen``'s ``import subprocess``), a ``sys.py`` (built in: never looked up); and a cell
handing ``sys.path`` on as PYTHONPATH (the library's own folders and site folders hold their
own modules). Each is refused on main and allowed with the fix; the real shadows next to them
stay refused.
"""

import os
import subprocess
import sys

import pytest
from launched import shell_line_cell

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import commands, start_files, startup_modules

BASE = os.path.realpath(getattr(sys, "_base_executable", sys.executable))  # has a user site
VERSION = f"python{sys.version_info[0]}.{sys.version_info[1]}"
PTH = "import os; open({marker!r}, 'w').close()\n"

# the payload's place is sub/rel (a user site under HOME=rel), or sub/v (a venv); a line's
# own HOME= assignment stops Warden following any `cd` of the line (R12-2): the cell's
# os.environ names it for the lines that must follow one
UNFOLLOWED = {
    "subshell": f"(cd sub; HOME=rel {BASE} -c pass)",
    "variable": f"D=sub; cd $D; HOME=rel {BASE} -c pass",
    "pushd": f"bash -c 'pushd sub >/dev/null; HOME=rel {BASE} -c pass'",
    "environ": f"D=sub; cd $D; {BASE} -c pass",
    "userbase": f"(cd sub; PYTHONUSERBASE=rel/.local {BASE} -c pass)",
}
FOLLOWED = {
    "home": f"cd sub && {BASE} -c pass",
    "venv": "cd sub && ./v/bin/python -c pass",
}
# lines whose start inherits the kernel's HOME, set relative by the cell
INHERITED_HOME = ("environ", "home")


def _user_site_pth(kernel, payload: bool):
    site = kernel.work / "sub" / "rel" / ".local" / "lib" / VERSION / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    if payload:
        (site / "zz.pth").write_text(PTH.format(marker=str(kernel.work / "ran")))


def _venv(kernel, payload: bool):
    folder = kernel.work / "sub" / "v"
    subprocess.run([BASE, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    if payload:
        site = folder / "lib" / VERSION / "site-packages"
        (site / "zz.pth").write_text(PTH.format(marker=str(kernel.work / "ran")))


def _runs(kernel, how: str, line: str, launched: bool) -> dict:
    """``kernel.shell_line``, after the cell sets HOME=rel where ``how`` inherits it; with
    ``ran``: whether the payload wrote its marker."""
    marker, out = kernel.work / "ran", kernel.work / "out.txt"
    marker.unlink(missing_ok=True)
    out.unlink(missing_ok=True)
    before = "import os\nos.environ['HOME'] = 'rel'\n" if how in INHERITED_HOME else ""
    result = kernel.cell(before + shell_line_cell(line), launched=launched)
    result["out"] = out.read_text() if out.exists() else None
    result["ran"] = marker.exists()
    return result


@pytest.mark.parametrize("how", sorted(UNFOLLOWED))
def test_a_relative_home_after_a_cd_warden_cannot_follow_is_refused(kernel, how):
    _user_site_pth(kernel, payload=True)
    plain = _runs(kernel, how, UNFOLLOWED[how], launched=False)
    assert plain["ran"], plain  # the user site's .pth runs, before any guard
    guarded = _runs(kernel, how, UNFOLLOWED[how], launched=True)
    assert guarded["refused"] and not guarded["ran"], guarded
    if how != "userbase":  # PYTHONUSERBASE drops the guard: refused as a guardless start
        assert "cannot follow left unknown" in guarded["refused"], guarded


@pytest.mark.parametrize("how", sorted(FOLLOWED))
def test_a_relative_path_after_a_followed_cd_is_read_from_that_folder(kernel, how):
    (_venv if how == "venv" else _user_site_pth)(kernel, payload=True)
    plain = _runs(kernel, how, FOLLOWED[how], launched=False)
    assert plain["ran"], plain
    guarded = _runs(kernel, how, FOLLOWED[how], launched=True)
    assert guarded["refused"] and not guarded["ran"], guarded
    assert "zz.pth" in guarded["refused"], guarded


@pytest.mark.parametrize("how", sorted(FOLLOWED))
def test_the_same_start_with_nothing_there_runs(kernel, how):
    (_venv if how == "venv" else _user_site_pth)(kernel, payload=False)
    guarded = _runs(kernel, how, FOLLOWED[how], launched=True)
    assert guarded["refused"] is None and guarded["out"].startswith("0\n"), guarded


@pytest.mark.parametrize("line", ["(cd sub; python3 -c pass)", "D=sub; cd $D; python3 -c pass"])
def test_a_start_after_an_unfollowed_cd_with_nothing_relative_runs(kernel, line):
    (kernel.work / "sub").mkdir()
    guarded = _runs(kernel, "", line, True)
    assert guarded["refused"] is None and guarded["out"].startswith("0\n"), guarded


def test_a_relative_pythonpath_word_needs_the_start_folder(tmp_path, monkeypatch):
    """The reading itself: a guarded start's relative PYTHONPATH word (an empty one too) is
    read from the folder the start runs in (``sub``: its ``rel/encodings`` found); unknown,
    it is refused, not read from this process's folder (where no ``rel`` exists)."""
    encodings_dir = tmp_path / "sub" / "rel" / "encodings"
    encodings_dir.mkdir(parents=True)
    (encodings_dir / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    for words in ([SITE_DIR, "rel"], [SITE_DIR, ""]):
        env = {"PYTHONPATH": os.pathsep.join(words)}
        with commands.start_folder(None), pytest.raises(commands.Unreadable) as refused:
            commands._guarded_start_modules([], set(), env, sys.executable)
        assert "cannot follow left unknown" in str(refused.value)
    env = {"PYTHONPATH": os.pathsep.join([SITE_DIR, "rel"])}
    with commands.start_folder("sub"), pytest.raises(commands.Unreadable) as refused:
        commands._guarded_start_modules([], set(), env, sys.executable)
    assert "encodings" in str(refused.value)
    with commands.start_folder(None):  # nothing relative: nothing asked
        commands._guarded_start_modules([], set(), {"PYTHONPATH": SITE_DIR}, sys.executable)


# -- R57b-2..5: a project's folder on the kernel's PYTHONPATH --------------------------------

PROJECT = {
    "locale": ("locale/helpers.py",),  # a namespace folder: the library's locale wins
    "signal": ("signal.py",),
    "select": ("select.py",),
    "sys": ("sys.py",),
}
SHADOWS = ("encodings/__init__.py", "locale/__init__.py", "locale.py", "os.py")


def _start_with_src(kernel, made, before: str = "") -> dict:
    """A kernel launched with ``src`` on its PYTHONPATH; the cell writes ``made`` (files)
    there (after the kernel's own start, which would import them itself), runs ``before``,
    then a guarded ``python3 -c pass`` through os.system, its status in rc.txt."""
    src = kernel.work / "src"
    src.mkdir(exist_ok=True)
    env = kernel.env(True)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), str(src)) if p)
    code = "import os, sys\n"
    for name in made:
        code += f"os.makedirs(os.path.dirname({str(src / name)!r}), exist_ok=True)\n"
        code += f"open({str(src / name)!r}, 'w').close()\n"
    code += before + "open('rc.txt', 'w').write(str(os.system('python3 -c pass')))\n"
    done = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True, env=env)
    rc = kernel.work / "rc.txt"
    done["rc"] = rc.read_text() if rc.exists() else None
    return done


@pytest.mark.parametrize("name", sorted(PROJECT))
def test_a_project_module_no_start_imports_is_allowed(kernel, name):
    done = _start_with_src(kernel, PROJECT[name])
    assert done["refused"] is None and done["rc"] == "0", done


@pytest.mark.parametrize("made", SHADOWS)
def test_a_real_shadow_in_the_project_folder_is_refused(kernel, made):
    done = _start_with_src(kernel, (made,))
    assert done["refused"] and "before Warden's guard" in done["refused"], done


HANDED_ON = "os.environ['PYTHONPATH'] = os.pathsep.join(p for p in sys.path if p)\n"


def test_a_cell_handing_its_sys_path_on_is_allowed(kernel):
    (kernel.work / "src").mkdir()
    done = _start_with_src(kernel, (), HANDED_ON)
    assert done["refused"] is None and done["rc"] == "0", done
    given = (
        "import subprocess\n"
        "done = subprocess.run([sys.executable, '-c', 'pass'], "
        "env={**os.environ, 'PYTHONPATH': os.pathsep.join(sys.path)})\n"
        "assert done.returncode == 0\n"
    )
    done = _start_with_src(kernel, (), given)
    assert done["refused"] is None, done


def test_sys_path_handed_on_with_a_shadow_in_the_project_folder_is_refused(kernel):
    done = _start_with_src(kernel, ("encodings/__init__.py",), HANDED_ON)
    assert done["refused"], done  # at the change of os.environ, or at the start


def test_the_library_and_site_folders_hold_their_own_names_only_in_place(tmp_path):
    """The placement rule ``guarded_start_holder`` now shares with ``guard_shadowed``: the
    standard library's folders count for nothing, a folder past the library for names no
    standard module has (``_distutils_hack``, a ``.pth`` import), the same folder AHEAD of
    the library for every start-up name."""
    stdlib = startup_modules.stdlib_folders()
    sites = start_files.site_folders(sys.executable)
    assert startup_modules.guarded_start_holder(list(stdlib) + sites, sites) is None
    other = tmp_path / "other"
    other.mkdir()
    (other / "signal.py").write_text("")
    (other / "os.py").write_text("")
    assert startup_modules.guarded_start_holder([*stdlib, str(other)], sites) is None
    assert startup_modules.guarded_start_holder([str(other), *stdlib], sites) == str(
        other / "os.py"
    )
    # an extension module of lib-dynload (the guard's boot loads _json) is found only there:
    # a folder between the library and lib-dynload stands in for it
    zipped, library, dynload = stdlib
    (other / "_json.py").write_text("")
    if "_json" in startup_modules.start_names(sites) and os.path.isdir(dynload):
        between = startup_modules.guarded_start_holder([library, str(other), dynload], sites)
        assert between == str(other / "_json.py")
        assert startup_modules.guarded_start_holder([library, dynload, str(other)], sites) is None
    (other / "_distutils_hack.py").write_text("")
    if "_distutils_hack" in startup_modules.start_names(sites):
        found = startup_modules.guarded_start_holder([*stdlib, str(other)], sites)
        assert found == str(other / "_distutils_hack.py")


@pytest.mark.parametrize(
    "line, counted",
    [
        # setuptools' line: os.environ.get runs, os.popen's `import subprocess` does not
        ("import os; os.environ.get('X', 'local') == 'local'\n", False),
        ("import os; os.popen('true')\n", True),
        ("import os; from os import popen; popen('true')\n", True),
        ("import os; f = os.popen; f('true')\n", True),  # a local's call: not placed
    ],
)
def test_a_pth_lines_call_counts_the_functions_that_run(tmp_path, line, counted):
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    (site / "rt80.pth").write_text(line)
    (src / "signal.py").write_text("")
    found = startup_modules.guarded_start_holder([str(src)], [str(site)])
    assert found == (str(src / "signal.py") if counted else None), found
