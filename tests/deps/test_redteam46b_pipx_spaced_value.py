"""Red team 46b R46b-1 (MED, false refusal; also puts the value into the event): pipx reads
an option's value that starts with '-' but holds a space as a VALUE (argparse
``_parse_optional``: a word with a space that is no option and no ``--opt=value`` is a
positional/value), so ``pipx install --pip-args "--no-cache-dir --pre" black`` is pipx's
documented spelling and runs. Warden's pipx reader takes any word starting with '-' as an
option (``pipx_cli._is_option``, pipx_cli.py:100, used at :108 and :132) and refuses the
command as unreadable ("is followed by --no-cache-dir --pre, not a value"), quoting the raw
value, so ``--pip-args "--index-url https://user:TOKEN@host/simple"`` also sends TOKEN to the
event store.

Fix: read a word as argparse does (exact option, ``--opt=`` with a known option, a unique
prefix, negative numbers, then "holds a space: not an option"), and show a value through
``redact_url`` in every pipx_cli message.
"""

import json
import os

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.state import GuardState

POLICY = {"schema_version": 1, "revision": 1}
TOKEN = "SECRETxyz0123456789"


def _env(tmp_path):
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}


def _findings(argv, tmp_path):
    out = []
    for request in gate.read_requests(argv, None, _env(tmp_path), str(tmp_path)):
        out += decide.decide(request, POLICY, DepsData())
    return out


def test_r46b_1_control_pipx_reads_a_spaced_dash_word_as_the_value():
    from pipx.main import get_command_parser

    parser = get_command_parser()
    parser = parser[0] if isinstance(parser, tuple) else parser
    args = parser.parse_args(["install", "--pip-args", "--no-cache-dir --pre", "black"])
    assert args.pip_args == "--no-cache-dir --pre" and args.package_spec == ["black"]


def test_r46b_1_control_the_joined_spelling_is_allowed(tmp_path):
    assert (
        _findings(["pipx", "install", "--pip-args=--no-cache-dir --pre", "black"], tmp_path) == []
    )


def test_r46b_1_the_separate_spelling_is_allowed_too(tmp_path):
    found = _findings(["pipx", "install", "--pip-args", "--no-cache-dir --pre", "black"], tmp_path)
    assert found == [], [f.message for f in found]  # FAILS today: install-unreadable


def test_r46b_1_the_refusal_does_not_carry_the_token(tmp_path):
    argv = [
        "pipx",
        "install",
        "--pip-args",
        f"--index-url https://u:{TOKEN}@evil.example/simple",
        "x",
    ]
    requests = list(gate.read_requests(argv, None, _env(tmp_path), str(tmp_path)))
    g = InstallGate(GuardState(POLICY))
    try:
        g._enforce(requests, "pipx", in_process=False)
        events = []
    except WardenBlockedInstall as refused:
        events = refused.events
    assert events  # refused either way: evil.example is not a trusted index
    assert TOKEN not in json.dumps(events)  # FAILS today: the message quotes the raw value
