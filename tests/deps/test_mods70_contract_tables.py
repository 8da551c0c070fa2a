"""Mods 70: the guard's contract tables out of a cell's reach.

The guard reads shared contract files (schema/*.json: ``shell-runners.json``, ``uv-python.json``,
``uv-cli.json``, ``code-interpreters.json``...) lazily, at the first start that needs one,
through ``kernel/contracts.py``'s ``load_contract``. That module lives outside the ``guard``
package and the guard's boot loads it (the rule catalog), so the seal found it: the guard's
``from ...contracts import load_contract`` was the module in ``sys.modules``, whose cache
(``_CACHE``), folder (``_FOLDER``), ``os.path.join``, ``open``, ``loads`` (and ``json_read``'s
``_json`` scanner) were the cell's to rebind before the guard's first read. Each cell here
hands the guard a shell-runner table in which script's ``-c`` is a plain flag, then starts
``script -qec TEXT`` whose text installs from the refused test index with a uv whose name the
inner shell builds (``u$@v``): the guard, no longer reading script's text as a shell line, let
the install run (``LAND69``: FAILED on land69). Now the guard reads the contracts through its
own copies of ``contracts`` and ``json_read`` (never in ``sys.modules``), from the folder found
as it booted, with the boot's ``os.path`` and ``open``: each install is refused, by script's
text.

``HELD`` are other ways in, tried once the fix was made (they held on land69 too, for other
reasons): ``json_read.loads`` rebound (``contracts`` bound its own name); the boot folder
``shipped_data.CONTRACTS_FOLDER`` pointed at the cell's copy (its files are newer than the
kernel: refused; since mods 80 the guard reads the folder recorded at the seal); the same
with ``os.lstat``/``os.stat`` answering for the shipped files
(FAILED with the first fix: ``kernel_age`` now reads with the boot's ``os``);
``FROZEN["open"]`` (the sealed modules' builtins) replaced (FAILED with the first fix: the
guard's own copies now have builtins of their own).

Controls: without Warden each cell installs; under Warden the plain line is refused, and the
same tampered cell with the test index trusted installs (the guard's own tables read).
"""

import json

import pytest
from launched import BUILT, KERNEL_POLICY, system_cell

CONTRACTS = "jupyterlab_warden.kernel.contracts"
GUARD = "jupyterlab_warden.kernel.guard"
LINE = f"script -qec '{BUILT}' /dev/null"

# the cell: the tampering HOW names, then the line; "reached.txt": whether it found what it
# tampers (the guard's boot loaded the contracts module: it is in sys.modules)
ATTACK = """import builtins, json, os, shutil, sys
c = sys.modules.get(CONTRACTS_NAME)
reached = c is not None and hasattr(c, "_CACHE")
fake = os.path.abspath("fake-contracts")
if reached:
    shutil.rmtree(fake, ignore_errors=True)
    shutil.copytree(c._contracts_path(), fake)
    # the table as shipped, but script's -c a flag: its text no shell line
    TABLE = json.load(open(os.path.join(fake, "shell-runners.json")))
    script = TABLE["programs"]["script"]
    script["flag_options"] += script.pop("shell_options")
    script.pop("stdin_commands")
    fake_file = os.path.join(fake, "shell-runners.json")
    json.dump(TABLE, open(fake_file, "w"))
    def tampered_loads(real):
        return lambda text: TABLE if '"launchers"' in str(text) else real(text)
if reached and HOW == "cache":
    c._CACHE["shell-runners.json"] = TABLE
elif reached and HOW == "folder":
    c._FOLDER["found"] = fake
elif reached and HOW == "join":
    real_join = os.path.join
    os.path.join = lambda *a: fake_file if a[-1] == "shell-runners.json" else real_join(*a)
elif reached and HOW in ("open", "frozen open"):
    real_open = open
    def tampered(path, *a, **k):
        path = fake_file if str(path).endswith("shell-runners.json") else path
        return real_open(path, *a, **k)
    if HOW == "open":
        builtins.open = tampered
    else:
        sys.modules[GUARD_NAME + ".frozen_builtins"].FROZEN["open"] = tampered
elif reached and HOW == "loads":
    c.loads = tampered_loads(c.loads)
elif reached and HOW == "json_read":
    owner = sys.modules[CONTRACTS_NAME.rpartition(".")[0] + ".json_read"]
    owner.loads = tampered_loads(owner.loads)
elif reached and HOW == "load_contract":
    real_load = c.load_contract
    c.load_contract = lambda name: TABLE if name == "shell-runners.json" else real_load(name)
elif reached and HOW == "scanner":
    import _json
    real_scanner = _json.make_scanner
    def scanner(context):
        scan = real_scanner(context)
        return lambda s, i: (TABLE, len(s)) if '"launchers"' in s else scan(s, i)
    _json.make_scanner = scanner
elif reached and HOW in ("boot folder", "boot folder, stat"):
    sys.modules[GUARD_NAME + ".installs.shipped_data"].CONTRACTS_FOLDER = fake
    if HOW == "boot folder, stat":  # the cell's files answer as the shipped ones, older
        real = c._contracts_path()
        for name in ("lstat", "stat"):
            def look(path, *a, _real=getattr(os, name), **k):
                path = path.replace(fake, real) if isinstance(path, str) else path
                return _real(path, *a, **k)
            setattr(os, name, look)
open("reached.txt", "w").write(str(reached))
os.system(LINE)
"""

LAND69 = ("cache", "folder", "join", "open", "loads", "load_contract", "scanner")
HELD = ("json_read", "boot folder", "boot folder, stat", "frozen open")


def _cell(how: str, line: str = LINE) -> str:
    code = ATTACK.replace("CONTRACTS_NAME", repr(CONTRACTS)).replace("GUARD_NAME", repr(GUARD))
    code = code.replace("HOW", repr(how)).replace("LINE", repr(line))
    code = code.replace("{", "{{").replace("}", "}}")
    return code.replace("{{target}}", "{target}").replace("{{index}}", "{index}")


def test_the_plain_line_is_refused(kernel):
    """The control: script's text, read as a shell line, installs from the refused index."""
    refused = kernel.proves(system_cell(LINE))
    assert "script runs" in refused, refused


@pytest.mark.parametrize("how", LAND69 + HELD)
def test_a_tampered_contract_read_keeps_the_refusal(kernel, how):
    refused = kernel.proves(_cell(how))
    # the cell found the boot's contracts module and tampered it; the guard read its own table
    # (before, on land69: no refusal, the install ran)
    assert (kernel.work / "reached.txt").read_text() == "True", refused
    # the boot folder rebound: the guard reads the folder recorded at the seal (mods 80), its
    # own table (before mods 80: the cell's copy, refused as newer than the kernel)
    assert "script runs" in refused, refused


def test_the_guards_own_tables_still_read(kernel):
    """With the test index trusted, the tampered cell's uv install written out runs under
    Warden (the guard's own copy reads uv's tables), and so does an ordinary script line."""
    trusted = dict(KERNEL_POLICY, trusted_sources={"package_indexes": [kernel.index.simple]})
    kernel.policy.write_text(json.dumps(trusted))
    for how in ("cache", "join", "scanner"):
        kernel.reset()
        guarded = kernel.cell(_cell(how, kernel.uv_install()), launched=True)
        assert guarded["refused"] is None and kernel.installed(), guarded
        assert kernel.index.requests, guarded
        (kernel.work / "ok.txt").unlink(missing_ok=True)
        guarded = kernel.cell(_cell(how, "script -qec 'echo ok > ok.txt' /dev/null"), True)
        assert guarded["refused"] is None, guarded
        assert (kernel.work / "ok.txt").read_text() == "ok\n", guarded
