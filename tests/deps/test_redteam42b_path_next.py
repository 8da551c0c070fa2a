"""Red team 42b R42b-5: the program a bare name runs is the first file on PATH that EXECS, not
the first that exists.

``subprocess`` (``_posixsubprocess``'s child) and ``os.execvp`` try every folder of PATH in
turn and go on after ANY failed ``execve``, not only a missing file: an executable file that is
no program (empty, no ``#!``: ENOEXEC; a ``#!`` naming a missing interpreter: ENOENT) is passed
over and the next folder's file of that name runs. Warden resolves the name with
``shutil.which`` (commands._which, fastpath): the first executable file, and decides the start
as that file. A cell that puts an empty executable ``echo`` first on PATH and a link
``echo`` -> uv in the next folder runs ``echo pip install ...`` as uv (no guard of its own:
any package, any index), while Warden decides ``echo``, whose words are data (R9-10), and reads
the link as a new PATH program with no words (nothing installed). The proofs install a release
the policy lists as known-malicious; the control puts only the link on PATH: refused as uv.
"""

import sys

import pytest
from listed_release import DEMO, demo_index, record, write_policy
from real_uv import real_uv

index = demo_index("index42b5")


HIJACKED = record("MAL-2099-42")


def _cell(first: str, name: str = "x") -> str:
    """``first``: what the first PATH folder's ``name`` holds (an executable file that fails to
    exec); the second folder's ``name`` is a link to the real uv."""
    words = [name, "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps"]
    words += ["--python", sys.executable, "--target", "{target}", "--index-url", "{index}"]
    words += [f"{DEMO}==0.9"]
    return (
        "import os, subprocess\n"
        "os.makedirs('b1'); os.makedirs('b2')\n"
        f"open('b1/{name}', 'w').write({first!r}); os.chmod('b1/{name}', 0o755)\n"
        f"os.symlink({real_uv()!r}, 'b2/{name}')\n"
        "os.environ['PATH'] = os.path.abspath('b1') + ':' + os.path.abspath('b2') + ':' "
        "+ os.environ['PATH']\n"
        f"subprocess.run({words!r}, check=True)\n"
    )


@pytest.mark.parametrize("name", ["echo", "ls"])
def test_r42b_5_a_program_passed_over_by_exec_is_not_the_one_decided(kernel, name):
    write_policy(kernel, HIJACKED)
    code = _cell("", name)  # an empty executable file: execve fails with ENOEXEC
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # uv ran as `x`
    assert list(kernel.target.glob("warden_demo_pkg-0.9.dist-info"))
    import shutil

    shutil.rmtree(kernel.work / "b1"), shutil.rmtree(kernel.work / "b2")
    kernel.reset()
    result = kernel.cell(code, launched=True)
    assert not kernel.installed(), result  # FAILS today: the listed release installed
    assert result["refused"], result


def test_r42b_5_control_a_missing_interpreter_first_is_refused(kernel):
    """Held today: a ``#!`` naming a missing interpreter first on PATH (ENOENT, passed over
    alike) is refused by Warden's reading of that file."""
    write_policy(kernel, HIJACKED)
    kernel.reset()
    result = kernel.cell(_cell("#!/nonexistent/interpreter\n", "echo"), launched=True)
    assert result["refused"] and not kernel.installed(), result


def test_r42b_5_control_the_link_first_is_decided_as_uv(kernel):
    """The same link first on PATH: decided as uv, the listed release refused."""
    write_policy(kernel, HIJACKED)
    code = _cell("", "echo").replace("b1/echo", "b1/other")
    kernel.reset()
    result = kernel.cell(code, launched=True)
    assert result["refused"] and "MAL-2099-42" in result["refused"], result
    assert not kernel.installed()
