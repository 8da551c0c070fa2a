"""Red team 35 (b) (R35-5..R35-9): pip's own command (``pip_process.PipProcess``, red team
34 R34-9) runs code that is not pip's.

- R35-5: ``python -i -m pip ...``: ``own_command.python_target`` passed over ``-i``, so the
  process counted as pip's own command; after pip's main the interpreter reads its input as an
  interactive session, whose code is compiled as ``<stdin>`` (a ``<...>`` name
  ``PipProcess._trusted`` counted as pip's). That code rewires pip (R34-9's
  ``functools.partial(shutil.copyfile, ...)``) and runs an install the gate allows: the copy
  writes ``zz.pth`` into the site folder inside pip's allowed install, and the next Python on
  the line runs it before its guard. PYTHONINSPECT on a terminal does the same (R35-5b).
- R35-6: ``_not_pip_script`` read the console script's first 4,096 characters only: pip's
  launcher, blank lines, then the script's code (the script's file counts as pip's).
- R35-7: ``_long_shebang`` asked only how distlib's second line begins and ends: code between
  runs.
- R35-8: a NEW file in the standard library's folder counted as the library's by its place,
  with no age asked: ``_manylinux.py``, which pip imports when present.
- R35-9: ``-i -m venv`` (``own_command.started_as``) rewrote the kernel venv's pyvenv.cfg.

Each test proves itself: the payload runs without Warden; it does not with Warden.
"""

from test_redteam32_places import _site_cell
from test_redteam34_pip_allowance import BOUND, REWIRE, RUN, _proves

# the session's input: one simple statement a line (an interactive session compiles each)
SESSION = REWIRE.replace("BOUND", BOUND["partial"]) + RUN


def test_an_inspecting_pip_runs_its_input_as_pips_code(own_kernel):
    """`python -i -m pip --version < r.txt`: pip's main exits (SystemExit does not end an
    inspecting Python), then r.txt runs as the session, with pip's allowance."""
    start = (
        f"open('r.txt', 'w').write({SESSION!r})\n"
        "    os.system(py + ' -i -m pip --version < r.txt; ' + py + ' -c pass')"
    )
    _proves(own_kernel, start)


# pip's launcher as distlib writes it, then blank lines past the 4,096 characters
# ``pip_process._not_pip_script`` reads, then the script's own code
LAUNCHER = (
    "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\n"
    "from pip._internal.cli.main import main\n"
)


def test_a_console_script_whose_code_lies_past_what_warden_reads(own_kernel):
    """The cell writes ``pip3`` beside the kernel's interpreter (no PATH folder): its first
    4,096 characters are pip's launcher and blank lines, its code after them rewires pip and
    runs an install the gate allows. The script is pip's own command's, and its code (the
    script's own file) counts as pip's."""
    script = LAUNCHER + "\n" * 4200 + SESSION
    start = (
        "pip3 = os.path.join(os.path.dirname(sys.executable), 'pip3')\n"
        f"    open(pip3, 'w').write({script!r})\n"
        "    os.system(py + ' ' + pip3 + ' --version; ' + py + ' -c pass')"
    )
    _proves(own_kernel, start)


def test_a_long_shebang_launcher_whose_second_line_holds_code(own_kernel):
    """distlib's long-shebang form (``#!/bin/sh``, then ``\'\'\'exec\' ... "$0" "$@"``, then
    ``\' \'\'\'``): ``pip_process._long_shebang`` asks only how the second line begins and
    ends; Python reads it as a string, the script's statements, and a string running on to the
    third line. The rest of the file is pip's launcher, whole."""
    code = "; ".join(SESSION.strip().split("\n"))
    second = "'''exec' ''' ; " + code + ' ; \'\'\' "$0" "$@"'
    script = "#!/bin/sh\n" + second + "\n' '''\n" + LAUNCHER[LAUNCHER.index("\n") + 1 :]
    start = (
        "pip3 = os.path.join(os.path.dirname(sys.executable), 'pip3')\n"
        f"    open(pip3, 'w').write({script!r})\n"
        "    os.system(py + ' ' + pip3 + ' --version; ' + py + ' -c pass')"
    )
    _proves(own_kernel, start)


def test_a_module_pip_imports_when_present_written_into_the_standard_library(own_kernel):
    """``_manylinux``, which pip's ``packaging`` imports when present as it computes the
    platform's tags, written as a new file into the kernel's standard library folder (no file
    of the library replaced): a file there counts by its place, with no age asked."""
    module = (
        "import os, shutil, sysconfig\n"
        "shutil.copyfile(os.path.abspath('p.pth'), sysconfig.get_paths()['purelib'] + '/zz.pth')\n"
    )
    start = (
        "stdlib = sysconfig.get_paths()['stdlib']\n"
        f"    open(os.path.join(stdlib, '_manylinux.py'), 'w').write({module!r})\n"
        "    try:\n"
        "        os.system(py + ' -m pip install -q --no-index nothing; ' + py + ' -c pass')\n"
        "    finally:\n"
        "        os.remove(os.path.join(stdlib, '_manylinux.py'))"
    )
    _proves(own_kernel, start)


# the session's input for an inspecting `-m venv`: it rewrites the kernel venv's pyvenv.cfg
# (``start_writes._getpath`` leaves any pyvenv.cfg to `-m venv`) with a home whose library is
# the cell's: links to the kernel's library but an ``encodings`` that runs p.pth's line first
CFG_SESSION = (
    "import os, sys\n"
    "cfg = os.path.join(sys.prefix, 'pyvenv.cfg')\n"
    "text = open(cfg).read()\n"
    "home = [l.split('=', 1)[1].strip() for l in text.splitlines() if l.startswith('home')][0]\n"
    "open(cfg, 'w').write(text.replace(home, os.path.abspath('h/bin')))\n"
)
HOME = (
    "import shutil\n"
    "    lib = sysconfig.get_paths()['stdlib']\n"
    "    mine = os.path.join('h', 'lib', os.path.basename(lib))\n"
    "    os.makedirs('h/bin', exist_ok=True)\n"
    "    os.makedirs(mine, exist_ok=True)\n"
    "    for name in os.listdir(lib):\n"
    "        if name != 'encodings' and not os.path.lexists(os.path.join(mine, name)):\n"
    "            os.symlink(os.path.realpath(os.path.join(lib, name)), os.path.join(mine, name))\n"
    "    shutil.copytree(lib + '/encodings', mine + '/encodings', dirs_exist_ok=True)\n"
    "    first = open('p.pth').read()\n"
    "    init = mine + '/encodings/__init__.py'\n"
    "    open(init, 'w').write(first + open(lib + '/encodings/__init__.py').read())\n"
    "    cfg = os.path.join(sys.prefix, 'pyvenv.cfg')\n"
    "    kept = open(cfg).read()\n"
)


def test_an_inspecting_venv_rewrites_the_kernels_pyvenv_cfg(own_kernel):
    """The same ``-i`` reading for ``-m venv`` (``own_command.started_as``): its session
    rewrites the kernel venv's pyvenv.cfg, and the next Python takes the cell's library."""
    start = (
        HOME + f"    open('r.txt', 'w').write({CFG_SESSION!r})\n"
        "    try:\n"
        "        os.system(py + ' -i -m venv --help > /dev/null < r.txt; ' + py + ' -c pass')\n"
        "    finally:\n"
        "        open(cfg, 'w').write(kept)"
    )
    code = _site_cell(start)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert not (own_kernel.installed() or own_kernel.index.requests), guarded


# a terminal for pip's own command (``os.openpty``), PYTHONINSPECT in its environment: the
# session's lines go in through the terminal, its output is drained until pip's Python exits.
# The shell's PATH holds the system's folders only: with the kernel's venv bin on it, the
# shell may run any of its console scripts by name, each an inspecting Python reading the
# terminal, and the start is refused for that first (age81: "jupyter-trust on PATH"), before
# the reading of pip's own command this test is about
TERMINAL = (
    "import select, subprocess\n"
    "    master, slave = os.openpty()\n"
    "    env = dict(os.environ, PYTHONINSPECT='1', PATH='/usr/bin:/bin')\n"
    "    argv = ['sh', '-c', py + ' -m pip --version; ' + py + ' -c pass']\n"
    "    pip = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env)\n"
    "    os.write(master, (SESSION + 'raise SystemExit\\n' * 2).encode())\n"
    "    while pip.poll() is None:\n"
    "        if select.select([master], [], [], 0.2)[0]:\n"
    "            sys.stderr.write(os.read(master, 65536).decode('utf-8', 'replace'))"
)


def test_pythoninspect_on_a_terminal_runs_the_input_as_pips_code(own_kernel):
    """The same reading with PYTHONINSPECT instead of ``-i``: given a terminal, pip's own
    command goes on to read the session from it."""
    start = TERMINAL.replace("SESSION", repr(SESSION))
    _proves(own_kernel, start)
