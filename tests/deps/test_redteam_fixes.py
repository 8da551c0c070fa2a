"""The red team's install-gate findings (notes/red/FINDINGS.md, deps and events), each as a
test that failed before its fix: secrets in events (E1-E3), index host confusion (D4), pip
settings Warden did not read (D1, D2), option lines (D3), guard-less pip children (D5, D6) and
separator imitations (finding 14)."""

import json
import sys

import pytest
from local_index import build_wheel
from real_uv import real_uv
from test_install_gate import POLICY, _assert_refused_before_pip, _installed, _pip

from jupyterlab_warden.kernel.guard.installs import commands, decide
from jupyterlab_warden.kernel.guard.installs.request import redact_url

SECRETS = ("S3CRET1", "S3C/RET2", "RET2", "S3CRET3", "S3CRE$T4", "S3CRE")


# -- E1-E3: no secret reaches a message or event ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://bob:S3CRET1@evil.example/simple",
        "https://bob:S3C/RET2@evil.example/simple",  # "/" in the password
        "https://evil.example/simple?private_token=S3CRET3",
        "https://evil.example/simple#S3CRET3",
        "https://bob:12/RET2@evil.example/simple",  # the password parses as a port
    ],
)
def test_redacted_urls_keep_no_credential_query_or_fragment(url):
    shown = redact_url(url)
    assert not [s for s in SECRETS if s in shown], shown
    assert shown.startswith(("https://", "<"))


def test_an_unreadable_shell_install_names_the_construct_not_the_word():
    with pytest.raises(commands.Unreadable) as raised:
        commands.shell_invocations("pip install -i https://bob:S3CRE$T4@host/simple requests")
    assert "S3CRE" not in str(raised.value) and "$ parameter" in str(raised.value)


@pytest.mark.parametrize(
    "index_args",
    [
        ["-i", "https://bob:S3C/RET2@evil.example/simple"],
        ["-i", "https://evil.example/simple?private_token=S3CRET3"],
    ],
)
def test_refusal_events_carry_no_index_secret(guarded, tmp_path, index_args):
    result = guarded(POLICY, [sys.executable, "-m", "pip", "install", *index_args, "requests"])
    assert result["type"] == "WardenBlockedInstall", result
    blob = json.dumps(guarded.events()) + result["refused"]
    assert "evil.example" in blob or "cannot parse" in blob
    assert not [s for s in SECRETS if s in blob], blob


def test_a_shell_install_refusal_event_does_not_quote_the_expanded_word(guarded, tmp_path):
    result = guarded(POLICY, "pip install -i https://bob:S3CRE$T4@evil.example/simple requests")
    assert result["type"] == "WardenBlockedInstall", result
    events = guarded.events()
    assert [e["rule_id"] for e in events] == ["install-unreadable"]
    assert "S3CRE" not in json.dumps(events) + result["refused"]


# -- D4: the host is what urlsplit (and so pip) connects to ----------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://127.0.0.1:8443#@pypi.org/simple", False),
        ("https://127.0.0.1:8443?@pypi.org/simple", False),
        ("https://pypi.org@127.0.0.1/simple", False),
        ("https://a@b@127.0.0.1/simple", False),
        ("https://pypi.org.evil.example/simple", False),
        ("https://pypi.org/simple/?x=1", False),
        ("https://user:tok@pypi.org/simple/", True),
        ("https://PyPI.org:443/simple", True),
        ("https://pypi.org/simple/torch/", True),
        ("https://pypi.org:8443/simple", False),
    ],
)
def test_index_urls_are_decided_on_the_host_pip_connects_to(url, allowed):
    assert decide.url_allowed(url, list(decide.DEFAULT_INDEXES)) is allowed


def test_a_query_or_fragment_passes_only_when_trusted_exactly():
    trusted = ["https://pkgs.example/simple?team=ml"]
    assert decide.url_allowed("https://pkgs.example/simple?team=ml", trusted)
    assert not decide.url_allowed("https://pkgs.example/simple?team=ops", trusted)


@pytest.mark.parametrize("trick", ["#@pypi.org/simple", "?@pypi.org/simple"])
def test_an_attacker_index_posing_as_pypi_is_refused_before_pip(guarded, index, tmp_path, trick):
    index.requests.clear()
    result = guarded(POLICY, _pip(tmp_path, index.base + trick, "warden-demo-pkg"))
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", ["127.0.0.1"]
    )
    assert not _installed(tmp_path, "warden-demo-pkg")


# -- D1, D2: every pip setting pip would read, in any spelling -------------------------------


def _env_pip(tmp_path, **env_words):
    assigns = " ".join(f"'{k}={v}'" for k, v in env_words.items())
    return (
        f"env {assigns} {sys.executable} -m pip install --no-deps --target {tmp_path / 'target'} "
        f"--log {tmp_path / 'pip.log'} warden-demo-pkg"
    )


@pytest.mark.parametrize("var", ["PIP_Index_Url", "PIP_INDEX-URL", "PIP_index_url"])
def test_pip_environment_names_are_read_as_pip_normalises_them(guarded, index, tmp_path, var):
    index.requests.clear()
    result = guarded(POLICY, _env_pip(tmp_path, **{var: index.simple}))
    _assert_refused_before_pip(guarded, index, tmp_path, result, "install-index-not-allowed", [var])


def test_a_requirements_file_named_by_pip_requirement_is_read(guarded, index, tmp_path):
    index.requests.clear()
    (tmp_path / "r.txt").write_text(f"--index-url {index.simple}\nwarden-demo-pkg\n")
    command = (
        f"PIP_REQUIREMENT=r.txt {sys.executable} -m pip install --no-deps "
        f"--target {tmp_path / 'target'} --log {tmp_path / 'pip.log'}"
    )
    result = guarded(POLICY, command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", ["r.txt line 1"]
    )


def test_a_pip_conf_requirement_is_read(guarded, index, tmp_path):
    index.requests.clear()
    (tmp_path / "r.txt").write_text(f"--index-url {index.simple}\nwarden-demo-pkg\n")
    conf = tmp_path / "pip.conf"
    conf.write_text(f"[install]\nrequirement = {tmp_path / 'r.txt'}\n")
    command = (
        f"PIP_CONFIG_FILE={conf} {sys.executable} -m pip install --no-deps "
        f"--target {tmp_path / 'target'} --log {tmp_path / 'pip.log'}"
    )
    result = guarded(POLICY, command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", ["r.txt line 1"]
    )


def test_a_pip_setting_warden_does_not_read_refuses_the_install(guarded, index, tmp_path):
    index.requests.clear()
    result = guarded(POLICY, _env_pip(tmp_path, PIP_PYTHON="/usr/bin/python3"))
    _assert_refused_before_pip(guarded, index, tmp_path, result, "install-unreadable", ["python"])


# -- D2, D6: in pip, the decision is on pip's own merged options ------------------------------

IN_PROCESS = r"""
import json, os, sys
from jupyterlab_warden.kernel import guard
policy = json.loads(sys.argv[1])
assert guard.install(policy) is not None
os.environ["PIP_index_url"] = sys.argv[2]  # set after start: pip reads it, Warden's parent never
from pip._internal.commands import create_command
from pip._internal.cli import main as cli_main
args = ["--no-deps", "--target", sys.argv[3], "--log", sys.argv[4], "warden-demo-pkg"]
how = sys.argv[5]
try:
    if how == "create_command":
        code = create_command("install").main(args)
    else:
        code = cli_main.main.__warden_original__(["install"] + args)
    print(json.dumps({"refused": None, "code": code}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""


@pytest.mark.parametrize("how", ["create_command", "warden_original"])
def test_pip_run_inside_the_interpreter_is_decided_on_its_merged_options(
    guarded, index, tmp_path, how
):
    import subprocess

    from install_env import child_env

    index.requests.clear()
    argv = [
        sys.executable, "-c", IN_PROCESS, json.dumps(POLICY), index.simple,
        str(tmp_path / "target"), str(tmp_path / "pip.log"), how,
    ]  # fmt: skip
    env = child_env(guarded.spool, guarded.home)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["refused"] and "PIP_index_url" not in result["refused"], result
    assert "127.0.0.1" in result["refused"]
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")
    events = guarded.events()
    assert [e["evidence"]["process_event"] for e in events] == ["pip options"]


# -- D3: every option of an option line ------------------------------------------------------


def test_every_option_on_a_requirements_line_counts(guarded, index, tmp_path):
    index.requests.clear()
    (tmp_path / "r.txt").write_text(f"--pre --index-url {index.simple}\nwarden-demo-pkg\n")
    command = [
        sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tmp_path / "target"),
        "--log", str(tmp_path / "pip.log"), "-r", "r.txt",
    ]  # fmt: skip
    result = guarded(POLICY, command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", ["r.txt line 1"]
    )


# -- D5: a Python that starts without the guard is decided by its parent ---------------------


def _tools(argv):
    return [(i.tool, i.args) for i in commands.invocations(argv)]


@pytest.mark.parametrize(
    "argv",
    [
        ["python", "-E", "--check-hash-based-pycs", "never", "-m", "pip", "install", "torcj"],
        ["python", "-I", "-Ximporttime", "-m", "pip", "install", "torcj"],
        ["python", "-Impip", "install", "torcj"],
    ],
)
def test_every_interpreter_option_is_parsed_to_find_pip(argv):
    assert _tools(argv) == [("pip", ["install", "torcj"])]


@pytest.mark.parametrize(
    "argv",
    [
        ["python", "-I", "-c", "from pip._internal.cli.main import main; main(['install','x'])"],
        ["python", "-Es", "-c", "import runpy; runpy.run_module('pip')"],
        ["python", "-S", "-"],
        ["python", "--no-such-option", "-m", "pip", "install", "x"],
    ],
)
def test_a_guardless_python_that_may_install_is_unreadable(argv):
    with pytest.raises(commands.Unreadable):
        commands.invocations(argv)


def test_a_guardless_script_that_mentions_pip_is_unreadable(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("import subprocess\nsubprocess.run(['pip', 'install', 'x'])\n")
    with pytest.raises(commands.Unreadable):
        commands.invocations(["python", "-I", str(script)])
    script.write_text("print('hello')\n")
    assert commands.invocations(["python", "-I", str(script)]) == []
    assert commands.invocations(["python", "-c", "import pip"]) == []  # guarded: decides itself


def test_a_guardless_python_running_pip_is_refused_before_it_starts(guarded, index, tmp_path):
    index.requests.clear()
    code = (
        "from pip._internal.cli.main import main; main(['install', '--no-deps', '--target', "
        f"{str(tmp_path / 'target')!r}, '--log', {str(tmp_path / 'pip.log')!r}, "
        f"'-i', {index.simple!r}, 'warden-demo-pkg'])"
    )
    policy = dict(POLICY, trusted_sources={"package_indexes": [index.simple]})
    unguarded = guarded(policy, [sys.executable, "-I", "-c", code], guarded=False)
    assert unguarded["exit"] == 0 and _installed(tmp_path, "warden-demo-pkg")  # the payload runs
    import shutil

    shutil.rmtree(tmp_path / "target")
    (tmp_path / "pip.log").unlink()
    index.requests.clear()
    result = guarded(policy, [sys.executable, "-I", "-c", code])
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-unreadable", ["without Warden's guard"]
    )


# -- finding 14: separators do not hide an imitation -----------------------------------------


@pytest.mark.parametrize("name", ["torc_j", "torc-j", "t.orcj", "tor_chh"])
def test_separators_do_not_hide_an_imitation(name):
    from jupyterlab_warden.kernel.guard.installs.data import DepsData

    assert DepsData().popular.imitated(name) == "torch"


# -- finding 6 (D9): pip's own read of a requirements file is decided on its bytes -----------

REWRITTEN = r"""
import json, sys
from jupyterlab_warden.kernel import guard
policy, evil, target, log = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
assert guard.install(policy) is not None
open("r.txt", "w").write("warden-demo-pkg\n")
from pip._internal.req import req_file
warden_read = req_file.get_file_content


def racing_writer(url, *args, **kwargs):
    # the file changes after every earlier read and just before pip's own read
    open("r.txt", "w").write("--index-url " + evil + "\nwarden-demo-pkg\n")
    return warden_read(url, *args, **kwargs)


req_file.get_file_content = racing_writer
from pip._internal.commands import create_command
try:
    code = create_command("install").main(
        ["--no-deps", "--target", target, "--log", log, "-r", "r.txt"]
    )
    print(json.dumps({"refused": None, "code": code}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""


def test_a_requirements_file_rewritten_before_pip_reads_it_is_decided_on_pips_bytes(
    guarded, index, tmp_path
):
    import subprocess

    from install_env import child_env

    index.requests.clear()
    argv = [
        sys.executable, "-c", REWRITTEN, json.dumps(POLICY), index.simple,
        str(tmp_path / "target"), str(tmp_path / "pip.log"),
    ]  # fmt: skip
    env = child_env(guarded.spool, guarded.home)
    done = subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=240, cwd=str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # raised inside pip's run, so pip's catch-all reports it and pip exits with an error
    assert result["code"] not in (None, 0), result
    assert "Jupyter Warden refused" in done.stderr and "r.txt line 1" in done.stderr
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")
    events = guarded.events()
    assert [e["evidence"]["process_event"] for e in events] == ["pip requirements file"]
    assert [e["rule_id"] for e in events] == ["install-index-not-allowed"]


@pytest.mark.parametrize(
    "script",
    [
        "if pip install torcj; then echo ok; fi",
        "{ pip install torcj; }",
        "! pip install torcj",
        "for i in 1; do pip install torcj; done",
        "f() { pip install torcj; }; f",
        "while true; do pip install torcj; break; done",
    ],
)
def test_shell_reserved_words_do_not_hide_pip_from_the_parent(script):
    assert [(i.tool, i.args) for i in commands.shell_invocations(script)] == [
        ("pip", ["install", "torcj"])
    ]


class _FailingData:
    """Shipped data whose use raises: stands for any bug or input the decision cannot handle."""

    problems = ()

    def with_policy(self, policy):
        raise RuntimeError("boom")


def test_an_exception_inside_the_decision_is_an_unreadable_refusal_with_an_event(tmp_path):
    """Red-team finding F6: a decision that raises refuses the install with a reason and an
    event (install-unreadable), never a raw exception with no event."""
    from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
    from jupyterlab_warden.kernel.guard.state import GuardState

    state = GuardState(dict(POLICY))
    events = []
    state.sink.callbacks.append(events.append)
    gate = InstallGate(state)
    gate._data = _FailingData()
    with pytest.raises(WardenBlockedInstall, match="could not decide on this install"):
        gate.decide_command(["pip", "install", "numpy"], None, {}, str(tmp_path), "subprocess")
    assert [(e["rule_id"], e["action"]) for e in events] == [("install-unreadable", "blocked")]
    assert events[0]["evidence"]["reason"] == "decision-failed"
    assert "boom" not in json.dumps(events)  # the exception's text is not an event's business


def test_pip_resolved_options_carry_tls_settings(tmp_path):
    """red7 R7-14 in the guarded pip (``Command.parse_args``, which merges the command line,
    PIP_* and pip.conf): --trusted-host, --cert and the CA variables refuse the install."""
    from pip._internal.commands import create_command

    from jupyterlab_warden.kernel.guard.installs import decide
    from jupyterlab_warden.kernel.guard.installs.data import DepsData
    from jupyterlab_warden.kernel.guard.installs.resolved import pip_request_from_options

    args = ["--isolated", "--trusted-host", "pypi.org", "--cert", "/tmp/evil-ca.pem", "black"]
    # pip's own parser, not Command.parse_args: in a whole run a guard installed by another
    # test wraps that method in this process and would decide the install itself
    options, rest = create_command("install").parser.parse_args(args)
    env = {"REQUESTS_CA_BUNDLE": "/tmp/other-ca.pem", "SSL_CERT_DIR": "/etc/ssl/certs"}
    request = pip_request_from_options("install", options, rest, str(tmp_path), env)
    reasons = {f.reason for f in decide.decide(request, {}, DepsData())}
    assert reasons == {
        "tls-unverified:pypi.org",
        "tls-ca:/tmp/evil-ca.pem",
        "tls-ca:/tmp/other-ca.pem",
    }


def test_pip_resolved_options_read_a_local_index_page(tmp_path):
    """red8 R8-15 in the guarded pip: a local find-links page (and a file:// index) is read and
    its links decided, as pip downloads from them; a folder of wheels alone stays allowed."""
    from pip._internal.commands import create_command

    from jupyterlab_warden.kernel.guard.installs import decide
    from jupyterlab_warden.kernel.guard.installs.data import DepsData
    from jupyterlab_warden.kernel.guard.installs.resolved import pip_request_from_options

    evil = "http://127.0.0.1:8766/files/black-99.0-py3-none-any.whl"
    (tmp_path / "links.html").write_text(f'<a href="{evil}">black</a>\n')
    (tmp_path / "idx" / "black").mkdir(parents=True)
    (tmp_path / "idx" / "black" / "index.html").write_text(f"<a href='{evil}'>b</a>\n")
    (tmp_path / "wheels").mkdir()
    # a real wheel: a local one is opened (red team 34 R34-4), one Warden cannot read refused
    build_wheel(tmp_path / "wheels", "black", "24.1.0")

    def reasons(args):
        options, rest = create_command("install").parse_args(["--isolated", *args, "black"])
        request = pip_request_from_options("install", options, rest, str(tmp_path), {})
        return {f.reason for f in decide.decide(request, {}, DepsData())}

    assert reasons(["--no-index", "-f", str(tmp_path / "links.html")]) == {
        "index:http://127.0.0.1:8766/files/black-99.0-py3-none-any.whl"
    }
    assert reasons(["--index-url", (tmp_path / "idx").as_uri()]) == {
        "index:http://127.0.0.1:8766/files/black-99.0-py3-none-any.whl"
    }
    assert reasons(["--no-index", "-f", str(tmp_path / "wheels")]) == set()


# -- red9 R9-1, R9-2, R9-5: a child Python that does not inherit the kernel's guard ----------

PIP_SCRIPT = """from pip._internal.cli.main import main
main(['install', '--no-deps', '--target', {target!r}, '--log', {log!r}, '-i', {index!r},
      'warden-demo-pkg'])
"""
# a kernel of the lab's launch environment, whose cell changes what its child gets
LAUNCHED_KERNEL = r"""
import json, os, subprocess, sys
how, script, mine = sys.argv[1], sys.argv[2], sys.argv[3]
env = None
if how == "policy":  # R9-1: the child takes another policy file, unpinned
    env = dict(os.environ, WARDEN_POLICY_FILE=mine, WARDEN_POLICY_SHA256="")
elif how == "environ":  # R9-2: the kernel's own environment loses the guard's folder
    env = "drop"  # the change itself is refused since R12-9 (below, inside the try)
elif how == "prefix":  # R9-15: another sitecustomize.py in a folder before the guard's
    folder = os.path.join(os.path.dirname(script), "first")
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, "sitecustomize.py"), "w").close()
    env = dict(os.environ, PYTHONPATH=folder + os.pathsep + os.environ["PYTHONPATH"])
try:
    if env == "drop":
        os.environ["PYTHONPATH"] = ""
        env = None
    code = subprocess.run([sys.executable, script], env=env).returncode
    print(json.dumps({"refused": None, "code": code}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""


def _pip_script(tmp_path, index):
    script = tmp_path / "s.py"
    script.write_text(
        PIP_SCRIPT.format(
            target=str(tmp_path / "target"), log=str(tmp_path / "pip.log"), index=index.simple
        )
    )
    return script


def _installs_unguarded_then_refused(guarded, index, tmp_path, command):
    """The payload proves itself: without the guard `command` installs warden-demo-pkg from
    the local index; with it the start is refused (the caller checks what did not happen)."""
    index.requests.clear()
    unguarded = guarded(POLICY, command, guarded=False)
    assert unguarded["exit"] == 0 and _installed(tmp_path, "warden-demo-pkg"), unguarded
    _reset(tmp_path, index)
    result = guarded(POLICY, command)
    assert result["type"] == "WardenBlockedInstall", result


def _reset(tmp_path, index):
    import shutil

    shutil.rmtree(tmp_path / "target", ignore_errors=True)
    (tmp_path / "pip.log").unlink(missing_ok=True)
    index.requests.clear()


@pytest.mark.parametrize("how", ["policy", "environ", "prefix"])
def test_a_child_python_that_loses_the_launch_guard_is_read_as_guardless(
    guarded, index, tmp_path, how
):
    """R9-1: a child started with another WARDEN_POLICY_FILE (and no digest) enforced that
    file's policy; R9-2: a kernel whose os.environ lost the guard's folder read itself as a
    kernel without a launch guard, "nothing to lose". Both let a script's pip install from an
    index the kernel's policy refuses."""
    from install_env import spooled
    from launched import launch_env, run_python

    policy = tmp_path / "launch-policy.json"
    policy.write_text(json.dumps(POLICY))
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(dict(POLICY, trusted_sources={"package_indexes": [index.simple]})))
    spool = tmp_path / "launch-spool"
    spool.mkdir(mode=0o700)
    script = _pip_script(tmp_path, index)

    def kernel(launched: bool):
        env = launch_env(tmp_path, spool, guarded.home, policy if launched else None)
        return run_python(LAUNCHED_KERNEL, [how, str(script), str(mine)], env)

    # without Warden (no launch guard at all) the script's pip installs from the index
    assert kernel(launched=False) == {"refused": None, "code": 0}
    assert _installed(tmp_path, "warden-demo-pkg") and index.requests
    _reset(tmp_path, index)
    result = kernel(launched=True)
    if how in ("prefix", "policy"):
        # red team 28a R28a-1: the child now starts with the guard's folder first and the
        # folder before it put back once its guard is in (child_path), so the other
        # sitecustomize never stands in for the guard: the child's own guard refuses its pip.
        # R28c-3: the policy file and digest it was given are the kernel's again (child_path
        # HANDED_ON), so its guard enforces the lab's policy, not mine.json, which trusts
        # the index
        assert result == {"refused": None, "code": 1}, result
        assert not _installed(tmp_path, "warden-demo-pkg") and not index.requests
        assert [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"], spooled(spool)
        return
    assert result["refused"] and "without Warden's guard" in result["refused"], result
    assert not (tmp_path / "pip.log").exists() and index.requests == []
    assert not _installed(tmp_path, "warden-demo-pkg")
    assert [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"] == [
        "install-unreadable"
    ]


def test_a_kernel_without_the_launch_guard_reads_every_child_python_as_guardless(
    guarded, index, tmp_path
):
    """R9-5: a kernel of the guarded kernelspec (the guard installed in-process, as
    guarded_run does) hands no guard to the Pythons it starts, yet read them as guarded: a
    script running pip installed from any index."""
    script = _pip_script(tmp_path, index)
    unguarded = guarded(POLICY, [sys.executable, str(script)], guarded=False)
    assert unguarded["exit"] == 0 and _installed(tmp_path, "warden-demo-pkg")
    _reset(tmp_path, index)
    result = guarded(POLICY, [sys.executable, str(script)])
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-unreadable", ["without Warden's guard"]
    )
    # a child Python that names no installer still runs
    (tmp_path / "hello.py").write_text("print('hello')\n")
    assert guarded(POLICY, [sys.executable, str(tmp_path / "hello.py")])["returncode"] == 0


# -- red9 R9-3, R9-8: uv's own option spellings and options after the package ---------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("uv pip install --requirements r.txt", "index:"),
        ("uv pip install --requirements=r.txt", "index:"),
        ("uv pip install --overrides o.txt black", "direct:url:"),
        ("uv pip install --constraints o.txt black", "direct:url:"),
        ("uvx --overrides o.txt black", "direct:url:"),
        ("uv tool install black --index-url http://127.0.0.1:8766/simple", "index:"),
        ("uv tool install black --with torcj", "imitation:torcj~torch"),
        ("uv tool install black --with-executables-from torcj", "imitation:torcj~torch"),
        ("uv pip install --torch-backend cpu torch", "unreadable"),
        ("uv pip install --no-such-option black", "unreadable"),
    ],
)
def test_uv_options_are_read_as_uv_spells_them(tmp_path, line, reason):
    from jupyterlab_warden.kernel.guard.installs.data import DepsData
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    (tmp_path / "r.txt").write_text("--index-url http://127.0.0.1:8766/simple\nblack\n")
    (tmp_path / "o.txt").write_text(
        "black @ http://127.0.0.1:8766/files/black-1-py3-none-any.whl\n"
    )
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": "/dev/null"}
    found = [
        f.reason
        for r in read_requests(None, line, env, str(tmp_path))
        for f in decide.decide(r, {}, DepsData())
    ]
    assert any(f.startswith(reason) for f in found), found


@pytest.mark.parametrize("spelling", ["--requirements", "--overrides"])
def test_uvs_plural_file_options_are_decided_before_uv_runs(guarded, index, tmp_path, spelling):
    """R9-3 with the real uv: `--requirements r.txt` (r.txt names an index the policy refuses)
    and `--overrides o.txt` (a direct reference) were read as a flag and a package name, the
    file never read, and uv installed from the refused source."""
    wheel = "warden_demo_pkg-1.0-py3-none-any.whl"
    if spelling == "--requirements":
        (tmp_path / "f.txt").write_text(f"--index-url {index.simple}\nwarden-demo-pkg\n")
        packages = []
    else:
        (tmp_path / "f.txt").write_text(f"warden-demo-pkg @ {index.file_url(wheel)}\n")
        packages = ["warden-demo-pkg"]
    command = [
        real_uv(), "pip", "install", "--no-cache", "--python", sys.executable,
        "--target", str(tmp_path / "target"), spelling, "f.txt", *packages,
    ]  # fmt: skip
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")
    rule = "install-index-not-allowed" if packages == [] else "install-direct-reference"
    assert [e["rule_id"] for e in guarded.events() if e["action"] == "blocked"] == [rule]


# -- red9 R9-9: a program run by its file descriptor (fexecve) --------------------------------

FEXECVE = r"""
import json, os, sys
from jupyterlab_warden.kernel import guard
if sys.argv[1] == "guarded":
    assert guard.install(json.loads(sys.argv[2])) is not None
# named `ls`, in the interpreter's folder (Python finds its environment from argv[0])
argv = [os.path.join(os.path.dirname(sys.executable), "ls"), "-m", "pip", "install",
        "--no-deps", "--target", sys.argv[3], "--log", sys.argv[4], "-i", sys.argv[5],
        "warden-demo-pkg"]
pid = os.fork()
if pid == 0:
    fd = os.open(sys.executable, os.O_RDONLY)
    os.execve(fd, argv, dict(os.environ))  # runs the interpreter, whatever argv[0] says
print(json.dumps({"status": os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}))
"""


@pytest.mark.parametrize("mode", ["unguarded", "guarded"])
def test_a_program_run_by_its_descriptor_is_read_as_that_program(guarded, index, tmp_path, mode):
    """R9-9: ``os.execve(fd, argv, env)`` runs the file open on fd; Warden read argv[0] (`ls`)
    and let Python run `-m pip install` from a refused index. Since red team 14 (R14-20) a
    program reached through /proc (here /proc/self/fd/N, the descriptor) is refused as one
    Warden cannot check, before its words are read; since fix67argv0 the argv[0] it is given
    (`ls`, a name that is not its program's) refuses it first."""
    import subprocess

    from install_env import child_env

    index.requests.clear()
    argv = [
        sys.executable, "-c", FEXECVE, mode, json.dumps(POLICY), str(tmp_path / "target"),
        str(tmp_path / "pip.log"), index.simple,
    ]  # fmt: skip
    env = child_env(guarded.spool, guarded.home)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout.strip().splitlines()[-1])["status"]
    if mode == "unguarded":  # the payload: pip ran and installed from the index
        assert status == 0 and _installed(tmp_path, "warden-demo-pkg"), done.stderr
        return
    assert status == 126, done.stderr  # the forked child ended before the exec
    assert "Jupyter Warden refused" in done.stderr, done.stderr
    # refused before its words are read: as reached through /proc (R14-20), or, since
    # fix67argv0 decides a Python's argv[0] first, as a Python started under another name
    # (`ls`: getpath would place it by that name, R54b-4)
    proc = "/proc/self/fd/" in done.stderr and "reached through /proc" in done.stderr
    assert proc or "by its own path (argv[0] the program" in done.stderr, done.stderr
    assert index.requests == [] and not (tmp_path / "pip.log").exists()
    assert not _installed(tmp_path, "warden-demo-pkg")


# -- red9 R9-10: a harmless name bound to an installer through a link ------------------------


def _link_named(tmp_path, name: str):
    """A folder holding a link named ``name`` to this interpreter's pip script."""
    import os

    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / name).symlink_to(os.path.join(os.path.dirname(sys.executable), "pip"))
    return folder


def _install_words(tmp_path, index):
    return (
        f"install --no-deps --target {tmp_path / 'target'} --log {tmp_path / 'pip.log'} "
        f"-i {index.simple} warden-demo-pkg"
    )


@pytest.mark.parametrize("how", ["hash", "path", "argv"])
def test_a_link_under_a_harmless_name_is_read_as_its_target(guarded, index, tmp_path, how):
    """R9-10: `hash -p LINK ls; ls ...` and `PATH=DIR ls ...` (DIR/ls a link to pip) ran pip
    under the name of a program whose words Warden takes for data."""
    folder = _link_named(tmp_path, "ls" if how != "hash" else "u")
    words = _install_words(tmp_path, index)
    command = {
        "hash": f"hash -p {folder / 'u'} ls; ls {words}",
        "path": f"PATH={folder}:/usr/bin:/bin ls {words}",
        "argv": ["env", f"PATH={folder}:/usr/bin:/bin", "ls", *words.split()],
    }[how]
    if how == "hash":
        command = ["bash", "-c", command]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == [] and not (tmp_path / "pip.log").exists()
    assert not _installed(tmp_path, "warden-demo-pkg")


def test_the_first_look_finds_a_bare_name_on_the_path_it_runs_from(tmp_path):
    from jupyterlab_warden.kernel.guard.installs import fastpath

    folder = _link_named(tmp_path, "ls")
    assert fastpath.may_install("ls", f"{folder}:/usr/bin")
    assert not fastpath.may_install("ls", "/usr/bin:/bin")
    assert not fastpath.may_install("ls", f"/usr/bin:{folder}")  # the first one found runs


# -- red10 R10-7: a relative link found from the folder the program starts in ----------------


@pytest.mark.parametrize("how", ["popen-cwd", "cd-on-the-line", "nested-shell"])
def test_a_relative_link_is_read_from_the_folder_the_program_starts_in(
    guarded, index, tmp_path, how
):
    """R10-7: ``Popen(["./ls", ...], cwd="bin")`` and ``cd bin && ./ls ...`` (bin/ls a link to
    pip) were looked up from the kernel's folder, where no ./ls is: an unknown program whose
    words name no installer, so pip ran unread."""
    folder = _link_named(tmp_path, "ls")
    words = _install_words(tmp_path, index)
    command = {
        "popen-cwd": {"argv": ["./ls", *words.split()], "cwd": str(folder)},
        "cd-on-the-line": f"cd bin && ./ls {words}",
        "nested-shell": f"cd bin && sh -c './ls {words}'",
    }[how]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == [] and not (tmp_path / "pip.log").exists()
    assert not _installed(tmp_path, "warden-demo-pkg")


def test_a_relative_program_after_a_cd_warden_cannot_follow_is_unreadable(tmp_path):
    """Where the folder is unknown (``cd $D``), a program found by a relative path cannot be
    placed: it may be a link to any installer."""
    with pytest.raises(commands.Unreadable, match="cannot tell"):
        commands.shell_invocations('cd "$D" && ./ls sync', 0, {})
    with commands.start_folder(str(tmp_path)):
        assert commands.shell_invocations("cd sub && ./ls -l", 0, {}) == []
        with pytest.raises(commands.Unreadable, match="relative folder"):
            commands.shell_invocations('cd "$D" && PATH=bin:/usr/bin ls', 0, {})


def test_the_first_look_finds_a_relative_program_from_the_start_folder(tmp_path):
    from jupyterlab_warden.kernel.guard.installs import fastpath

    folder = _link_named(tmp_path, "ls")
    assert fastpath.may_install("./ls", "/usr/bin", cwd=str(folder))
    assert fastpath.may_install("ls", "bin:/usr/bin", cwd=str(tmp_path))  # a relative PATH entry
    assert not fastpath.may_install("./ls", "/usr/bin", cwd=str(tmp_path))
    assert fastpath.may_launch([["chrt", "./ls", "x"]], cwd=str(folder))
    assert not fastpath.may_launch([["chrt", "./ls", "x"]], cwd=str(tmp_path))


# -- red9 R9-11: objects that read one way to Warden and another to subprocess ---------------

LYING_WORDS = r"""
import json, os, subprocess, sys
from jupyterlab_warden.kernel import guard
if sys.argv[1] == "guarded":
    assert guard.install(json.loads(sys.argv[2])) is not None


class Word(str):
    def __str__(self):  # what str() says; subprocess encodes the data
        return "numpy"


class Path:
    calls = 0

    def __fspath__(self):  # called by Warden first (when guarded), then by subprocess
        Path.calls += 1
        return sys.argv[4] if Path.calls > (sys.argv[1] == "guarded") else "numpy"


index = Word("--index-url=" + sys.argv[3]) if sys.argv[5] == "str" else "--index-url"
words = [index] if sys.argv[5] == "str" else [index, Path()]
argv = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", sys.argv[6], *words,
        "warden-demo-pkg"]
try:
    print(json.dumps({"refused": None, "code": subprocess.run(argv).returncode}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""


@pytest.mark.parametrize("kind", ["str", "path"])
@pytest.mark.parametrize("mode", ["unguarded", "guarded"])
def test_an_argument_that_lies_to_str_is_read_as_the_program_gets_it(
    guarded, index, tmp_path, kind, mode
):
    """R9-11: a str subclass whose __str__ said `numpy` hid `--index-url=EVIL` from Warden,
    and a path whose __fspath__ answers otherwise on its second call hid the index itself."""
    import subprocess

    from install_env import child_env

    index.requests.clear()
    argv = [
        sys.executable, "-c", LYING_WORDS, mode, json.dumps(POLICY), index.simple, index.simple,
        kind, str(tmp_path / "target"),
    ]  # fmt: skip
    env = child_env(guarded.spool, guarded.home)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if mode == "unguarded":  # the payload: pip installs from the index
        assert result["code"] == 0 and _installed(tmp_path, "warden-demo-pkg"), done.stderr
        return
    assert result["refused"], result
    assert ("127.0.0.1" if kind == "str" else "may read differently") in result["refused"]
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")


def test_a_link_to_an_installer_among_a_launchers_words_is_read(tmp_path, monkeypatch):
    """R9-10: `flock F u tool install P` (u a link to uv on PATH) and an argv start whose words
    hold no installer's name but a path to such a link."""
    from jupyterlab_warden.kernel.guard.installs import fastpath

    folder = _link_named(tmp_path, "u")
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations("flock /tmp/lock u install black", 0, {})
    assert fastpath.may_launch([["flock", "/tmp/lock", str(folder / "u"), "install", "black"]])
    # flock itself runs shell text and commands (schema/shell-runners.json, R13-5): read in full
    assert fastpath.may_launch([["flock", "/tmp/lock", "/usr/bin/ls", "-l"]])
    assert not fastpath.may_launch([["chrt", "0", "/usr/bin/ls", "-l"]])


# -- red10 R10-3: the files of a pip after a writer on its line are its own guard's to read ---


@pytest.mark.parametrize("package", ["warden-demo-pkg", "torcj"])
def test_a_pip_after_a_clone_reads_the_cloned_requirements_in_its_own_guard(
    guarded, index, tmp_path, package
):
    """R10-3: `git clone URL && cd proj && pip install -r requirements.txt` was refused in a
    launched kernel ("cannot read requirements file": the clone is not there before the line
    runs). The parent now decides only the command line; the guard the pip inherits reads the
    cloned file when pip starts: a benign package installs, and an imitation name in the file
    (which installs without Warden) is refused by that CHILD guard, not by the parent."""
    import os

    from install_env import spooled
    from launched import GIT, SHELL_LINE, git_project, launch_env, run_python

    upstream = git_project(
        tmp_path / "upstream", {"requirements.txt": f"-i {index.simple}\n{package}\n"}
    )
    policy = tmp_path / "launch-policy.json"
    # the command line names no index: the parent decides pip's default one
    trusted = {"package_indexes": [index.simple, "https://pypi.org/simple"]}
    policy.write_text(json.dumps(dict(POLICY, trusted_sources=trusted)))
    spool = tmp_path / "launch-spool"
    spool.mkdir(mode=0o700)
    pip = os.path.join(os.path.dirname(sys.executable), "pip")
    line = (
        f"{GIT} clone -q {upstream} proj && cd proj && {pip} install --no-deps --target "
        f"{tmp_path / 'target'} -r requirements.txt"
    )

    def kernel(launched: bool, work: str):
        env = launch_env(tmp_path, spool, guarded.home, policy if launched else None)
        (tmp_path / work).mkdir()
        return run_python(SHELL_LINE, [line], env, cwd=tmp_path / work)

    # without Warden the line installs whatever the cloned file names
    plain = kernel(launched=False, work="plain")
    assert plain["code"] == 0 and _installed(tmp_path, package), plain
    _reset(tmp_path, index)
    result = kernel(launched=True, work="launched")
    assert result["refused"] is None, result  # the parent let the line start
    blocked = [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"]
    if package == "warden-demo-pkg":
        assert result["code"] == 0 and _installed(tmp_path, package), result
        assert blocked == []
        return
    # the pip's own guard read the clone's file and refused torcj before pip fetched anything
    assert result["code"] != 0 and "Jupyter Warden refused" in result["stderr"], result
    assert not _installed(tmp_path, package) and index.requests == []
    assert blocked == ["install-imitation-name"]


# -- red10 R10-1: a launch variable on the shell line, pip after a writer ----------------------


def _launched_line(tmp_path, policy, line: str, launched: bool = True) -> dict:
    """Runs the shell ``line`` from a kernel of the lab's launch environment (``launched``:
    the guard inherited through PYTHONPATH, ``policy`` the launch policy) or from a plain
    Python; r.txt starts as the harmless file the parent reads first."""
    from install_env import spooled
    from launched import SHELL_LINE, launch_env, run_python

    (tmp_path / "r.txt").write_text("warden-demo-pkg\n")
    spool = tmp_path / f"spool-{len(list(tmp_path.glob('spool-*')))}"
    spool.mkdir(mode=0o700)
    env = launch_env(tmp_path, spool, tmp_path / "home", policy if launched else None)
    result = run_python(SHELL_LINE, [line], env, cwd=tmp_path)
    result["events"] = [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"]
    return result


def _writer_then_pip(tmp_path, index):
    """The launch policy (it trusts no local index), a pip installing r.txt into target, and
    a writer that points r.txt at the local index: the line's pip must decide the new file."""
    policy = tmp_path / "launch-policy.json"
    policy.write_text(json.dumps(POLICY))
    pip = f"{sys.executable} -m pip install --no-deps --target {tmp_path / 'target'} -r r.txt"
    return policy, pip, f"echo -i {index.simple} > r.txt; echo warden-demo-pkg >> r.txt; "


@pytest.mark.parametrize("how", ["prefix", "export", "unset"])
def test_a_pip_after_a_writer_given_another_policy_on_the_line_is_not_left_to_its_guard(
    index, tmp_path, how
):
    """R10-1: a kernel of the lab's launch environment leaves a pip after a writer to the
    guard it inherits; `WARDEN_POLICY_FILE=mine WARDEN_POLICY_SHA256= pip ...` handed that
    guard the attacker's policy, which trusts the refused index, and r.txt (rewritten by the
    writer) installed from it. The same line without the swap is refused by the child guard:
    the swap is what the payload needs, and it now refuses in the parent."""
    policy, pip, writer = _writer_then_pip(tmp_path, index)
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(dict(POLICY, trusted_sources={"package_indexes": [index.simple]})))
    swap = {
        "prefix": f"WARDEN_POLICY_FILE={mine} WARDEN_POLICY_SHA256= {pip}",
        "export": f"export WARDEN_POLICY_FILE={mine} WARDEN_POLICY_SHA256=; {pip}",
        "unset": f"export WARDEN_POLICY_FILE={mine}; unset WARDEN_POLICY_SHA256; {pip}",
    }[how]

    def kernel(line: str, launched: bool = True) -> dict:
        return _launched_line(tmp_path, policy, line, launched)

    # without Warden the line installs from the index
    assert kernel(writer + swap, launched=False)["code"] == 0
    assert _installed(tmp_path, "warden-demo-pkg") and index.requests
    _reset(tmp_path, index)
    # without the swap, the parent leaves pip to its guard, which refuses the index
    kept = kernel(writer + pip)
    assert kept["refused"] is None and not _installed(tmp_path, "warden-demo-pkg"), kept
    assert "install-index-not-allowed" in kept["events"], kept
    _reset(tmp_path, index)
    # with it, the parent refuses the line: the pip may start without the kernel's guard
    result = kernel(writer + swap)
    assert result["refused"] and "without Warden's guard" in result["refused"], result
    assert "WARDEN_POLICY" in result["refused"], result
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")
    assert result["events"] == ["install-unreadable"], result


# -- red11 R11-6, R11-16, R11-17: assignments the line reading did not see --------------------


@pytest.mark.parametrize("how", ["for", "arithmetic", "array"])
def test_a_pip_after_a_writer_whose_pythonpath_another_assignment_changes_is_not_left_to_its_guard(
    index, tmp_path, how
):
    """R11-6/R11-16/R11-17: `for PYTHONPATH in /x; do pip ...; done`, `: $(( PYTHONPATH = 1
    ))` and bash's `PYTHONPATH[0]=/x` (which un-exports it) start the pip after a writer
    without the guard the parent left its -r file to: torcj-like installs from the refused
    index. The parent now counts those forms as losing the guard and refuses the line."""
    policy, pip, writer = _writer_then_pip(tmp_path, index)
    line = {
        "for": f"{writer}for PYTHONPATH in /nonexistent; do {pip}; done",
        "arithmetic": f"{writer}: $(( PYTHONPATH = 1 )); {pip}",
        "array": f"bash -c '{writer}PYTHONPATH[0]=/nonexistent; {pip}'",
    }[how]
    # without Warden the line installs from the index
    assert _launched_line(tmp_path, policy, line, launched=False)["code"] == 0
    assert _installed(tmp_path, "warden-demo-pkg") and index.requests
    _reset(tmp_path, index)
    result = _launched_line(tmp_path, policy, line)
    assert result["refused"] and "without Warden's guard" in result["refused"], result
    assert "PYTHONPATH" in result["refused"], result
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")


def test_bash_program_table_assignments_are_refused(guarded, index, tmp_path):
    """R11-16: `BASH_CMDS[ls]=LINK; ls ...` (LINK to pip) ran pip under the name of a program
    whose words Warden takes for data, as `hash -p` did (R9-10)."""
    folder = _link_named(tmp_path, "u")
    command = ["bash", "-c", f"BASH_CMDS[ls]={folder / 'u'}; ls {_install_words(tmp_path, index)}"]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == [] and not (tmp_path / "pip.log").exists()
    assert not _installed(tmp_path, "warden-demo-pkg")


# -- red11 R11-12, R11-1: the folder a wrapper or cd moves to ---------------------------------


@pytest.mark.parametrize("how", ["env-chdir", "cdpath", "logical-dotdot"])
def test_a_relative_link_is_read_from_the_folder_the_shell_moves_to(guarded, index, tmp_path, how):
    """R11-12: `env -C bin ./ls ...` found ./ls from the line's folder, not bin. R11-1: `cd`
    searches CDPATH first (`CDPATH=far; cd bin` enters far/bin) and is logical (`cd lnk/..`
    is the folder lnk is in, not the parent of its target): Warden read another folder."""
    words = _install_words(tmp_path, index)
    if how == "env-chdir":
        _link_named(tmp_path, "ls")
        # no word naming an installer (pip.log would): those were refused after env -C already
        words = (
            f"install --no-deps --target {tmp_path / 'target'} -i {index.simple} warden-demo-pkg"
        )
        command = f"env -C bin ./ls {words}"
    elif how == "cdpath":
        (tmp_path / "far").mkdir()
        _link_named(tmp_path / "far", "ls")
        command = f"CDPATH={tmp_path / 'far'}; cd bin && ./ls {words}"
    else:
        (tmp_path / "far" / "inner").mkdir(parents=True)
        (tmp_path / "lnk").symlink_to(tmp_path / "far" / "inner")
        import os

        (tmp_path / "ls").symlink_to(os.path.join(os.path.dirname(sys.executable), "pip"))
        command = f"cd lnk/.. && ./ls {words}"
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == [] and not (tmp_path / "pip.log").exists()
    assert not _installed(tmp_path, "warden-demo-pkg")


# -- red10 R10-8: the program word after shell keywords, functions named like programs ---------


@pytest.mark.parametrize(
    "shape",
    [
        "{{ $X {words}; }}",
        "if $X {words}; then :; fi",
        "! $X {words} || true",
        "for i in 1; do $X {words}; done",
        'echo() {{ "$@"; }}; echo $X {words}',
        'pip() {{ "$@"; }}; pip {python} -m pip {words}',
    ],
)
def test_an_expansion_as_the_program_after_a_keyword_is_refused(guarded, index, tmp_path, shape):
    """R10-8: the expansion rule looked at the command's first word before the reserved words
    were stripped, so `{ $X install ...; }`, `if $X`, `! $X`, `do $X` ran an installer Warden
    never named; a function named like a program (`pip() { "$@"; }`) ran its arguments."""
    # no installer's name among the command's own words (no pip.log): only the program word,
    # an expansion, says it installs
    words = f"install --no-deps --target {tmp_path / 'target'} -i {index.simple} "
    line = f'X="{sys.executable} -m pip"; ' + shape.format(
        words=words + "warden-demo-pkg", python=sys.executable
    )
    _installs_unguarded_then_refused(guarded, index, tmp_path, line)
    assert index.requests == []
    assert not _installed(tmp_path, "warden-demo-pkg")
    assert [e["rule_id"] for e in guarded.events() if e["action"] == "blocked"] == [
        "install-unreadable"
    ]
