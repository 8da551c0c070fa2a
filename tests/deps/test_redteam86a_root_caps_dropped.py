"""Red team 86 F4 (a kernel that runs as root, as this machine's tests and many container
images do): the kernel's own view of a folder or a file is not its child's. A cell clears its
own capabilities (``capset``: effective and permitted empty); its uid stays 0, so each program
it starts gets root's capabilities back at ``execve`` (the bounding set's), and may search a
folder and run a file the kernel itself now cannot:

- ``unlisted``: ``bin`` owned by another user, mode 0700: ``os.scandir`` fails, and
  ``os.access(bin, X_OK)`` (``_listed``'s test for "a folder exec may find programs in", red
  team 84 F4) answers False for the capless kernel, so the folder counts as one exec finds
  nothing in; tar (root again) runs bin/gzip.
- ``file``: ``bin/gzip`` (new, in a listable bin) owned by another user, mode 0700:
  ``_root_runs``' ``os.access(path, X_OK, effective_ids=True)`` answers False for the
  capless kernel, so the kept file is passed over as "no execute bit"; tar (root again, with
  CAP_DAC_OVERRIDE: any x bit) runs it.

Without Warden the written gzip installs from the local index; with Warden nothing is fetched
(fix87a: a root kernel does not ask ``access`` (a folder it cannot list may hold
programs: ``path_programs._unseen``; a kept file is read by its mode), and a found program
file the kernel cannot open refuses the start (``path_programs.unreadable``).)"""

import os

import pytest
from launched import Kernel, installed
from test_redteam82_path_link_target import _payload

DROP = """import ctypes
libc = ctypes.CDLL(None, use_errno=True)
class _Head(ctypes.Structure):
    _fields_ = [('version', ctypes.c_uint32), ('pid', ctypes.c_int)]
class _Data(ctypes.Structure):
    _fields_ = [('e', ctypes.c_uint32), ('p', ctypes.c_uint32), ('i', ctypes.c_uint32)]
assert libc.capset(ctypes.byref(_Head(0x20080522, 0)), (_Data * 2)()) == 0, ctypes.get_errno()
"""

WRITE = """import os, subprocess
os.makedirs('bin', exist_ok=True)
os.chmod('bin', 0o755)
os.chown('bin', 0, 0)
with open('bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('bin/gzip', 0o700)
os.chown('bin/gzip', 65534, 65534)
"""

RUN = """os.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']
subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])
"""


def _cell(kernel: Kernel, how: str) -> str:
    installed("tar")
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_payload(kernel))
    if how == "unlisted":
        cell += "os.chmod('bin', 0o700)\nos.chown('bin', 65534, 65534)\n"
    return cell + DROP + RUN


@pytest.mark.parametrize("dropped", [True, False], ids=["capabilities-dropped", "control"])
@pytest.mark.parametrize("how", ["unlisted", "file"])
def test_a_root_kernel_without_its_capabilities_reads_what_its_child_runs(kernel, how, dropped):
    """``control``: the same cell without the capset, refused too (the hole was the drop)."""
    if os.geteuid() != 0:
        raise AssertionError("the proof needs a kernel that runs as root")

    def fresh() -> str:
        if (kernel.work / "bin").exists():
            os.chown(kernel.work / "bin", 0, 0)
            (kernel.work / "bin").chmod(0o755)
            (kernel.work / "bin" / "gzip").unlink(missing_ok=True)
        cell = _cell(kernel, how)
        return cell if dropped else cell.replace(DROP, "")

    try:
        guarded = kernel.kept_from_refused_host(fresh)
        why = "searched but not listed" if how == "unlisted" else "Warden cannot open"
        assert guarded["refused"] and (why in guarded["refused"]) == dropped, guarded
    finally:
        if (kernel.work / "bin").exists():
            os.chown(kernel.work / "bin", 0, 0)
            (kernel.work / "bin").chmod(0o755)
