"""Red team 36: a PATH folder missing when a guarded Python starts (``~/.local/bin`` on a
fresh account) is known to the write rule by its text only (``path_writes.PathFolders``: "missing
now: known by its text"), and ``os.mkdir`` is no write the rule reads. A guarded w.py makes the
folder, enters it and writes ``ls`` through ``/proc/self/cwd`` (a path whose text is no PATH
folder; the folder's inode was never read), and the ``ls`` after it on the line, read as
/usr/bin/ls, runs the script: the refused install, with no guard.

Fixed: a PATH folder missing at the first write is read again at each write, and known by its
inode once made (``path_writes.PathFolders._made_since``).
"""

SCRIPT = (
    "#!/bin/sh\n{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg\n"
)
WRITER = (
    "import os\n"
    "open('r36_first.txt', 'w').close()  # the rule reads PATH folders' inodes at a first write\n"
    "os.makedirs(BIN)\n"
    "os.chdir(BIN)\n"
    "fd = os.open('/proc/self/cwd/ls', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755)\n"
    "os.write(fd, S.encode())\n"
)


def test_a_guarded_python_fills_a_missing_path_folder(kernel, tmp_path):
    folder = str(tmp_path / "home" / ".local" / "bin")
    script = SCRIPT.replace("{", "{{").replace("}", "}}")
    for name in ("uv", "target", "index"):
        script = script.replace("{{" + name + "}}", "{" + name + "}")
    writer = WRITER.replace("BIN", repr(folder))
    code = (
        "import os, shutil, sys\n"
        f"S = {script!r}\n"
        "open('w.py', 'w').write('S = ' + repr(S) + chr(10) + " + repr(writer) + ")\n"
        f"os.environ['PATH'] = {folder!r} + os.pathsep + os.environ['PATH']\n"
        "try:\n"
        "    os.system(sys.executable + ' w.py; ls')\n"
        "finally:\n"
        "    os.environ['PATH'] = os.environ['PATH'].split(os.pathsep, 1)[1]\n"
        f"    shutil.rmtree({folder!r}, ignore_errors=True)\n"
    )
    blocked = kernel.child_refuses(code)
    assert any("ls" in e["message"] for e in blocked), blocked


LEGIT_WRITER = (
    "import os\n"
    "open('r36_first.txt', 'w').close()\n"
    "os.makedirs(OTHER)\n"
    "os.chdir(OTHER)\n"
    "open('/proc/self/cwd/notes.txt', 'w').write('1')\n"
)


def test_a_guarded_python_with_a_missing_path_folder_writes_elsewhere(kernel, tmp_path):
    """No false refusal: with a PATH folder missing, a folder beside it is a guarded Python's
    to make and fill, and the line's `ls` after it runs."""
    folder = str(tmp_path / "home" / ".local" / "bin")
    other = str(tmp_path / "home" / ".local" / "data")
    writer = LEGIT_WRITER.replace("OTHER", repr(other))
    code = (
        "import os, sys\n"
        f"open('w.py', 'w').write({writer!r})\n"
        f"os.environ['PATH'] = {folder!r} + os.pathsep + os.environ['PATH']\n"
        "try:\n"
        "    assert os.system(sys.executable + ' w.py && ls > /dev/null') == 0\n"
        "finally:\n"
        "    os.environ['PATH'] = os.environ['PATH'].split(os.pathsep, 1)[1]\n"
        f"assert open({other!r} + '/notes.txt').read() == '1'\n"
    )
    code = code.replace("{", "{{").replace("}", "}}")
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
