"""Red team 40a R40a-1: an argv list (or tuple) subclass C reads through its own ``__getitem__``.

``os.posix_spawn``/``os.posix_spawnp``/``os.execv``/``os.execve`` convert their argv in C
BEFORE their audit event (posixmodule ``parse_arglist``: ``PySequence_Size`` then
``PySequence_ITEM``), and for a list or tuple SUBCLASS those are the class's own ``__len__``/
``__getitem__``. The gate reads the event's argv by the container's data (``gate._words``:
``list.__iter__``/``tuple.__iter__``, "as os.execv reads a list"), which is not what C read:
the gate decides ``sh -c true``, the child runs ``sh -c <uv install>``. No callback, no thread,
no race: the object answers C one way and the gate another every time.

Proof: installs without Warden; with Warden the start must be refused (or the child must not
install). Fails today: the install runs under Warden.
"""

# the words C reads (``__getitem__``) and the ones the container holds (read by the gate)
LYING_ARGV = (
    "import os\n"
    "PAYLOAD = ['sh', '-c', UV]\n"
    "class Words(KIND):\n"
    "    def __getitem__(self, i):\n"
    "        return PAYLOAD[i]\n"
    "argv = Words(['sh', '-c', 'true'])\n"
)


def _cell(own_kernel, kind: str, start: str) -> str:
    text = LYING_ARGV.replace("UV", repr(own_kernel.uv_install())).replace("KIND", kind)
    return (text + start).replace("{", "{{").replace("}", "}}")


def test_posix_spawn_with_a_list_read_by_getitem(own_kernel):
    start = "pid = os.posix_spawn('/bin/sh', argv, dict(os.environ))\nos.waitpid(pid, 0)\n"
    _installs_plain_only(own_kernel, _cell(own_kernel, "list", start))


def test_posix_spawnp_with_a_tuple_read_by_getitem(own_kernel):
    start = (
        "argv = type('T', (tuple,), {'__getitem__': lambda s, i: PAYLOAD[i]})(('sh', '-c', "
        "'true'))\npid = os.posix_spawnp('sh', argv, dict(os.environ))\nos.waitpid(pid, 0)\n"
    )
    _installs_plain_only(own_kernel, _cell(own_kernel, "list", start))


def test_forked_execv_with_a_list_read_by_getitem(own_kernel):
    """os.fork, then os.execv in the child (pty.fork, os.spawnv take this road): decided in
    the child, which is ended (exit 126) when refused."""
    start = (
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    try:\n"
        "        os.execv('/bin/sh', argv)\n"
        "    finally:\n"
        "        os._exit(127)\n"
        "os.waitpid(pid, 0)\n"
    )
    _installs_plain_only(own_kernel, _cell(own_kernel, "list", start))


def _installs_plain_only(own_kernel, cell: str) -> None:
    """Installs without Warden; with Warden the index is never asked and nothing installed
    (the start refused, or the child ended before its exec)."""
    own_kernel.reset()
    plain = own_kernel.cell(cell, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(cell, launched=True)
    assert not own_kernel.installed(), ("installed under Warden", guarded)
    assert own_kernel.index.requests == [], guarded


def test_the_ordinary_posix_spawn_runs(own_kernel):
    """No false refusal: a plain list and a list subclass that does not override reads."""
    cell = (
        "import os\n"
        "class Words(list):\n"
        "    pass\n"
        "for argv in (['sh', '-c', 'true'], Words(['sh', '-c', 'true'])):\n"
        "    pid = os.posix_spawn('/bin/sh', argv, dict(os.environ))\n"
        "    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0\n"
    )
    result = own_kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
