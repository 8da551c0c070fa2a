"""Red team 48a R48a-3: `env -i` read as "PYTHONPATH unset", not as an empty environment.

``commands._unwrap`` models env's ``-i``/``-``/``--ignore-environment`` by setting only
``PYTHONPATH`` to '' (the guard's entry gone). Every other inherited variable stays in the
environment the reading decides the command with, while the real command starts with NONE of
them. A variable that hides or replaces an installer's configuration therefore reads as still
in force: here the kernel runs with ``XDG_CONFIG_HOME`` set (a folder without uv settings),
so Warden reads uv's user settings there; `env -i PATH=... HOME=$HOME uv pip install ...`
starts uv without it, and uv reads ``$HOME/.config/uv/uv.toml`` (a file the cell wrote),
whose ``index-url`` is the test index the policy does not trust. The same gap: a kernel whose
``UV_INDEX_URL`` names the admin's mirror (the only index the policy trusts) and a cell whose
`env -i ... uv pip install x` installs from PyPI; ``UV_NO_CONFIG``, ``UV_CONFIG_FILE``,
``PIP_CONFIG_FILE`` (conda's ``CONDARC``...) dropped the same way.

Controls: without Warden the line installs from the test index; under Warden `env -u
XDG_CONFIG_HOME` (modelled) is refused. FAILS today: `env -i` installs under Warden.
"""

import shlex
import sys

from real_uv import real_uv


def _setup(kernel):
    settings = kernel.home / ".config" / "uv"
    settings.mkdir(parents=True)
    (settings / "uv.toml").write_text(f'index-url = "{kernel.index.simple}"\n')
    xdg = kernel.tmp / "xdg"  # the kernel's own XDG_CONFIG_HOME: no uv settings in it
    xdg.mkdir()
    return str(xdg)


def _cell(kernel, wrapper: str) -> str:
    uv = real_uv()
    install = [uv, "pip", "install", "-q", "--no-cache", "--no-deps", "--python",
               sys.executable, "--target", str(kernel.target), "warden-demo-pkg"]  # fmt: skip
    line = wrapper.format(path=f"{uv.rpartition('/')[0]}:/usr/bin:/bin", home=kernel.home)
    line += " " + shlex.join(install)
    code = f"import os\nos.system({line!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def _run(kernel, wrapper: str, launched: bool) -> dict:
    xdg = _setup(kernel) if not (kernel.tmp / "xdg").exists() else str(kernel.tmp / "xdg")
    env = kernel.env(launched)
    env["XDG_CONFIG_HOME"] = xdg
    kernel.reset()
    return kernel.cell(_cell(kernel, wrapper), launched=launched, env=env)


EMPTY = "env -i PATH={path} HOME={home}"


def test_the_line_installs_without_warden(kernel):
    plain = _run(kernel, EMPTY, launched=False)
    assert plain["refused"] is None and kernel.installed() and kernel.index.requests, plain


def test_unsetting_the_variable_by_name_is_refused(kernel):
    """The control: `env -u XDG_CONFIG_HOME` is modelled and the user settings read."""
    guarded = _run(kernel, "env -u XDG_CONFIG_HOME", launched=True)
    assert guarded["refused"], guarded
    assert kernel.index.requests == [] and not kernel.installed(), guarded


def test_an_emptied_environment_is_read_as_empty(kernel):
    guarded = _run(kernel, EMPTY, launched=True)
    assert kernel.index.requests == [] and not kernel.installed(), (
        "installed under Warden through env -i",
        kernel.index.requests,
        guarded,
    )
