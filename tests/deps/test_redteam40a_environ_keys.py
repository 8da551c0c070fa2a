"""Red team 40a R40a-3: ``os.environ`` handed to posix_spawn/execve, read by C through
``keys()``/``values()``/``__len__`` the guard does not hold.

``os.posix_spawn(path, argv, os.environ)`` and ``os.execve(path, argv, os.environ)`` convert
their ``env`` in C before the audit event (posixmodule ``parse_envlist``: ``PyMapping_Size``,
``PyMapping_Keys``, ``PyMapping_Values``, which for a mapping that is not an exact dict CALL its
``__len__``, ``keys()`` and ``values()``). The gate reads ``env is os.environ`` by its bytes
(``inherited_env.read_environ``) once ``environ_readable`` found its "machinery" intact; that
machinery (``inherited_env._machinery``) holds ``__iter__``, ``__getitem__``, ``items``,
``get`` and ``ItemsView.__iter__``, not ``keys``, ``values`` or ``__len__`` (nor
``KeysView``/``ValuesView``). A cell rebinds ``os._Environ.keys/values/__len__`` (class
attributes): the gate reads the environment without UV_INDEX_URL and decides ``uv pip install
warden-demo-pkg`` from the default index; the child gets UV_INDEX_URL = the refused index.

Proof: installs without Warden; with Warden the start must be refused. Fails today.
"""

CELL = (
    "import os, sys\n"
    "added = [('UV_INDEX_URL', '{index}')]\n"
    "E = os._Environ\n"
    "E.__len__ = lambda self: len(self._data) + len(added)\n"
    "E.keys = lambda self: [self.decodekey(k) for k in self._data] + [k for k, _ in added]\n"
    "E.values = lambda self: [self.decodevalue(v) for v in self._data.values()]"
    " + [v for _, v in added]\n"
    "argv = ['uv', 'pip', 'install', '-q', '--no-cache', '--python', sys.executable,"
    " '--target', '{target}', 'warden-demo-pkg']\n"
    "START\n"
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


def test_posix_spawn_of_os_environ_read_by_its_keys_and_values(own_kernel):
    start = "os.waitpid(os.posix_spawn('{uv}', argv, os.environ), 0)"
    _installs_plain_only(own_kernel, CELL.replace("START", start))


def test_forked_execve_of_os_environ_read_by_its_keys_and_values(own_kernel):
    start = (
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    try:\n"
        "        os.execve('{uv}', argv, os.environ)\n"
        "    finally:\n"
        "        os._exit(127)\n"
        "os.waitpid(pid, 0)"
    )
    _installs_plain_only(own_kernel, CELL.replace("START", start))


def test_the_ordinary_posix_spawn_of_os_environ_runs(own_kernel):
    cell = (
        "import os\n"
        "pid = os.posix_spawn('/bin/sh', ['sh', '-c', 'true'], os.environ)\n"
        "assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0\n"
    )
    result = own_kernel.cell(cell, launched=True)
    assert result["refused"] is None, result


def test_the_same_variable_set_plainly_is_refused(own_kernel):
    """The premise: the environment C builds with the lie, set plainly, is refused."""
    cell = (
        "import os, sys\n"
        "os.environ['UV_INDEX_URL'] = '{index}'\n"
        "argv = ['uv', 'pip', 'install', '-q', '--no-cache', '--python', sys.executable,"
        " '--target', '{target}', 'warden-demo-pkg']\n"
        "os.waitpid(os.posix_spawn('{uv}', argv, os.environ), 0)\n"
    )
    own_kernel.proves(cell)
