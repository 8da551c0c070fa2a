"""Fix 45 (red team 40a R40a-1/2/3): neighbours of the red team's proofs, and the ordinary forms.

The mechanism: every start route Warden wraps hands C the plain values the gate read (an exact
tuple of str for argv, an exact dict for env: ``gate.plain_start``), and the gate refuses a
list/tuple subclass C would read through reading methods of its own (``gate._read_as_stored``:
found on any class before list/tuple in its MRO, a mixin's too) and an ``os.environ`` whose
``keys``/``values``/``__len__``/``__getattribute__`` are not the ones found at start
(``inherited_env._machinery``). The neighbours below go past the wrappers (``posix.*``
called directly) or through a road the proofs did not take.
"""

import pytest

LYING_MIXIN = (
    "import os, posix\n"
    "PAYLOAD = ['sh', '-c', UV]\n"
    "class Reads:\n"
    "    def __getitem__(self, i):\n"
    "        return PAYLOAD[i]\n"
    "class Words(Reads, list):\n"
    "    pass\n"
    "argv = Words(['sh', '-c', 'true'])\n"
)


def _installs_plain_only(own_kernel, cell: str) -> None:
    """Installs without Warden; with Warden the index is never asked and nothing installed."""
    own_kernel.reset()
    plain = own_kernel.cell(cell, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(cell, launched=True)
    assert not own_kernel.installed(), ("installed under Warden", guarded)
    assert own_kernel.index.requests == [], guarded


def _mixin_cell(own_kernel, start: str) -> str:
    text = LYING_MIXIN.replace("UV", repr(own_kernel.uv_install())) + start
    return text.replace("{", "{{").replace("}", "}}")


FORKED = (
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    try:\n"
    "        START\n"
    "    finally:\n"
    "        os._exit(127)\n"
    "os.waitpid(pid, 0)\n"
)


def test_forked_posix_execv_past_the_wrapper_with_a_mixin_getitem(own_kernel):
    """posix.execv (no wrapper; posix.posix_spawn is refused whole, its file actions unread):
    the gate reads the event's argv; the reading method sits on a mixin before list."""
    start = FORKED.replace("START", "posix.execv('/bin/sh', argv)")
    _installs_plain_only(own_kernel, _mixin_cell(own_kernel, start))


def test_spawnv_with_a_mixin_getitem(own_kernel):
    """os.spawnv: os.fork then os.execv in the child (os.execv's wrapper)."""
    start = "os.spawnv(os.P_WAIT, '/bin/sh', argv)\n"
    _installs_plain_only(own_kernel, _mixin_cell(own_kernel, start))


ENVIRON_BY_GETATTRIBUTE = (
    "import os, sys, posix\n"
    "E = os._Environ\n"
    "real = E.__getattribute__\n"
    "def swapped(self, name):\n"
    "    # HOME's place now holds UV_INDEX_URL: keys() and values() only, same length\n"
    "    names = lambda: list(real(self, 'keys')())\n"
    "    if name == 'keys':\n"
    "        return lambda: [('UV_INDEX_URL' if k == 'HOME' else k) for k in names()]\n"
    "    if name == 'values':\n"
    "        return lambda: [('{index}' if k == 'HOME' else self[k]) for k in names()]\n"
    "    return real(self, name)\n"
    "E.__getattribute__ = swapped\n"
    "argv = ['uv', 'pip', 'install', '-q', '--no-cache', '--python', sys.executable,"
    " '--target', '{target}', 'warden-demo-pkg']\n"
    "os.environ['HOME'] = os.environ.get('HOME', '/tmp')\n"
    "START\n"
)


ENVIRON_STARTS = {
    "os.posix_spawn": "os.waitpid(os.posix_spawn('{uv}', argv, os.environ), 0)",
    "posix.execve": FORKED.replace("START", "posix.execve('{uv}', argv, os.environ)"),
}


@pytest.mark.parametrize("spawn", sorted(ENVIRON_STARTS))
def test_os_environ_read_through_a_rebound_getattribute(own_kernel, spawn):
    """Neither keys nor values nor __len__ rebound: _Environ.__getattribute__ answers C's
    ``keys``/``values`` lookups. Through the wrapper (os.environ handed on as the dict the
    gate read) and past it (the gate refuses os.environ: its machinery changed)."""
    start = ENVIRON_STARTS[spawn]
    _installs_plain_only(own_kernel, ENVIRON_BY_GETATTRIBUTE.replace("START", start))


def test_forked_posix_execve_past_the_wrapper_of_os_environ_read_by_keys(own_kernel):
    cell = (
        "import os, sys, posix\n"
        "added = [('UV_INDEX_URL', '{index}')]\n"
        "E = os._Environ\n"
        "E.__len__ = lambda self: len(self._data) + len(added)\n"
        "E.keys = lambda self: [self.decodekey(k) for k in self._data] + [k for k, _ in added]\n"
        "E.values = lambda self: [self.decodevalue(v) for v in self._data.values()]"
        " + [v for _, v in added]\n"
        "argv = ['uv', 'pip', 'install', '-q', '--no-cache', '--python', sys.executable,"
        " '--target', '{target}', 'warden-demo-pkg']\n"
    )
    start = FORKED.replace("START", "posix.execve('{uv}', argv, os.environ)")
    _installs_plain_only(own_kernel, cell + start)


def test_the_ordinary_exec_and_spawn_forms_run(own_kernel):
    """No false refusal: os.execv/execl/execve in a forked child, os.spawnv, posix_spawnp of a
    tuple, bytes and pathlib words, os.environ as env, a list subclass that only adds a
    method, and multiprocessing's own spawn start."""
    cell = (
        "import os, pathlib, multiprocessing\n"
        "class Words(list):\n"
        "    def shown(self):\n"
        "        return ' '.join(self)\n"
        "def forked(run):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        try:\n"
        "            run()\n"
        "        finally:\n"
        "            os._exit(127)\n"
        "    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])\n"
        "assert forked(lambda: os.execv('/bin/sh', Words(['sh', '-c', 'exit 3']))) == 3\n"
        "assert forked(lambda: os.execl('/bin/sh', 'sh', '-c', 'exit 4')) == 4\n"
        "assert forked(lambda: os.execve(b'/bin/sh', (b'sh', b'-c', b'exit 5'), os.environ)) == 5\n"
        "assert forked(lambda: os.execvp('sh', ['sh', '-c', 'exit 6'])) == 6\n"
        "assert os.spawnv(os.P_WAIT, '/bin/sh', ['sh', '-c', 'exit 7']) == 7\n"
        "pid = os.posix_spawnp('sh', ('sh', '-c', 'test -d \"$0\"', pathlib.Path('/tmp')),"
        " os.environ)\n"
        "assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0\n"
        "env = dict(os.environ, X='1')\n"
        "pid = os.posix_spawn('/bin/sh', ['sh', '-c', 'test \"$X\" = 1'], env)\n"
        "assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0\n"
        "ctx = multiprocessing.get_context('spawn')\n"
        "p = ctx.Process(target=os.getpid)\n"
        "p.start(); p.join()\n"
        "assert p.exitcode == 0, p.exitcode\n"
    )
    result = own_kernel.cell(cell.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert "Traceback" not in result.get("stderr", ""), result


PREEXEC_PAST_THE_WRAPPER = (
    "import os, subprocess\n"
    "MARK = os.path.abspath('preexec-ran')\n"
    "if os.path.exists(MARK):\n"
    "    os.unlink(MARK)\n"
    "def found(fn, seen):\n"
    "    # the guard's copy of _execute_child in the patch's closures (None without Warden)\n"
    "    for cell in getattr(fn, '__closure__', None) or ():\n"
    "        value = cell.cell_contents\n"
    "        if not callable(value) or id(value) in seen:\n"
    "            continue\n"
    "        seen.add(id(value))\n"
    "        space = getattr(value, '__globals__', None)\n"
    "        if getattr(value, '__name__', '') == '_execute_child' and type(space) is dict:\n"
    "            if space is not vars(subprocess) and space.get('_USE_POSIX_SPAWN') is False:\n"
    "                return value\n"
    "        deeper = found(value, seen)\n"
    "        if deeper is not None:\n"
    "            return deeper\n"
    "    return None\n"
    "run = found(subprocess.Popen._execute_child, set()) or subprocess.Popen._execute_child\n"
    "def mark():\n"
    "    os.close(os.open(MARK, os.O_CREAT | os.O_WRONLY))\n"
    "p = subprocess.Popen.__new__(subprocess.Popen)\n"
    "p._child_created = False\n"
    "p._waitpid_lock = __import__('threading').Lock()\n"
    "p.returncode = None\n"
    "p._input = None\n"
    "p._communication_started = False\n"
    "p.args = ['/bin/true']\n"
    "run(p, ['/bin/true'], None, mark, True, (), None, None, None, 0, False, -1, -1, -1, -1,"
    " -1, -1, True, None, None, None, -1, False, -1)\n"
    "os.waitpid(p.pid, 0)\n"
    "assert os.path.exists(MARK), 'the preexec_fn did not run'\n"
)


def test_a_preexec_fn_handed_to_the_guards_copy_itself_is_refused(own_kernel):
    """R11-9 class (red team 40a's note): the guard's copy of ``_execute_child``, called
    directly with a preexec_fn, past the wrapper that refuses one: refused by the verifier."""
    cell = PREEXEC_PAST_THE_WRAPPER
    plain = own_kernel.cell(cell, launched=False)
    assert plain["refused"] is None, plain
    guarded = own_kernel.cell(cell, launched=True)
    assert guarded["refused"] and "preexec_fn" in guarded["refused"], guarded
