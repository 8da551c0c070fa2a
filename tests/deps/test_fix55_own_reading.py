"""Fix 55 (red team 47a R47a-2): each decision of the gate reads with a state of its own.

The readers keep what one reading found in context variables (``commands``,
``startup_modules.START_ENVIRON``). Every entry of the gate (the audit hook's ``check`` and
``refuse_environ_change``, the wrappers' ``decide_*``) now runs in a new, empty context
(``own_reading``): none of its caller's values reaches it, whatever context the caller runs in
(inside another decision's reading, or a context copied there), but pip's command stage, which
``allowed_install`` reads. A decision inside another is decided in full; one inside that one is
refused with a message that says why (the red team's proof: test_redteam47a_nested_reading).
"""

import contextvars

import pytest

from jupyterlab_warden.kernel.guard.installs import commands, gate, own_reading, startup_modules
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate
from jupyterlab_warden.kernel.guard.state import GuardState

POLICY = {"schema_version": 1}
HELD = object()  # what the caller's context holds in every reading variable


def _reading_variables() -> list:
    variables = [
        v
        for module in (commands, startup_modules)
        for v in vars(module).values()
        if isinstance(v, contextvars.ContextVar)
    ]
    assert len(variables) > 20  # the readers' variables are found (a rename would hide them)
    return variables


def _seen() -> dict:
    """The reading variables an entry sees that its caller set, and pip's command stage."""
    held = sorted(v.name for v in _reading_variables() if v.get(None) is HELD)
    return {"held": held, "pip": gate.pip_command_stage()}


def _in_a_reading(call):
    """``call()`` in a context where every reading variable holds a value (a decision's
    reading in progress, or a context copied inside one) and pip's install command runs."""

    def inside():
        for var in _reading_variables():
            var.set(HELD)
        gate._pip_command_var().set("install")
        return call()

    return contextvars.copy_context().run(inside)


def _probe(seen: list):
    def probe(*args, **kwargs):
        seen.append(_seen())

    return probe


def _entries(g: InstallGate, seen: list) -> dict:
    """Each entry of the gate, with what it calls first replaced by a probe."""
    g._check = _probe(seen)
    g.decide_command = _probe(seen)
    g._enforce = _probe(seen)
    g.kernel = True
    g._guard_dropped = lambda *a: _probe(seen)() or ""
    return {
        "check": lambda: g.check("os.system", (b"true",)),
        "pip.main": lambda: g.decide_pip_main(["install", "x"]),
        "environ": lambda: g.refuse_environ_change("os.putenv", ("X", "1")),
        "file": lambda: g.decide_file_content("/r.txt", ""),
        "parsed": lambda: g.decide_parsed_requirements([]),
        "links": lambda: g.decide_links(
            "https://pypi.org/simple/x/", ["https://evil.example/x.whl"]
        ),
    }


@pytest.mark.parametrize("entry", ["check", "pip.main", "environ", "file", "parsed", "links"])
def test_an_entry_reads_none_of_its_callers_reading_state(entry, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seen = []
    call = _entries(InstallGate(GuardState(POLICY)), seen)[entry]
    _in_a_reading(call)
    assert seen, entry
    # nothing of the enclosing reading; pip's command stage crosses (allowed_install)
    assert all(s == {"held": [], "pip": "install"} for s in seen), seen


def test_a_decision_inside_a_decision_inside_another_is_refused():
    """Depth 1 is decided in full; depth 2 is recorded (``refuse_nested``) and refused
    whatever the policy; a start made while that refusal is recorded is refused unrecorded."""
    g = InstallGate(GuardState(POLICY))
    depths, recorded = [], []

    def nested(*args):
        depths.append(len(depths))
        if len(depths) < 3:
            g.check("os.system", (b"true",))

    def record(why):
        recorded.append(why)
        with pytest.raises(PermissionError, match="that deep inside its own reading"):
            g.check("os.system", (b"true",))  # inside the record: refused, not recorded

    g._check = nested
    g.refuse_nested = record
    with pytest.raises(PermissionError, match="that deep inside its own reading"):
        g.check("os.system", (b"true",))
    assert depths == [0, 1] and recorded == [own_reading.NESTED]
    # the marks are gone with the decisions: the next start is decided as the first
    depths.clear()
    g._check = lambda *a: depths.append("decided")
    g.check("os.system", (b"true",))
    assert depths == ["decided"]


# An emit callback (``guard.install(emit=...)``: any code may add one) runs inside the
# decision whose event it is told. Here it starts the refused install again from inside it, and
# again from inside that one's decision: the first is decided in full (refused by its own
# reading, as at top level), the second, two deep, is refused unread with its message, and the
# one its record's callback starts is refused unrecorded. (A gc callback cannot nest in its own
# collection, and trace functions do not run inside an audit hook.)
TWO_DEEP = (
    "import json, os\n"
    "from jupyterlab_warden.kernel import guard\n"
    "LINE = 'uv pip install -q --no-config --no-cache --index-url {index} --target {target} '"
    " 'warden-demo-pkg'\n"
    "seen, level = [], []\n"
    "def emit(event):\n"
    "    if len(level) >= 3 or len(seen) > 8:\n"
    "        return\n"
    "    level.append(1)\n"
    "    try:\n"
    "        seen.append(['ran', len(level), os.system(LINE)])\n"
    "    except PermissionError as exc:\n"
    "        seen.append(['refused', len(level), str(exc)])\n"
    "    finally:\n"
    "        level.pop()\n"
    "guard.install(emit=emit)\n"
    "try:\n"
    "    os.system(LINE)\n"
    "finally:\n"
    "    open('seen.json', 'w').write(json.dumps(seen))\n"
)


def test_a_start_two_decisions_deep(kernel):
    import json

    result = kernel.cell(TWO_DEEP, launched=True)
    assert result["refused"], result  # the top-level start, by its own reading
    assert kernel.index.requests == [] and not kernel.installed(), result
    seen = json.loads((kernel.work / "seen.json").read_text())
    deep = "that deep inside its own reading"
    by_level = {}
    for kind, level, why in seen:
        assert kind == "refused", seen
        by_level.setdefault(level, []).append(why)
    # one deep: decided in full, refused by its own reading (the index), not for its depth
    assert by_level[1] and not any(deep in why for why in by_level[1]), seen
    # two deep and more: refused for the depth, whatever the line
    assert by_level[2] and all(deep in why for why in by_level[2] + by_level[3]), seen
