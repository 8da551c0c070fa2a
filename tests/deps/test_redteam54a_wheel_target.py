"""Red team 54a R54a-4: an install writes files where it installs (``--target``, ``--prefix``,
``--root``, a venv's site), and a wheel's files are whatever its author put there: ``uv pip
install --no-index --find-links w --target . kit && uv pip install -r r.txt``. The kit wheel
(a local release no record lists: allowed) carries a top-level ``r.txt`` holding
``--index-url`` of the test index (a host the policy refuses); installed with ``--target .``,
it lands in the folder the line runs in. No build code runs (unlike R54a-1): a plain wheel.

Root cause: ``commands._may_write`` -> ``_plain_install`` (commands.py:2056-2080; the static
twin src/deps/commands.ts ``plainInstall``) counts every uv/conda install and pip install as
writing nothing a later install reads, and ``_write_places`` is not called for it, so the
later uv is read with r.txt as it was before the line (an empty file) while uv reads the
one the wheel just put there. FAILS today.
"""

import shutil
import sys

from local_index import build_wheel

UV = f"{{uv}} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "


def _cell(kernel) -> str:
    build_wheel(
        kernel.work / "w",
        "rt54a-kit",
        extra={"r.txt": f"--index-url {kernel.index.simple}\nwarden-demo-pkg\n"},
    )
    (kernel.work / "r.txt").write_text("# nothing yet\n")
    for left in kernel.work.glob("rt54a_kit*"):  # a kit installed by an earlier run
        shutil.rmtree(left)
    line = f"{UV}--no-index --find-links w --target . rt54a-kit && {UV}--target {{target}} -r r.txt"
    return f"import os\nos.system({line!r})\n"


def test_a_wheel_installed_into_the_folder_writes_the_later_requirements(kernel):
    code = _cell(kernel)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    code = _cell(kernel)  # r.txt as it was before the line
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
