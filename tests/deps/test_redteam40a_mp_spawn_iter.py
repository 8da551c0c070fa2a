"""Red team 40a R40a-2: multiprocessing's start wrapper reads argv through the list's ``__iter__``.

``gate.spawnv_passfds_wrapper`` (R11-5: multiprocessing's spawn/forkserver start their Python
through ``_posixsubprocess.fork_exec``, which raises no event) decides
``gate.check("subprocess.Popen", (path, list(args), None, None))`` and then hands the ORIGINAL
``args`` object to ``fork_exec``. ``list(args)`` of a list subclass calls its ``__iter__``, and
so does C (``PySequence_Fast`` of a non-exact list): a second, separate call. The object
answers the wrapper ``sh -c true`` and C ``sh -c <uv install>``. Nothing checks that what
``fork_exec`` gets is what was decided (R39a-2's verifier covers Popen only). A cell calls
``multiprocessing.util.spawnv_passfds`` directly (a public function of the library).

Proof: installs without Warden, refused with it. Fails today.
"""

CELL = (
    "import os, sys\n"
    "import multiprocessing.util as mpu\n"
    "PAYLOAD = ['sh', '-c', UV]\n"
    "class Words(list):\n"
    "    def __iter__(self):\n"
    "        # the wrapper's list(args) is called from gate.py; C's read from util.py\n"
    "        caller = sys._getframe(1).f_code.co_filename\n"
    "        return iter(list.__iter__(self) if caller.endswith('gate.py') else PAYLOAD)\n"
    "pid = mpu.spawnv_passfds(b'/bin/sh', Words(['sh', '-c', 'true']), [])\n"
    "os.waitpid(pid, 0)\n"
)


def test_spawnv_passfds_with_a_list_read_by_iter(own_kernel):
    cell = CELL.replace("UV", repr(own_kernel.uv_install()))
    _installs_plain_only(own_kernel, cell.replace("{", "{{").replace("}", "}}"))


def _installs_plain_only(own_kernel, cell: str) -> None:
    """Installs without Warden; with Warden the index is never asked and nothing installed
    (refused, or the child never runs the install)."""
    own_kernel.reset()
    plain = own_kernel.cell(cell, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(cell, launched=True)
    assert not own_kernel.installed(), ("installed under Warden", guarded)
    assert own_kernel.index.requests == [], guarded


def test_the_ordinary_spawnv_passfds_runs(own_kernel):
    cell = (
        "import os\n"
        "import multiprocessing.util as mpu\n"
        "pid = mpu.spawnv_passfds(b'/bin/sh', ['sh', '-c', 'true'], [])\n"
        "assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0\n"
    )
    result = own_kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
