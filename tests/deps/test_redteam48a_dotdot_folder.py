"""Red team 48a R48a-2: a Popen ``cwd`` with a link and ``..`` runs the child elsewhere than
the folder Warden read its relative files in.

R47a-3 (fix55start) hands ``fork_exec`` the folder the gate read: ``gate.check`` notes
``os.path.normpath(os.path.join(getcwd(), cwd))``, a LEXICAL normalisation, and
``decided_start._checked`` hands that text to the child. The readers (``decide_command`` with
the raw ``cwd``) open ``cwd/r.txt`` through the system, which resolves ``lnk/..`` as the link's
target's parent. With ``lnk`` a link to ``other/deep``:

* Warden reads ``lnk/../x/r.txt`` = ``other/x/r.txt`` (harmless: a comment) and allows;
* the child is handed ``normpath`` = ``work/x`` and uv reads ``work/x/r.txt``: an install of
  warden-demo-pkg from the test index, which the kernel's policy does not trust.

(Without Warden, Popen's own ``chdir("lnk/../x")`` runs uv in ``other/x``: Warden also changes
where the child runs.) Controls: ``work/x/r.txt`` installs without Warden and is refused with
Warden when named as ``cwd="x"``. FAILS today: ``cwd="lnk/../x"`` installs under Warden.
"""

import sys

from real_uv import real_uv


def _folders(kernel) -> None:
    work = kernel.work
    (work / "x").mkdir()
    (work / "x" / "r.txt").write_text(f"--index-url {kernel.index.simple}\nwarden-demo-pkg\n")
    other = work.parent / "other"
    (other / "deep").mkdir(parents=True)
    (other / "x").mkdir()
    (other / "x" / "r.txt").write_text("# nothing to install\n")
    (work / "lnk").symlink_to(other / "deep")


def _cell(kernel, cwd: str) -> str:
    argv = [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps",
            "--python", sys.executable, "--target", str(kernel.target), "-r", "r.txt"]  # fmt: skip
    code = f"import subprocess\nsubprocess.run({argv!r}, cwd={cwd!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def test_the_requirements_file_named_plainly_is_refused(kernel):
    """The control: work/x/r.txt installs without Warden, refused with it."""
    _folders(kernel)
    kernel.proves(_cell(kernel, "x"))


def test_a_link_and_dotdot_in_cwd_runs_uv_where_warden_did_not_read(kernel):
    _folders(kernel)
    kernel.reset()
    guarded = kernel.cell(_cell(kernel, "lnk/../x"), launched=True)
    assert kernel.index.requests == [] and not kernel.installed(), (
        "installed under Warden from work/x/r.txt",
        kernel.index.requests,
        guarded,
    )
