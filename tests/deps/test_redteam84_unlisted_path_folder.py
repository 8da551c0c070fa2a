"""Red team 84 F4: a PATH folder the kernel's user may search but not list (``chmod 0311
bin``) hid a program written there from ``path_programs``: ``os.scandir`` failed, the listing
held no file, and ``new_programs`` found nothing at every start, while exec finds ``bin/gzip``
by name (tar runs gzip). Now such a folder is told apart (``_listed``: searchable, not
listable) and a start whose PATH holds it is refused, by the gate and by a shell line's
reading of its own PATH.

The kernel runs without the capabilities that let root read any folder (``setpriv``: uid 0,
no CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH), as a kernel of an ordinary user does: the folder's
owner bits decide. Without Warden the written gzip installs from the local index; with Warden
the start is refused before anything is fetched."""

import os
import shutil
import sys

import pytest
from launched import Kernel, installed
from real_uv import real_uv
from test_redteam18_path import PERL

LINE_PATH = f"bin:{os.path.dirname(real_uv())}:/usr/bin:/bin"
WRITE = """with open('bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('bin/gzip', 0o755)
os.chmod('bin', 0o311)  # searched, not listed
"""


@pytest.fixture
def capless(tmp_path, index):
    """A kernel whose Python starts without root's file capabilities."""
    if shutil.which("setpriv") is None:
        raise AssertionError("setpriv (util-linux) is needed")
    wrapper = tmp_path / "python-capless"
    wrapper.write_text(
        f'#!/bin/sh\nexec setpriv --inh-caps=-all --bounding-set=-all -- {sys.executable} "$@"\n'
    )
    wrapper.chmod(0o755)
    kernel = Kernel(tmp_path, index, python=str(wrapper))
    yield kernel
    (kernel.work / "bin").chmod(0o755)  # the test's own cleanup may list it


def _payload(kernel) -> str:
    installed("perl")
    text = PERL.format(py=sys.executable, target=kernel.target, index=kernel.index.simple)
    return text.replace("exit 0;", f"exec({installed('gzip')!r}, @ARGV);")


def _cell(kernel, how: str) -> str:
    installed("tar")
    (kernel.work / "bin").mkdir(exist_ok=True)
    (kernel.work / "bin").chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")
    write = "import os, subprocess\n" + WRITE.format(payload=_payload(kernel))
    if how == "cell":
        write += 'os.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'
        return write + "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n"
    return write + f"os.system('PATH={LINE_PATH} tar czf o.tgz a.txt')\n"


@pytest.mark.parametrize("how", ["cell", "line"])
def test_a_program_in_a_path_folder_warden_cannot_list_is_refused(capless, how):
    def fresh() -> str:
        if (capless.work / "bin").exists():
            (capless.work / "bin").chmod(0o755)
            (capless.work / "bin" / "gzip").unlink(missing_ok=True)
        return _cell(capless, how)

    guarded = capless.kept_from_refused_host(fresh)
    assert guarded["refused"] and "searched but not listed" in guarded["refused"], guarded


def test_a_listable_path_folder_runs_as_before(capless):
    """The same kernel, the folder readable: an older program there runs; nothing installs."""
    (capless.work / "bin").mkdir()
    code = (
        'import os, subprocess\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'
    )
    code += "os.chmod('bin', 0o755)\nsubprocess.run(['true'], check=True)\n"
    result = capless.cell(code, launched=True)
    assert result["refused"] is None, result
    assert not capless.installed()
