"""Red team 34 R34-c: a guarded Python earlier on a shell line puts a program where a command
after it runs it by name. The line is read before it runs, its programs looked up on PATH
then; the Python (``w.py``) is placed at its folder and its words, but its code may write
anywhere: a script at a PATH name the line gives (``python w.py && zzz``), over a program
Warden read (``&& pip --version``), made executable (``os.chmod``), or opened through a
folder descriptor (``dir_fd``), ran in place of what Warden read: here an install from the
test index with no decision. Its guard now refuses writing programs in the folders of the
PATH it started with (``installs.path_writes``), and the line's reading refuses a command
whose PATH holds a folder the writer's guard does not cover. Each vector installs without
Warden and is refused with it; ordinary lines still run.
"""

import os
import subprocess
import sys
import time

import pytest

# D: a folder of the kernel's PATH the cell made, outside the folder the line runs in (the
# user's ~/.local/bin); PAYLOAD: a shell script that installs; W_PY: the guarded writer's code,
# where __D__ and __PAYLOAD__ stand for those
HEADER = """
import os, sys, stat
D = os.path.abspath('../pbin')
os.makedirs(D, exist_ok=True)
os.environ['PATH'] = D + ':' + os.environ['PATH']
PAYLOAD = '#!/bin/sh\\n' + INSTALL + '\\n'
open('w.py', 'w').write(W_PY.replace('__D__', repr(D)).replace('__PAYLOAD__', repr(PAYLOAD)))
"""
WRITE = (
    "import os\np = os.path.join(__D__, 'zzz')\nopen(p, 'w').write(__PAYLOAD__)\n"
    "os.chmod(p, 0o755)\n"
)
VECTORS = {
    "a new program the line names": ("", WRITE, "'zzz'"),
    "over a program Warden read": (
        "open(os.path.join(D, 'pip'), 'w').write('#!/bin/sh\\necho pip 1\\n')\n"
        "os.chmod(os.path.join(D, 'pip'), 0o755)\n",
        "import os\nopen(os.path.join(__D__, 'pip'), 'w').write(__PAYLOAD__)\n",
        "'pip --version'",
    ),
    "made executable": (
        "open(os.path.join(D, 'zzz'), 'w').write(PAYLOAD)\n",
        "import os\nos.chmod(os.path.join(__D__, 'zzz'), 0o755)\n",
        "'zzz'",
    ),
    "through a folder descriptor": (
        "",
        "import os\nfd = os.open(__D__, os.O_RDONLY)\n"
        "out = os.open('zzz', os.O_CREAT | os.O_WRONLY, 0o755, dir_fd=fd)\n"
        "os.write(out, __PAYLOAD__.encode())\nos.close(out)\n",
        "'zzz'",
    ),
}


def _code(kernel, before: str, w_py: str, line: str) -> str:
    """The cell: HEADER, ``before``, then ``python w.py && LINE`` (``line``: a Python
    expression of the text after ``&&``)."""
    install = kernel.uv_install()
    code = HEADER.replace("INSTALL", repr(install)).replace("W_PY", repr(w_py))
    code += before + f"os.system(sys.executable + ' w.py && ' + {line})\n"
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("name", list(VECTORS))
def test_a_guarded_writer_of_a_program_the_line_runs(kernel, name):
    before, w_py, line = VECTORS[name]
    blocked = kernel.child_refuses(_code(kernel, before, w_py, line))
    assert any("a folder of its PATH" in e["message"] for e in blocked), blocked


def test_a_later_path_the_writer_does_not_have(kernel):
    """The command after the writer starts with a PATH folder the writer's own PATH lacked
    (its guard covers its own PATH's folders): refused on the line."""
    code = _code(kernel, "", WRITE, "'PATH=' + D + ':/usr/bin:/bin zzz'")
    code = code.replace("os.environ['PATH'] = D + ':' + os.environ['PATH']\n", "")
    refused = kernel.proves(code)
    assert "its guard refuses writing programs only in the folders of its own PATH" in refused


def test_ordinary_lines_after_a_guarded_python_run(kernel):
    """A guarded Python that writes data (here, beside a PATH folder), then commands by name."""
    code = (
        "import os, sys\nD = os.path.abspath('../pbin'); os.makedirs(D, exist_ok=True)\n"
        "os.environ['PATH'] = D + ':' + os.environ['PATH']\n"
        "open('prep.py', 'w').write('open(\"out.txt\", \"w\").write(\"1\")')\n"
        "assert os.system(sys.executable + ' prep.py && ls > /dev/null && python3 -c pass') == 0\n"
        "assert open('out.txt').read() == '1'\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result


CONDA = "import sys\nfrom jupyterlab_warden.kernel.guard.installs import own_command\n"
CONDA += "print(own_command.started_as(sys.orig_argv))\n"


def test_a_conda_beside_its_python_is_a_decided_installer(tmp_path):
    """conda's own Python writes its packages' programs into its bin (on PATH in
    docker-stacks): the conda console script beside the interpreter, unchanged, is the
    installer the kernel's gate decided; a script of that name elsewhere is not."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "v")], check=True)
    beside, elsewhere = tmp_path / "v" / "bin" / "conda", tmp_path / "conda"
    for script in (beside, elsewhere):
        script.write_text(f"#!{tmp_path}/v/bin/python\n{CONDA}")
        script.chmod(0o755)
    time.sleep(1.5)  # older than the started Python (a file changed since is no installer)
    env = dict(os.environ, PYTHONPATH=os.getcwd())

    def decided(script) -> str:
        run = [str(tmp_path / "v" / "bin" / "python"), str(script), "install", "x"]
        return subprocess.run(run, env=env, capture_output=True, text=True).stdout.strip()

    assert decided(beside) == "conda"
    assert decided(elsewhere) == ""


def test_a_venv_the_folder_shadows_is_no_venv_command(tmp_path):
    """`python -m venv x` where the folder it starts in holds a venv.py runs that file, not the
    standard library's venv: its pyvenv.cfg writes get no allowance (``own_command``)."""
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    probe = (
        "import sys\nfrom jupyterlab_warden.kernel.guard.installs import own_command\n"
        "print(own_command.venv_shadowed(['python', '-m', 'venv', 'x'], ''))\n"
    )
    clean = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert clean.stdout.strip() == "False", clean.stderr
    (tmp_path / "venv.py").write_text(probe)
    shadowed = subprocess.run(
        [sys.executable, "-m", "venv", "x"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert shadowed.stdout.strip() == "True", shadowed.stderr
