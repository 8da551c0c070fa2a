"""Red team 34, pyenv hooks after R33-7's fix: a guarded Python (w.py) writes a hook into a
pyenv root's ``pyenv.d/exec``, named nowhere on the line, and a shim after it on the line
sources it before its program. Its guard refuses writes under the hook places of the roots
its environment names (``pyenv_hooks.guarded_places``), and

- R34-a: read them at its first write, from ``os.environ`` as w.py had changed it (PATH or HOME
  set otherwise: the shims' root no longer named): now as the Python started;
- R34-b: a root the writer's environment never names (the shim given by its path, or a PATH
  written out for the shim alone): the line's reading now refuses the shim after a guarded
  writer whose guard does not cover its hook places (``commands._refuse_pyenv_hooks``).
"""

from test_redteam32_misc import PYENV_HOOK, _cell, shims  # noqa: F401 (fixture)

SHIMS_FIRST = "os.environ['PATH'] = ROOT + '/shims:' + os.environ['PATH']\n"
assert SHIMS_FIRST in PYENV_HOOK
WRITER = "open('w.py', 'w').write(W_PY.replace('HOOK', repr(HOOK)))\n    "


def _writing(kernel, shims, start: str, w_py: str, named: bool = True) -> str:  # noqa: F811
    code = PYENV_HOOK.format(root=str(shims.parent), hook="/pyenv.d/exec/zz_r34.bash")
    if not named:
        code = code.replace(SHIMS_FIRST, "")
    code = "import sys\n" + code.replace("START", WRITER + start)
    return _cell(kernel, code, PAYLOAD=kernel.uv_install() + "\n", W_PY=w_py)


def test_a_writer_that_changes_its_environment_first(kernel, shims):  # noqa: F811
    """R34-a: w.py drops the shims from its PATH and moves HOME before it writes the hook."""
    w_py = (
        "import os, shutil\nos.environ['PATH'] = '/usr/bin:/bin'\nos.environ['HOME'] = '/nowhere'\n"
        "os.environ.pop('PYENV_ROOT', None)\nshutil.copy('x.bash', HOOK)\n"
    )
    start = "os.system(sys.executable + ' w.py && python3 -c pass')"
    blocked = kernel.child_refuses(_writing(kernel, shims, start, w_py))
    assert any("zz_r34.bash" in e["message"] for e in blocked), blocked


W_PY = "import shutil\nshutil.copy('x.bash', HOOK)\n"
UNNAMED = {
    "the shim by its path": "os.system(sys.executable + ' w.py && ' + ROOT + '/shims/python3 -c "
    "pass')",
    "a PATH for the shim alone": "os.system(sys.executable + ' w.py && PATH=' + ROOT + '/shims:' "
    "+ os.environ['PATH'] + ' python3 -c pass')",
}


def test_a_shim_of_a_root_the_writer_does_not_name(kernel, shims):  # noqa: F811
    """R34-b: neither the kernel's nor w.py's environment names the root (the PATH given to
    the shim alone is refused first as a PATH the writer's guard does not cover: R34-c)."""
    for name, start in UNNAMED.items():
        refused = kernel.proves(_writing(kernel, shims, start, W_PY, named=False))
        assert "is a Python that may write" in refused, (name, refused)
        assert "pyenv shim" in refused or "folders of its own PATH" in refused, (name, refused)


def test_a_writer_before_the_users_own_shims_runs(kernel, shims):  # noqa: F811
    """The ordinary pyenv user's line: the shims first on the kernel's PATH (their root named),
    a guarded Python before a shim that writes no hook."""
    code = (
        f"import os, sys\nos.environ['PATH'] = {str(shims)!r} + ':' + os.environ['PATH']\n"
        "open('prep.py', 'w').write('open(\"out.txt\", \"w\").write(\"1\")')\n"
        "assert os.system(sys.executable + ' prep.py && python3 -c pass') == 0\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result
