"""Red team 36: a guarded Python (``python w.py; python -c pass``) replaces the program of the
Python the line starts after it, a program in no folder of its PATH (the kernel's venv, not on
PATH: ``ipykernel install --user``'s kernel spec names it by path).

The line was read when the program was a Python; w.py renames ``sys.executable`` (the venv's
``bin/python``) away (a rename of a program is read only in PATH folders) and writes a shell
script in its place (``open``: ``python`` is no start-up name, ``bin`` no site folder), then
makes it executable (``os.chmod``: read only in PATH folders). The next start runs the script,
which runs the refused install with no guard.

Fixed: a ``python*`` entry of a folder holding this Python's program or its base's is not
created, replaced, made executable, removed or renamed away by a guarded Python
(``start_writes.StartWrites._check_python``).
"""

from test_redteam32_places import _site_cell

# the script the next start runs: the install, straight (no Python, no guard)
SCRIPT = (
    "#!/bin/sh\n{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg\n"
)
REPLACER = (
    "import os, sys\n"
    "py = sys.executable\n"
    "os.rename(py, py + '.orig')\n"
    "fd = os.open(py, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755)\n"
    "os.write(fd, SCRIPT.encode())\n"
    "os.close(fd)\n"
    "os.chmod(py, 0o755)\n"
)


def _replacer_cell() -> str:
    writer = REPLACER.replace("SCRIPT", "S")
    start = (
        "open('w.py', 'w').write('S = ' + repr(SCRIPT_TEXT) + '\\n' + "
        + repr(writer)
        + ")\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    code = _site_cell(start)
    # the script's text, its {uv}, {target}, {index} filled by the cell's format; the
    # program put back after the line (the kernel's own write)
    code = code.replace(
        "try:\n",
        "SCRIPT_TEXT = "
        + repr(SCRIPT)
        .replace("{", "{{")
        .replace("}", "}}")
        .replace("{{uv}}", "{uv}")
        .replace("{{target}}", "{target}")
        .replace("{{index}}", "{index}")
        + "\ntry:\n",
        1,
    )
    return code.replace(
        "finally:\n",
        "finally:\n    os.path.lexists(py + '.orig') and os.replace(py + '.orig', py)\n",
        1,
    )


def test_a_guarded_script_replacing_the_next_starts_python_program(own_kernel):
    blocked = own_kernel.child_refuses(_replacer_cell())
    assert any("python" in e["message"] for e in blocked), blocked


LEGIT = (
    "import os, sys\n"
    "py = sys.executable\n"
    "bin_ = os.path.dirname(py)\n"
    "open('w.py', 'w').write(\n"
    "    'import os, subprocess, sys\\n'\n"
    "    'tool = %r\\n' % (bin_ + '/r36_tool')\n"
    '    + \'open(tool, "w").write("#!/bin/sh\\\\necho ok\\\\n")\\n\'\n'
    "    + 'os.chmod(tool, 0o755)\\n'\n"
    '    + \'venv = [sys.executable, "-m", "venv", "--without-pip", "r36env"]\\n\'\n'
    "    + 'subprocess.run(venv, check=True)\\n'\n"
    ")\n"
    "try:\n"
    "    assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
    "    assert os.path.exists('r36env/bin/python')\n"
    "finally:\n"
    "    os.path.exists(bin_ + '/r36_tool') and os.remove(bin_ + '/r36_tool')\n"
)


def test_a_guarded_python_writes_a_tool_beside_its_program_and_makes_a_venv(own_kernel):
    """No false refusal: a program of another name beside this Python's (a console script),
    and another environment's Python (``python -m venv``), are a guarded Python's to write."""
    result = own_kernel.cell(LEGIT, launched=True)
    assert result["refused"] is None, result
