"""Red team 48a R48a-1: the guard's private ``shlex`` taken from ``sys.modules`` while its body
runs, by a gc callback in the guard's own thread (no race), then its class rebound.

fix54lock keeps a private library copy in ``sys.modules`` while its body runs (holding the
name's import lock, re-entrant in its own thread). A collection's callbacks run in that thread
inside the body's ``exec`` (``gc.set_threshold(1)``: at almost every allocation), so a cell's
``gc.callbacks`` entry reads ``sys.modules["shlex"]`` there and keeps the guard's copy (its
``__spec__`` is ``private_modules._Spec``). The copy, run in full, is the one the guard's
``commands._shell_invocations`` lexes shell lines with from then on: R39a-1's rebinding
(``shlex.shlex.read_token`` returning the end) on THAT class reads the uv install as no words,
and ``os.system`` runs it from the refused test index. Deterministic: no thread, no timing.
The same holds for every copy the guard loads after the seal (``fnmatch``, ``glob``, ``json``,
``urllib.parse``, ``typing``, ``dataclasses``, ``email.*``...: gc callback's list in the report).

The control: without Warden the cell installs; under Warden the same rebinding on the
process's own ``shlex`` (no grab) is refused (R39a-1 holds). FAILED before fix56copy
(installs under Warden once the copy is grabbed); now the callback finds no copy of the
guard's in ``sys.modules`` (the grab's own precondition asserted false) and the install is
refused.
"""

GRAB = """import gc, os, subprocess, sys
grabbed, copies = [], set()
def _grab(phase, info):
    m = sys.modules.get("shlex")
    if m is not None and type(getattr(m, "__spec__", None)).__name__ == "_Spec":
        grabbed.append(m)
    # any library copy of the guard's, under any name (fix56copy: none is ever there)
    for k, m in list(sys.modules.items()):
        spec = getattr(m, "__spec__", None)
        if type(spec).__name__ == "_Spec" and not k.startswith("jupyterlab_warden"):
            copies.add(k)
gc.callbacks.append(_grab)
gc.set_threshold(1)
os.system("true")  # the guard's first shell line: it loads its copies (shlex among them)
gc.set_threshold(700)
gc.callbacks.remove(_grab)
import shlex
target = grabbed[0] if GRABBING and grabbed else shlex
target.shlex.read_token = lambda self: self.eof
open("grabbed.txt", "w").write(str(bool(grabbed)))
open("copies.txt", "w").write(" ".join(sorted(copies)))
"""


def _cell(kernel, grabbing: bool) -> str:
    code = GRAB.replace("GRABBING", str(grabbing)) + f"os.system({kernel.uv_install()!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def test_rebinding_the_process_shlex_is_refused(own_kernel):
    """The control: R39a-1 holds for the process's shlex, with the same gc callback set."""
    own_kernel.proves(_cell(own_kernel, grabbing=False))


def test_a_gc_callback_takes_the_guards_shlex_copy(own_kernel):
    own_kernel.reset()
    plain = own_kernel.cell(_cell(own_kernel, grabbing=True), launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain  # the attack works
    own_kernel.reset()
    guarded = own_kernel.cell(_cell(own_kernel, grabbing=True), launched=True)
    # fix56copy: a library copy is never in sys.modules, not even while its body runs, so the
    # callback finds none (before: "True", the guard's shlex taken, and the install ran)
    assert (own_kernel.work / "grabbed.txt").read_text() == "False"
    assert (own_kernel.work / "copies.txt").read_text() == ""
    assert guarded["refused"], guarded
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded
