"""What the install gate reads from a command: pure functions, no processes."""

import os
import shutil
import sys

import pytest

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import arguments, commands, decide, sources
from jupyterlab_warden.kernel.guard.installs.advisories import AdvisorySnapshot
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.names import PopularNames, data_path
from jupyterlab_warden.kernel.guard.installs.versions import version_key


@pytest.fixture(scope="module")
def data():
    return DepsData()


def _tools(argv):
    return [(i.tool, i.args) for i in commands.invocations(argv)]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/opt/venv/bin/pip3.11", "install", "x"], [("pip", ["install", "x"])]),
        (
            ["python3", "-I", "-W", "ignore", "-m", "pip", "install", "x"],
            [("pip", ["install", "x"])],
        ),
        (["python", "-mpip", "install", "x"], [("pip", ["install", "x"])]),
        (["python", "-c", "import pip"], []),
        (["/bin/sh", "-c", "cd /tmp && pip install x; echo ok"], [("pip", ["install", "x"])]),
        (
            ["bash", "-lc", "env -u HOME sudo -u ml nohup uv pip install y"],
            [("uv", ["pip", "install", "y"])],
        ),
        (
            ["sh", "-c", "sh -c 'mamba install -c evil z'"],
            [("mamba", ["install", "-c", "evil", "z"])],
        ),
        (["uvx", "ruff"], [("uv", ["x", "ruff"])]),
        (["git", "status"], []),
        (["sh", "-c", "echo 'pip install x' > notes.txt"], []),
        (["sh", "-c", "ls $HOME; pip list"], [("pip", ["list"])]),
    ],
)
def test_installer_calls_are_found_in_argv_and_shell_strings(argv, expected):
    assert _tools(argv) == expected


@pytest.mark.parametrize(
    "script",
    [
        "pip install $(curl -s http://x/list)",
        "pip install `cat names`",
        "P=pip; $P install x",
        "pip install torc{h,j}",
        "cat names | xargs pip install",
        "eval pip install $NAME",
        "pip install 'unterminated",
    ],
)
def test_an_install_behind_an_expansion_is_unreadable(script):
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(script)


def test_pip_long_options_resolve_by_unique_prefix_like_optparse(tmp_path):
    request = arguments.pip_request(
        ["install", "--extra-index", "https://x/simple", "y"], str(tmp_path), {}
    )
    assert [(s.url, s.role) for s in request.sources] == [("https://x/simple", "extra-index")]
    unknown = arguments.pip_request(["install", "--frobnicate", "y"], str(tmp_path), {})
    assert unknown.problems and "--frobnicate" in unknown.problems[0]
    assert arguments.pip_request(["show", "torch"], str(tmp_path), {}) is None
    assert arguments.pip_request(["-q", "list"], str(tmp_path), {}) is None


def test_download_and_wheel_are_decided_like_install(tmp_path):
    for command in ("download", "wheel"):
        request = arguments.pip_request([command, "torcj"], str(tmp_path), {})
        assert request.names() == ["torcj"]


def test_requirements_files_follow_includes_options_and_env_vars(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.txt").write_text(
        "--extra-index-url https://corp/simple\nnumpy==1.26\n"
    )
    (tmp_path / "req.txt").write_text(
        "-r sub/base.txt\n-c constraints.txt\ntorch>=2.6 ; python_version > '3.8'  # ML\n"
        "pkg @ git+https://${GIT_HOST}/p.git\n-e ./local\n"
    )
    # a constraint forces the release it pins: decided as a requirement (red team 42b R42b-1)
    (tmp_path / "constraints.txt").write_text("scikit-lean==1.0\n")
    request = arguments.pip_request(
        ["install", "-rreq.txt"], str(tmp_path), {"GIT_HOST": "git.corp"}
    )
    assert request.problems == []
    assert [(r.name, r.kind) for r in request.requirements] == [
        ("numpy", "name"), ("scikit-lean", "name"), ("torch", "name"), ("pkg", "vcs"),
        (None, "path"),
    ]  # fmt: skip
    assert "git.corp" in request.requirements[3].text
    assert [s.url for s in request.sources] == ["https://corp/simple"]


def test_a_requirements_file_from_a_url_is_a_problem(tmp_path):
    request = arguments.pip_request(["install", "-r", "https://x/req.txt"], str(tmp_path), {})
    assert request.problems and "network" in request.problems[0]


def test_pip_config_and_environment_indexes_are_sources(tmp_path):
    home = tmp_path / "home"
    (home / ".config" / "pip").mkdir(parents=True)
    (home / ".config" / "pip" / "pip.conf").write_text(
        "[global]\nindex-url = https://mirror.corp/simple\n[install]\nextra-index-url =\n"
        "  https://a/simple\n  https://b/simple\n"
    )
    env = {
        "HOME": str(home),
        "XDG_CONFIG_DIRS": str(tmp_path),
        "PIP_EXTRA_INDEX_URL": "https://c/simple",
    }
    request = arguments.pip_request(["install", "x"], str(tmp_path), env)
    sources.add_implicit_sources(request, env, "/nonexistent/bin/python")
    urls = {s.url for s in request.sources}
    assert {
        "https://mirror.corp/simple",
        "https://a/simple",
        "https://b/simple",
        "https://c/simple",
    } <= urls
    env["PIP_CONFIG_FILE"] = "/dev/null"  # pip then reads no config file
    request = arguments.pip_request(["install", "x"], str(tmp_path), env)
    sources.add_implicit_sources(request, env, "/nonexistent/bin/python")
    assert {s.url for s in request.sources} == {"https://c/simple", sources.DEFAULT_INDEX}


def test_pip_config_trusted_host_and_cert_are_refused(tmp_path, data):
    """red7 R7-14: pip.conf ``trusted-host`` (TLS unchecked) and ``cert`` (other trust roots)
    refuse the install unless the policy lists them; ``client-cert`` and ``proxy`` do not."""
    home = tmp_path / "home"
    (home / ".config" / "pip").mkdir(parents=True)
    (home / ".config" / "pip" / "pip.conf").write_text(
        "[global]\ntrusted-host = pypi.org\n  files.pythonhosted.org\ncert = ca.pem\n"
        "client-cert = me.pem\nproxy = http://127.0.0.1:8888\n"
    )
    env = {"HOME": str(home), "XDG_CONFIG_DIRS": str(tmp_path)}
    request = arguments.pip_request(["install", "black"], str(tmp_path), env)
    sources.add_implicit_sources(request, env, "/nonexistent/bin/python", str(tmp_path))
    reasons = {f.reason for f in decide.decide(request, {}, data)}
    assert reasons == {
        "tls-unverified:pypi.org",
        "tls-unverified:files.pythonhosted.org",
        f"tls-ca:{tmp_path / 'ca.pem'}",
    }
    policy = {
        "dependencies": {
            "tls_unverified_hosts": ["pypi.org", "files.pythonhosted.org"],
            "ca_bundles": [str(tmp_path / "ca.pem")],
        }
    }
    assert decide.decide(request, policy, data) == []
    assert decide.looser({}, policy) == "dependencies.tls_unverified_hosts"


def test_condarc_ssl_verify_false_or_a_ca_path_is_refused(tmp_path, data):
    """red7 R7-14, conda: ``ssl_verify: false`` (no certificate checked) or a CA path in a
    .condarc refuses the install; ``true`` / ``truststore`` do not (kernel only: the static
    side reads no .condarc)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home)}
    reasons = {}
    for value in ("false", "/tmp/evil-ca.pem", "true", "truststore"):
        (home / ".condarc").write_text(f"channels:\n  - conda-forge\nssl_verify: {value}\n")
        request = arguments.conda_request("conda", ["install", "numpy"], str(tmp_path), env)
        sources.add_implicit_sources(request, env, "/nonexistent/bin/conda", str(tmp_path))
        reasons[value] = {f.reason for f in decide.decide(request, {}, data)}
    assert reasons == {
        "false": {"tls-unverified:every host"},
        "/tmp/evil-ca.pem": {"tls-ca:/tmp/evil-ca.pem"},
        "true": set(),
        "truststore": set(),
    }


def test_conda_channels_inline_and_from_environment_yml(tmp_path, data):
    (tmp_path / "environment.yml").write_text(
        "name: ml\nchannels:\n  - evil-channel\n  - conda-forge\ndependencies:\n  - numpy=1.26\n"
        "  - pip:\n    - torcj\n"
    )
    request = arguments.conda_request(
        "conda", ["env", "create", "-f", "environment.yml"], str(tmp_path), {}
    )
    assert [s.url for s in request.sources] == ["evil-channel", "conda-forge"]
    assert request.names() == ["numpy", "torcj"]
    rules = sorted(f.rule_id for f in decide.decide(request, {}, data))
    assert rules == ["install-imitation-name", "install-index-not-allowed"]
    inline = arguments.conda_request("mamba", ["install", "evil::numpy"], str(tmp_path), {})
    assert [s.url for s in inline.sources] == ["evil"]


def test_imitation_names_are_caught_and_real_packages_are_not():
    popular = PopularNames.load(data_path("top-packages.txt"))
    assert popular.imitated("torcj") == "torch"
    assert popular.imitated("scikit-lean") == "scikit-learn"
    assert popular.imitated("tranformers") == "transformers"
    assert popular.imitated("Scikit_Lean") == "scikit-learn"  # normalized first
    assert popular.imitated("nurnpy") == "numpy"  # rn looks like m
    for real in (
        "torchvision",
        "scikit-learn",
        "transformers",
        "torchaudio",
        "tokenizers",
        "torch",
    ):
        assert popular.imitated(real) is None
    assert popular.imitated("our-internal-feature-store") is None


def test_versions_order_as_pep_440():
    assert version_key("2.6") == version_key("2.6.0")
    assert version_key("2.6.0rc1") < version_key("2.6.0") < version_key("2.6.0.post1")
    assert version_key("2.6.0.dev1") < version_key("2.6.0a1")
    assert version_key("2.13.0+cpu") == version_key("2.13.0")
    assert version_key("not a version") is None


def test_the_snapshot_flags_known_vulnerable_versions():
    snapshot = AdvisorySnapshot.load(data_path("osv-snapshot.json"))
    assert snapshot.affecting("torch", "2.5.1") == ["GHSA-53q9-r3pm-6pq6"]
    assert snapshot.affecting("torch", "2.13.0+cpu") == []
    assert snapshot.affecting("Keras", "3.8.0") == ["GHSA-48g7-3x6r-xfhp", "GHSA-c9rc-mg46-23w3"]
    assert snapshot.affecting("keras", "2.15.0") == []
    assert snapshot.affecting("skops", "0.12.0") == ["CVE-2025-54886"]
    assert "GHSA-29pf-2h5f-8g72" in snapshot.affecting("transformers", "4.57.1")
    assert snapshot.affecting("transformers", "5.3.0") == []
    assert snapshot.affecting("torch", "garbage") == ["GHSA-53q9-r3pm-6pq6"]  # fail closed
    assert [e["id"] for e in snapshot.malicious("AIOHTT")] == ["MAL-2023-1578"]


def test_policy_lists_and_direct_references(data, tmp_path):
    request = arguments.pip_request(
        ["install", "leftpad", "https://download.pytorch.org/whl/cpu/torch-2.6.0-cp311-none-any.whl",
         "https://evil.example/torch-2.6.0-py3-none-any.whl", "torch==2.5.1"],
        str(tmp_path), {},
    )  # fmt: skip
    policy = {"dependencies": {"deny_packages": ["LeftPad"]}}
    found = [(f.rule_id, f.subject) for f in decide.decide(request, policy, data)]
    assert ("install-package-denied", "leftpad") in found
    assert ("install-vulnerable-version", "torch==2.5.1") in found
    direct = [s for r, s in found if r == "install-direct-reference"]
    assert direct == [
        "https://evil.example/torch-2.6.0-py3-none-any.whl"
    ]  # under a trusted index: fine


def test_missing_data_refuses_every_install(tmp_path):
    broken = DepsData(snapshot_path=str(tmp_path / "missing.json"))
    request = arguments.pip_request(["install", "numpy"], str(tmp_path), {})
    assert [f.rule_id for f in decide.decide(request, {}, broken)] == ["install-unreadable"]


def test_an_in_kernel_policy_cannot_loosen_the_install_settings():
    old = {"dependencies": {"deny_packages": ["x"]}}
    assert decide.looser(old, {}) == "dependencies.deny_packages"
    assert decide.looser({}, {"trusted_sources": {"package_indexes": ["https://evil/simple"]}})
    assert decide.looser({}, {"dependencies": {"allow_packages": ["torcj"]}})
    assert decide.looser(old, {"dependencies": {"deny_packages": ["x", "y"]}}) is None


def test_the_program_is_what_runs_not_what_argv0_says(tmp_path, data):
    from jupyterlab_warden.kernel.guard.installs.gate import _plain_event, _program_argv

    program, argv, _env, _cwd, _shell = _plain_event(
        "subprocess.Popen", ("/usr/bin/pip", ["ls", "install", "torcj"], None, None)
    )
    argv = _program_argv(program, argv)
    assert commands.may_install(argv[0])
    assert _tools(argv) == [("pip", ["install", "torcj"])]
    link = tmp_path / "harmless-name"
    link.symlink_to("/usr/bin/pip3")
    assert commands.may_install(str(link))
    assert _tools([str(link), "install", "x"]) == [("pip", ["install", "x"])]


@pytest.mark.parametrize(
    "argv",
    [
        ["timeout", "-s", "KILL", "60", "pip", "install", "x"],
        ["su", "ml", "-c", "pip install x"],
        ["busybox", "sh", "-c", "pip install x"],
    ],
)
def test_more_wrappers_are_seen_through(argv):
    assert _tools(argv) == [("pip", ["install", "x"])]


def test_a_requirements_file_that_is_not_a_regular_file_is_not_read(tmp_path):
    """-r /dev/stdin (a here-document) or a FIFO would block the kernel: refused instead."""
    fifo = tmp_path / "reqs"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/stdin"):
        request = arguments.pip_request(["install", "-r", path], str(tmp_path), {})
        assert len(request.problems) == 1, request.problems
        assert "not a regular file" in request.problems[0]


def test_environment_files_are_read_as_yaml_allows_or_refused(tmp_path):
    """List items at column 0 are read; a `pip:` flow list or a quoted key is refused rather
    than skipped; a `-r` inside `pip:` is found beside the environment file, where conda runs
    pip (red-team findings F8, F9)."""
    from jupyterlab_warden.kernel.guard.installs.arguments import conda_request

    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "environment.yml").write_text(
        "channels:\n- conda-forge\ndependencies:\n- numpy>=1.20\n- pip:\n  - -r requirements.txt\n"
    )
    (sub / "requirements.txt").write_text("scikit-lean\n")
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / "flow.yml").write_text('"dependencies":\n  - pip: [aiohtt==1.0]\n')

    read = conda_request("conda", ["env", "create", "-f", "sub/environment.yml"], str(tmp_path), {})
    assert [r.text for r in read.requirements] == ["numpy>=1.20", "scikit-lean"]
    assert [s.url for s in read.sources] == ["conda-forge"]
    assert read.problems == []

    flow = conda_request("conda", ["env", "create", "-f", "flow.yml"], str(tmp_path), {})
    assert flow.problems and "does not read" in flow.problems[0]


TRUNCATED = [
    "pip install --index-url https://x/simple -r req.txt -c c.txt --extra-index-url https://y "
    "-e git+https://z#egg=a torch==2.1",
    "uv pip install --index https://x -r r.txt --with-requirements w.txt --config-file u.toml t",
    "uv run --with a,b --script s.py --index-url https://x",
    "conda install -c conda-forge -n env --file f.txt numpy=1.2",
    "poetry add -G dev --source s numpy -C dir",
    "pipenv install -i https://x --pypi-mirror https://y -r r.txt numpy",
    "pipx install --index-url https://x --pip-args='-i https://y' --preinstall a --backend uv b",
    "pipx run --spec a --with b --index-url https://x app arg",
    "pipx inject -r r.txt --index-url https://x venv pkg",
    "pipx runpip venv install -i https://x pkg",
    "pipx upgrade --global -i https://x black",
    "pipx install --index-url https://x black",
    "conda run -n x pip install --index-url https://x a",
]


@pytest.mark.parametrize("text", TRUNCATED)
def test_a_truncated_command_line_is_read_without_raising(text, tmp_path, data):
    """red5 L1: a command cut anywhere (a valued option without its value, half an option)
    is read or refused by each reader, never raises (the gate's catch-all refuses too, but by
    accident)."""
    import shlex

    from jupyterlab_warden.kernel.guard.installs import gate

    words = shlex.split(text)
    for n in range(len(words) + 1):
        half = (
            [words[:n] + [words[n][:k]] for k in range(1, len(words[n]))] if n < len(words) else []
        )
        cuts = [words[:n]] + half
        for cut in cuts:
            try:
                found = commands.invocations(cut)
            except commands.Unreadable:
                continue
            for inv in found:
                request = gate._request(inv, {"HOME": str(tmp_path)}, str(tmp_path))
                if request is not None:
                    decide.decide(request, {}, data)


@pytest.mark.parametrize("word", ["p''ipx", "p\\ipx", 'co"n"da', "p\\\nip"])
def test_an_unparseable_shell_string_with_a_quoted_installer_word_is_refused(word):
    """red team 6 F15: bash runs the lines before a syntax error, and removes quotes and
    backslashes before it looks a program up; `p''ipx` is pipx to it."""
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(f"{word} install torcj\necho 'unterminated")
    assert commands.shell_invocations("echo hello\necho 'unterminated") == []


@pytest.mark.parametrize(
    "script, args",
    [
        ("uv pip install x \\\n -i https://evil.example/simple", ["pip", "install", "x", "-i"]),
        ("echo hi # a note\nuv pip install -i https://evil.example/simple x", ["pip", "install"]),
        ("echo # a note \\\nuv pip install -i https://evil.example/simple x", ["pip", "install"]),
    ],
)
def test_shell_lines_are_split_and_joined_as_bash_does(script, args):
    """A backslash-newline joins two lines; a comment ends at its newline, the next line is a
    command (shlex's comment reading glued it onto the comment's command)."""
    found = commands.shell_invocations(script)
    assert [i.tool for i in found] == ["uv"]
    assert found[0].args[: len(args)] == args and "https://evil.example/simple" in found[0].args


def test_uv_run_option_table_is_uvs_help():
    """schema/uv-run-cli.json is what scripts/uv-run-cli-table.py derives from the kept
    `uv run --help` of uv 0.13.9 (red7 R7-12: a flag read as valued swallowed the target)."""
    import runpy
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    script = runpy.run_path(str(repo / "scripts" / "uv-run-cli-table.py"))
    assert (repo / "schema" / "uv-run-cli.json").read_text() == script["text"]()
    valued, flags = arguments.uv_run_table()
    assert {"-m", "--module", "-s", "--script", "--gui-script"} <= flags
    assert {"--env-file", "-w", "--with", "-p", "--python"} <= valued
    assert not valued & flags


def test_uv_option_table_is_uvs_help():
    """schema/uv-cli.json is what scripts/uv-cli-table.py derives from the kept help of the uv
    0.13.9 commands Warden reads (red9 R9-3: uv's own `--requirements` was read as a flag)."""
    import runpy
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    script = runpy.run_path(str(repo / "scripts" / "uv-cli-table.py"))
    assert (repo / "schema" / "uv-cli.json").read_text() == script["text"]()
    table = script["table"]((repo / "scripts" / "uv-cli-help-0.13.9.txt").read_text())
    assert {"--requirements", "--overrides", "--with-executables-from"} <= set(table["valued"])
    assert {"--requirement", "--constraint", "--override"} <= set(table["aliases"].values())
    assert {"-U", "--system", "--no-cache"} <= set(table["flags"])


@pytest.mark.parametrize("name", ["x.py", "x.pyw", "tool"])
@pytest.mark.parametrize("flag", [[], ["--script"]])
def test_uv_run_of_a_fifo_is_refused(tmp_path, name, flag):
    """uv reads a script from a named pipe given as its target (red7 R7-3): Warden cannot read
    it without blocking, so the run is refused, never decided as a plain command."""
    os.mkfifo(tmp_path / name)
    request = arguments.uv_request(["run", "--no-project", *flag, name], str(tmp_path), {})
    assert request is not None and any("pipe, device" in p for p in request.problems)


@pytest.mark.parametrize("name", ["python3", "python3.11", "nice", "env", "time", "sudo", "bash"])
def test_a_link_to_uv_named_like_python_a_wrapper_or_a_shell_is_read_as_uv(tmp_path, name):
    # red team 8 R8-12: uv ignores its argv[0]; the link is classified by its target
    uv = tmp_path / "bin" / "uv"
    uv.parent.mkdir()
    uv.write_text("")
    uv.chmod(0o755)
    link = tmp_path / name
    link.symlink_to(uv)
    assert _tools([str(link), "pip", "install", "x"])[0] == ("uv", ["pip", "install", "x"])
    found = commands.shell_invocations(f"{link} sync", 0, {})
    assert [(i.tool, i.args) for i in found] == [("uv", ["sync"])]
    # a bare name found on the command's PATH is resolved too
    found = commands.shell_invocations(f"PATH={tmp_path} {name} sync", 0, {})
    assert [(i.tool, i.args) for i in found] == [("uv", ["sync"])]


def test_a_link_between_interpreters_or_to_busybox_keeps_its_reading(tmp_path):
    python = tmp_path / "python3.11"
    python.write_text("")
    (tmp_path / "python3").symlink_to(python)
    assert _tools([str(tmp_path / "python3"), "-m", "pip", "install", "x"]) == [
        ("pip", ["install", "x"])
    ]
    # a link to busybox is read by its own name (multi-call), as the shell it is when the
    # busybox is the machine's; a busybox file of the notebook's is no shell by its name
    # (fix67shebang, R54b-5: it may be any program), so its installer words are refused
    machine = shutil.which("busybox", path="/usr/sbin:/usr/bin:/sbin:/bin")
    if machine:
        (tmp_path / "sh").symlink_to(machine)
        assert _tools([str(tmp_path / "sh"), "-c", "pip install x"]) == [("pip", ["install", "x"])]
        (tmp_path / "sh").unlink()
    busybox = tmp_path / "busybox"
    busybox.write_text("")
    (tmp_path / "sh").symlink_to(busybox)
    with pytest.raises(commands.Unreadable, match="may run an installer named in its"):
        _tools([str(tmp_path / "sh"), "-c", "pip install x"])


def test_a_python_started_with_an_environment_without_the_guard_is_read_as_guardless(
    monkeypatch,
):
    # red team 8 R8-17: subprocess.run([python, "-c", CODE], env={...}) loses the guard's
    # PYTHONPATH entry; the kernel (which has it) reads that Python as `-I`
    from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    monkeypatch.setenv("PYTHONPATH", SITE_DIR)
    argv = ["python3", "-c", "import os; os.system('uv pip install black')"]
    guarded = read_requests(argv, None, {"PYTHONPATH": SITE_DIR}, "/")
    assert not any(r.problems for r in guarded)
    dropped = read_requests(argv, None, {"PATH": "/usr/bin"}, "/")
    assert any("without Warden's guard" in p for r in dropped for p in r.problems)


@pytest.mark.parametrize(
    ("changed", "why"),
    [
        ({}, ""),
        ({"PYTHONHOME": "/tmp/h"}, "PYTHONHOME"),
        ({"PATH": "/tmp/bin"}, "PATH"),
        ({"PYTHONPATH": "/tmp"}, "PYTHONPATH"),
        ({"PYTHONPATH": "/tmp" + os.pathsep + SITE_DIR}, "PYTHONPATH"),  # its sitecustomize wins
    ],
)
def test_a_shell_started_with_python_variables_or_path_changed_leaves_no_pip_to_the_guard(
    monkeypatch, changed, why
):
    """subprocess.run(LINE, shell=True, env={..., "PYTHONHOME": ...}): the pip the line starts
    after a writer may run without the guard, so the parent's early read must not decide it
    (the pip's problem, or, where its console script's own Python start is unreadable since
    red team 32, the line's)."""
    monkeypatch.setenv("PYTHONPATH", SITE_DIR)
    env = dict(os.environ, **changed)
    try:
        [pip] = commands.shell_invocations(
            "echo torcj > r.txt; pip install -r r.txt", 0, commands.guard_env(env)
        )
        problem = pip.problem
    except commands.Unreadable as exc:
        problem = str(exc)
    assert (why in problem and "without Warden's guard" in problem) if why else not problem


@pytest.mark.parametrize("children_guarded", [True, False])
def test_a_pip_after_a_writer_is_left_to_the_guard_only_where_children_inherit_one(
    monkeypatch, tmp_path, children_guarded
):
    """A kernel without the launch guard (the guarded kernelspec, guard.install()) hands its
    children no guard (red9 R9-5): a pip after a writer on its shell line would install the
    rewritten file unguarded, so the parent refuses it; with the launch guard pip decides it."""
    from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, read_requests
    from jupyterlab_warden.kernel.guard.state import GuardState

    (tmp_path / "r.txt").write_text("numpy\n")
    monkeypatch.setenv("PYTHONPATH", SITE_DIR if children_guarded else "")
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")  # a kernel's own Python variable: no change
    # the snapshot the gate itself takes when the guard is installed (red10 R10-2: it kept
    # no PATH, so every pip after a writer in a launched kernel was read as losing the guard)
    launch = InstallGate(GuardState({"schema_version": 1})).launch
    assert launch.children_guarded is children_guarded
    lines = [
        "echo torcj > r.txt; pip install -r r.txt",
        "git clone https://github.com/o/proj && cd proj && pip install -e .",
        "wget -q https://example.org/data.zip && pip install numpy",
    ]
    for line in lines:
        requests = read_requests(None, line, dict(os.environ), str(tmp_path), "unknown", launch)
        pips = [r for r in requests if r.tool == "pip"]
        assert pips, line
        for request in pips:
            if children_guarded:
                assert request.problems == [], (line, request.problems)
            else:
                assert any("without Warden's guard" in p for p in request.problems), line
    # the same start with PATH changed against the kernel's start: not left to the guard when
    # the pip it finds cannot host it (a script dropping PYTHONPATH); a folder without a pip
    # first (red11 R11-20: CUDA's bin) leaves the same pip as before (test_path_prepend.py)
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "pip").write_text('#!/bin/sh\nPYTHONPATH= exec python3 -m pip "$@"\n')
    (tools / "pip").chmod(0o755)
    (tmp_path / "cuda").mkdir()
    for folder, lost in ((tools, True), (tmp_path / "cuda", False)):
        changed = dict(os.environ, PATH=f"{folder}:{os.path.dirname(sys.executable)}:/usr/bin")
        [request] = read_requests(None, lines[0], changed, str(tmp_path), "unknown", launch)
        lost = lost or not children_guarded
        assert any("without Warden's guard" in p for p in request.problems) is lost, folder
    # a tuning variable the kernel set after its start (red11 R11-20: os.environ[...] = ...
    # in a cell refused every pip after a writer): the pip keeps its guard; PYTHONHOME does not
    for name, lost in (
        ("PYTHONHASHSEED", False),
        ("PYTHONIOENCODING", False),
        ("PYTHONHOME", True),
    ):
        tuned = dict(os.environ, **{name: "utf-8" if name != "PYTHONHASHSEED" else "42"})
        [request] = read_requests(None, lines[1], tuned, str(tmp_path), "unknown", launch)
        problems = [p for p in request.problems if "without Warden's guard" in p]
        assert bool(problems) is (lost or not children_guarded), (name, request.problems)
    # a launch variable set, exported or unset on the line: the child guard would enforce
    # another policy (red10 R10-1), so the pip is not left to it
    swaps = [
        "WARDEN_POLICY_FILE=mine.json WARDEN_POLICY_SHA256= pip install -r r.txt",
        "export WARDEN_POLICY_FILE=mine.json; pip install -r r.txt",
        "unset WARDEN_POLICY_SHA256; pip install -r r.txt",
        "WARDEN_KERNEL_KEY_FILE=/tmp/k pip install -r r.txt",
    ]
    for swap in swaps if children_guarded else []:
        line = "echo torcj > r.txt; " + swap
        [request] = read_requests(None, line, dict(os.environ), str(tmp_path), "unknown", launch)
        # refused as an install (red team 45b R45b-1), the launch variable named
        lost = [p for p in request.problems if "without Warden's guard" in p and "WARDEN_" in p]
        assert lost, (swap, request.problems)


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("pip install -r ~/r.txt", "/h/r.txt"),  # bash expands an unquoted ~
        ("pip install -r '~/r.txt'", "~/r.txt"),  # quoted: pip reads ./~/r.txt (red8 R8-6)
        ('uv pip install -r "~/r.txt"', "~/r.txt"),
        ("pip install -r \\~/r.txt", "~/r.txt"),
    ],
)
def test_a_tilde_is_expanded_as_bash_does(line, path):
    found = commands.shell_invocations(line, 0, {"HOME": "/h"})
    assert found[0].args[-1] == path


def test_a_tilde_word_written_both_quoted_and_unquoted_is_unreadable():
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations("uv run '~/x.py' && uv run ~/x.py", 0, {"HOME": "/h"})


def test_a_link_to_python_under_an_unknown_launcher_counts_as_python_written_out(tmp_path):
    """A venv's bin/python is a link to the interpreter: under a launcher Warden does not read
    (`setpriv ... .venv/bin/python -m jupyter_server`) it was read as naming an installer and
    refused (CI, tests/posture); as a Python it counts only with a flag that drops the guard.
    A link to uv under any name still names uv (red9 R9-10)."""
    python = tmp_path / "python"
    python.symlink_to(os.path.realpath(sys.executable))
    disguised = tmp_path / "ls"
    disguised.symlink_to(os.path.realpath(sys.executable))
    (tmp_path / "real").mkdir()
    uv = tmp_path / "real" / "uv"
    uv.write_text("#!/bin/sh\n")
    tool = tmp_path / "tool"
    tool.symlink_to(uv)
    assert not commands.names_installer(["--reuid=1", str(python), "-m", "jupyter_server"])
    assert commands.names_installer([str(python), "-I", "-c", "print()"])
    assert commands.names_installer([str(disguised), "-E", "x.py"])
    assert not commands.names_installer([str(disguised), "x.py"])
    assert commands.names_installer([str(tool), "pip", "install", "x"])
