"""Red team 45b R45b-2: pip's in-process decision is keyed on the command's NAME.

``gate.pip_parse_args_wrapper`` decides an install on pip's resolved options only when
``self.name in PIP_INSTALLING`` (``install``, ``download``, ``wheel``, ``lock``). The name is
an instance attribute the caller chooses: ``InstallCommand("inst", "x")`` (or
``create_command("install")`` with ``.name`` reassigned) parses the same options through the
same wrapped ``Command.parse_args`` and runs the same install, and nothing decides it: not
the names (deny list, known-malicious, imitation), not the index, not ``pip_links.unchecked``.
What still holds is the per-link host check (``pip_links``), so the proof uses a TRUSTED index
(the test index, trusted by the policy) and a name the policy's deny list refuses.

The cell runs in the kernel (pip in-process, as the docstring's ``create_command("install").
main(...)``); the same runs in any guarded child (``python -c``), where the kernel leaves the
code to the child's guard. The control: ``create_command("install")`` is refused today.
FAILS today (installed under Warden).
"""

import json

ARGS = (
    "['-q', '--no-cache-dir', '--target', '{target}', '--index-url', '{index}', 'warden-demo-pkg']"
)
CONTROL = (
    f"from pip._internal.commands import create_command\ncreate_command('install').main({ARGS})\n"
)
RENAMED = (
    "from pip._internal.commands.install import InstallCommand\n"
    f"InstallCommand('inst', 'an install by another name').main({ARGS})\n"
)


def _policy(kernel) -> None:
    policy = {
        "schema_version": 1, "revision": 3,
        "trusted_sources": {"package_indexes": [kernel.index.simple]},
        "dependencies": {"deny_packages": ["warden-demo-pkg"],
                         "tls_unverified_hosts": ["127.0.0.1"]},
    }  # fmt: skip
    kernel.policy.write_text(json.dumps(policy))


def test_control_create_command_install_of_a_denied_name_is_refused(kernel):
    _policy(kernel)
    kernel.reset()
    guarded = kernel.cell(CONTROL, launched=True)
    assert "deny list" in str(guarded), guarded
    assert not kernel.installed(), guarded


def test_an_install_command_under_another_name_is_decided(kernel):
    _policy(kernel)
    kernel.reset()
    plain = kernel.cell(RENAMED, launched=False)
    assert kernel.installed(), plain
    kernel.reset()
    guarded = kernel.cell(RENAMED, launched=True)
    assert not kernel.installed(), ("installed under Warden", guarded)


def test_the_same_in_a_guarded_child_python(kernel):
    """``python -c`` with the renamed command: the kernel leaves a guarded child's code to its
    own guard, which decides nothing either."""
    _policy(kernel)
    inner = RENAMED.replace("{target}", str(kernel.target)).replace("{index}", kernel.index.simple)
    code = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {inner!r}])\n"
    code = code.replace("{", "{{").replace("}", "}}")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed(), plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not kernel.installed(), ("installed under Warden", guarded)
