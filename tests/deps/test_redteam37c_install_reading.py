"""Red team 37c: the install decision of a pip that runs WITHOUT Warden's guard (``python -I``
/ ``-E`` / ``-S -m pip``), which the kernel alone decides before it starts (no guard in that
pip re-decides on the options pip resolved, ``gate.pip_parse_args_wrapper``). Each proof
installs warden-demo-pkg from the test index (which the policy refuses) without Warden, and
is NOT refused with it today:

* R37c-1: pip's user and system config files found otherwise than pip finds them
  (``sources.pip_config_files``): a blank XDG_CONFIG_HOME (platformdirs takes ``~/.config``),
  a ``~`` in XDG_CONFIG_DIRS (platformdirs expands it), a relative XDG_CONFIG_HOME read from
  the kernel's folder, not the folder the line's ``cd`` moved to.
* R37c-2: the site config file (``sys.prefix/pip.conf``) of a Python named bare (found on
  PATH: Warden takes the kernel's prefix) or relative to another folder (``cd d && ./python``,
  Popen ``cwd=``: Warden takes the path from the kernel's folder).
* R37c-3: a requirements file with a PEP 263 coding line (``# -*- coding: utf-7 -*-``): pip
  decodes it so (``pip._internal.utils.encoding.auto_decode``), Warden reads UTF-8 and sees
  one comment line where pip sees ``--index-url`` and the requirement.
* R37c-4: after any writer on the line (``touch x &&``) a guardless ``python -I -m pip`` is
  taken for a pip that keeps the guard (``commands._guard_lost`` reads the environment only,
  not the interpreter's -I/-E/-S): ``child_reads`` is set and its requirements files and
  config are read by nobody.
"""

import pytest


def _proves(kernel, code: str) -> None:
    """Installs without Warden; with Warden nothing is fetched or installed and the start is
    refused (today the guarded run installs: the first assertion on it fails)."""
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed() and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not kernel.installed() and not fetched, ("installed under Warden", fetched, guarded)
    assert guarded["refused"], guarded


PIP = "'-m', 'pip', 'install', '-q', '--no-cache-dir', '--target', '{target}'"
HEAD = "import os, subprocess, sys\nos.environ.pop('PIP_CONFIG_FILE', None)\n"
CONF = "'[global]\\nindex-url = {index}\\n'"


def _conf_cell(folder: str, env: dict, flags: str = "'-I', ") -> str:
    """A pip.conf naming the test index in HOME/``folder``/pip, ``env`` set in the kernel,
    then a guardless pip installing warden-demo-pkg by name."""
    return HEAD + (
        f"d = os.path.join(os.environ['HOME'], {folder!r}, 'pip')\n"
        "os.makedirs(d, exist_ok=True)\n"
        f"open(os.path.join(d, 'pip.conf'), 'w').write({CONF})\n"
        + "".join(f"os.environ[{k!r}] = {v!r}\n" for k, v in env.items())
        + f"subprocess.run([sys.executable, {flags}{PIP}, 'warden-demo-pkg'])\n"
    )


USER_CONFIG = {
    "blank XDG_CONFIG_HOME": _conf_cell(".config", {"XDG_CONFIG_HOME": " "}),
    "~ in XDG_CONFIG_DIRS": _conf_cell("x", {"XDG_CONFIG_DIRS": "~/x"}),
    "blank XDG_CONFIG_HOME, -E": _conf_cell(".config", {"XDG_CONFIG_HOME": " "}, "'-E', "),
    "relative XDG_CONFIG_HOME after cd": HEAD
    + (
        "os.makedirs('sub/cfg/pip', exist_ok=True)\n"
        f"open('sub/cfg/pip/pip.conf', 'w').write({CONF})\n"
        "os.system(f'cd sub && XDG_CONFIG_HOME=cfg {{sys.executable}} -I -m pip install -q "
        "--no-cache-dir --target {target} warden-demo-pkg')\n"
    ),
}


@pytest.mark.parametrize("case", sorted(USER_CONFIG))
def test_r37c_1_pip_user_config_where_pip_finds_it(kernel, case):
    _proves(kernel, USER_CONFIG[case])


VENV = HEAD + (
    "subprocess.run([sys.executable, '-m', 'venv', 'v'], check=True)\n"
    f"open('v/pip.conf', 'w').write({CONF})\n"
)
LINE = "-I -m pip install -q --no-cache-dir --target {target} warden-demo-pkg"
SITE_CONFIG = {
    "python found on PATH": VENV
    + "os.environ['PATH'] = os.path.abspath('v/bin') + ':' + os.environ['PATH']\n"
    + f"subprocess.run('python {LINE}', shell=True)\n",
    "./python after cd": VENV + f"subprocess.run('cd v/bin && ./python {LINE}', shell=True)\n",
    "./python in Popen cwd": VENV + f"subprocess.run('./python {LINE}', shell=True, cwd='v/bin')\n",
}


@pytest.mark.parametrize("case", sorted(SITE_CONFIG))
def test_r37c_2_site_config_of_the_python_that_runs(kernel, case):
    import shutil

    shutil.rmtree(kernel.work / "v", ignore_errors=True)
    kernel.reset = _also_removing(kernel, "v")
    _proves(kernel, SITE_CONFIG[case])


def _also_removing(kernel, name):
    import shutil

    reset = type(kernel).reset

    def again():
        reset(kernel)
        shutil.rmtree(kernel.work / name, ignore_errors=True)

    return again


CODED = {
    "utf-7": "# -*- coding: utf-7 -*-\\n#x +AAo---index-url {index}+AAo-warden-demo-pkg\\n",
    "unicode_escape": (
        "# coding: unicode_escape\\n#x \\\\x0a--index-url {index}\\\\x0awarden-demo-pkg\\n"
    ),
}


@pytest.mark.parametrize("coding", sorted(CODED))
def test_r37c_3_requirements_file_decoded_as_pip_decodes_it(kernel, coding):
    code = HEAD + (
        f"open('r.txt', 'w').write('{CODED[coding]}')\n"
        f"subprocess.run([sys.executable, '-I', {PIP}, '-r', 'r.txt'])\n"
    )
    _proves(kernel, code)


@pytest.mark.parametrize("flag", ["-I", "-E"])
def test_r37c_4_guardless_pip_after_a_writer_is_still_read(kernel, flag):
    code = HEAD + (
        "open('r.txt', 'w').write('--index-url {index}\\nwarden-demo-pkg\\n')\n"
        f"os.system(f'touch zz && {{{{sys.executable}}}} {flag} -m pip install -q "
        "--no-cache-dir --target {target} -r r.txt')\n"
    )
    _proves(kernel, code)
