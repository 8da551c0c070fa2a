"""Red team 43a R43a-4: ``-r file:/abs/req.txt`` is read by Warden at another path than pip's.

pip 23.2 (``req_file.get_file_content``) fetches a requirements file whose name has the
scheme ``file`` through its session (``LocalFSAdapter``): ``file:/W/real.txt`` (one slash, no
``://``) opens ``/W/real.txt``. Warden (``requirements.read_file``) treats only a name holding
``://`` as a URL and joins anything else to the working folder: it reads
``<cwd>/file:/W/real.txt``, a file the cell writes (a folder named ``file:``). pip's own read
is decided again in pip's process (``gate.pip_file_wrapper`` -> ``decide_file_content``), but
only for indexes, find-links and direct references: names "were decided on the earlier read"
(``read_text(..., constraint=True)``), which was the decoy's. So the decoy names
warden-demo-pkg, the file pip installs from names ``aiohtt`` (a known-malicious name in the
shipped OSV snapshot), and pip installs aiohtt. The control: ``-r real.txt`` is refused.
FAILS today.
"""

import sys

from listed_release import write_policy


def _cell(name: str) -> str:
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-cache-dir", "--no-deps",
            "--target", "{target}", "--index-url", "{index}", "-r"]  # fmt: skip
    return f"import os, shlex\nos.system(shlex.join({argv!r} + [{name}]))\n"


def _files(kernel) -> str:
    (kernel.work / "real.txt").write_text("aiohtt\n")
    real = str(kernel.work / "real.txt")
    decoy = kernel.work / ("file:" + real)  # <cwd>/file:/W/real.txt
    decoy.parent.mkdir(parents=True)
    decoy.write_text("warden-demo-pkg\n")
    return real


def test_control_the_file_by_its_path_is_refused(kernel):
    write_policy(kernel)
    _files(kernel)
    kernel.reset()
    guarded = kernel.cell(_cell("'real.txt'"), launched=True)
    assert guarded["refused"] and "aiohtt" in guarded["refused"], guarded
    assert not kernel.installed("aiohtt"), guarded


def test_a_file_scheme_requirements_name_is_read_where_pip_opens_it(kernel):
    write_policy(kernel)
    real = _files(kernel)
    code = _cell(repr("file:" + real))
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed("aiohtt") and not kernel.installed(), plain  # pip read real.txt
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not kernel.installed("aiohtt"), ("installed under Warden", guarded)
