"""Red team 45c R45c-7 (static MISS, proof in src/deps/condamagic.redteam45c.spec.ts): the
kernel's side of ``%conda`` / ``%mamba`` lines whose quotes or escapes IPython drops.

Controls only (they pass today): IPython's own ``PackagingMagics._run_command`` builds the
shell line (``shlex.split`` then an unquoted join), which runs ``pip install torcj`` after
conda; the kernel reads that line (what ``shell.system`` starts: ``/bin/sh -c LINE``) and
refuses it. warden-scan reads the magic's text as written and calls the cell clean."""

import os

import pytest
from IPython.core.magics.packaging import PackagingMagics

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData


class _Shell:
    kernel = object()  # as in a kernel: stdin disabled, IPython adds --yes

    def __init__(self):
        self.lines = []

    def system(self, line):
        self.lines.append(line)


def _built(tool: str, line: str) -> str:
    magics = PackagingMagics.__new__(PackagingMagics)
    magics.shell = _Shell()
    magics._run_command(tool, line)
    return magics.shell.lines[0]


@pytest.mark.parametrize(
    "tool, line",
    [
        ("conda", 'install "numpy && pip install torcj"'),
        ("mamba", "install numpy\\ ;pip\\ install\\ torcj"),
        ("conda", "'install;pip' install torcj"),
    ],
)
def test_r45c_7_ipython_runs_pip_and_the_kernel_refuses(tmp_path, tool, line):
    built = _built(tool, line)
    assert "pip install torcj" in built and '"' not in built and "\\" not in built
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    rules = set()
    for request in gate.read_requests(["/bin/sh", "-c", built], None, env, str(tmp_path)):
        rules |= {f.rule_id for f in decide.decide(request, {"schema_version": 1}, DepsData())}
    assert "install-imitation-name" in rules, (built, rules)
