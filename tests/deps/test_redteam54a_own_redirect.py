"""Red team 54a R54a-3: an install's OWN redirection writes (empties) a file the install reads
before the install starts: ``uv pip install ... -r r.txt PKG 2>r.txt``. The shell opens
``2>r.txt`` (truncating it) before it runs uv, so uv reads an empty r.txt, while Warden decided
the install with r.txt as it was before the line.

The line's writer rule counts only EARLIER commands and redirections: in
``commands.shell_invocations`` a command's invocations get ``line.problem(...)`` (commands.py
~906-921) before its own ``writes`` are applied to the line (~930-942); the same order in
src/deps/commands.ts. Here r.txt says ``--no-index`` and ``--find-links w`` (a local folder
holding the demo wheel): read with it, the ``--index-url`` of the line is not used and the
install is allowed; run, r.txt is empty and uv fetches from that index, a host the policy
refuses. FAILS today.
"""

import sys

from local_index import build_wheel

REQS = "--no-index\n--find-links w\n"


def _cell(kernel, redirect: str) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    line = (
        "{uv} pip install -q --no-config --no-cache --no-deps "
        f"--python {sys.executable} --target {{target}} --index-url {{index}} "
        f"-r r.txt warden-demo-pkg {redirect}"
    )
    return f"import os\nopen('r.txt', 'w').write({REQS!r})\nos.system({line!r})\n"


def test_control_read_with_its_file_the_install_is_allowed_and_local(kernel):
    """Without the redirection (passes today): allowed, from the local folder only."""
    kernel.reset()
    result = kernel.cell(_cell(kernel, ""), launched=True)
    assert result["refused"] is None and kernel.installed(), result
    assert not kernel.index.requests, result


def test_an_install_whose_own_redirection_empties_its_file_is_refused(kernel):
    code = _cell(kernel, "2>r.txt")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
