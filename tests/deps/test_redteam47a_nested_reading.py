"""Red team 47a R47a-2: a start made from inside another start's reading is decided with that
reading's state, and loses the installs of the program files it may run.

``commands._side_starts`` keeps, in a ContextVar, the list the OUTERMOST reading collects the
installs of side starts into (a new program file on a PATH the line gives: tar runs ``gzip``,
red team 21 R21-5); "a nested reading's are its outermost's". A start made by code that runs
inside the gate's reading of another start (a ``gc.callbacks`` entry, a finalizer, a signal
handler, a trace function; same thread, same context) is a new audit event whose reading runs
nested in the first: its side starts are appended to the OUTER start's list and its own
decision sees none, so it is allowed and runs; the outer start is refused afterwards, once the
install ran. The same holds for the other reading-scoped ContextVars (``_FOLDERS_READ``:
"an outer reading reads every new file of this PATH", ``_PATH_FILES``, ``_RUNNING``,
``_WALKS``...), which an unrelated nested start inherits.

Proof: ``PATH=$PWD/bin:$PATH tar czf o.tgz data.txt`` with ``bin/gzip`` a ``#!`` file running a
uv install from the refused index: refused at top level (control, R21-5), allowed and run when
a gc callback starts it while the gate reads ``sh -c true``.
"""

from launched import installed
from test_redteam21_sides import _shebang_installer

LINE = "'PATH=%s/bin:%s tar czf o.tgz data.txt' % (os.getcwd(), os.environ['PATH'])"

# Starts the gate reads in full until the callback has fired inside a reading: a collection
# is not certain to start in this thread while ``_simple`` runs (another thread's collection,
# whose callback released the GIL, holds the collector: ci94 under load), and each start has its
# own words so no answer kept from an earlier one skips the reading
_READINGS = (
    "    for attempt in range(200):\n"
    "        subprocess.run(['sh', '-c', 'true %d' % attempt])\n"
    "        if {until}:\n"
    "            break\n"
)

# a gc callback that, once the gate's reading (commands._simple) is on the stack, runs LINE;
# without Warden (no gate module) it runs LINE at the first collection
NESTED = (
    "import gc, os, subprocess, sys\n"
    "LINE = " + LINE + "\n"
    "done = []\n"
    "guarded = any(n.endswith('guard.installs.gate') for n in sys.modules)\n"
    "def start(phase, info):\n"
    "    if done or phase != 'start':\n"
    "        return\n"
    "    frame = sys._getframe(1)\n"
    "    while frame is not None:\n"
    "        code = frame.f_code\n"
    "        if code.co_name == '_simple' and code.co_filename.endswith('commands.py'):\n"
    "            break\n"
    "        frame = frame.f_back\n"
    "    if frame is None and guarded:\n"
    "        return\n"
    "    done.append(1)\n"
    "    os.system(LINE)\n"
    "gc.callbacks.append(start)\n"
    "gc.set_threshold(1)\n"
    "try:\n" + _READINGS.format(until="done") + "finally:\n"
    "    gc.set_threshold(700)\n"
    "    gc.callbacks.remove(start)\n"
    "assert done\n"
)


def _prepare(kernel) -> str:
    """The cell statements writing bin/gzip (R21-5's installer): the cell writes it, so it is
    a program written since the kernel started."""
    installed("tar")
    installed("gzip")
    return _shebang_installer(kernel, "gzip", "bin")


def test_the_line_alone_is_refused(kernel):
    """Control (R21-5): at top level the side start's install is decided and refused."""
    writes = _prepare(kernel)
    refused = kernel.proves(writes + "os.system(" + LINE + ")\n")
    assert "run by gzip in" in refused, refused


def test_a_start_inside_another_starts_reading_keeps_its_side_starts(kernel):
    cell = _prepare(kernel) + NESTED
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # works without Warden
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    # the nested os.system must be refused before tar (and its gzip) runs
    assert kernel.index.requests == [] and not kernel.installed(), guarded


# the same state, carried out of the reading: a gc callback copies the context the gate's
# reading runs in (``contextvars.copy_context``, as any asyncio task or callback created there
# does), and the cell later runs LINE in that copy, at top level, with no callback running
CAPTURED = (
    "import contextvars, gc, os, subprocess, sys\n"
    "LINE = " + LINE + "\n"
    "kept = []\n"
    "guarded = any(n.endswith('guard.installs.gate') for n in sys.modules)\n"
    "def keep(phase, info):\n"
    "    if kept or phase != 'start':\n"
    "        return\n"
    "    frame = sys._getframe(1)\n"
    "    while frame is not None:\n"
    "        code = frame.f_code\n"
    "        if code.co_name == '_simple' and code.co_filename.endswith('commands.py'):\n"
    "            break\n"
    "        frame = frame.f_back\n"
    "    if frame is None and guarded:\n"
    "        return\n"
    "    kept.append(contextvars.copy_context())\n"
    "gc.callbacks.append(keep)\n"
    "gc.set_threshold(1)\n"
    "try:\n" + _READINGS.format(until="kept") + "finally:\n"
    "    gc.set_threshold(700)\n"
    "    gc.callbacks.remove(keep)\n"
    "kept[0].run(os.system, LINE)\n"
)


def test_a_start_run_later_in_a_context_copied_inside_a_reading(kernel):
    cell = _prepare(kernel) + CAPTURED
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # works without Warden
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    assert guarded["refused"], guarded
    assert kernel.index.requests == [] and not kernel.installed(), guarded
