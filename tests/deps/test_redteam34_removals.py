"""Red team 34 R34-6b: the guard's write rule in every Python the kernel starts
(``installs.start_writes``) read creations and replacements of start-up names in site folders
and the standard library only: not the folders a site ``.pth`` PATH LINE adds (an editable
project's root), and not a removal or a rename away.

- A guarded w.py moves the site folder's ``_distutils_hack`` away (a move is allowed) and
  writes ``_distutils_hack.py`` in a project folder a path line adds, sorted before
  ``distutils-precedence.pth`` (``_editable_impl_*.pth``/``__editable__*.pth`` sort so): the
  next Python imports it from that ``.pth`` before its guard. Now the guard refuses writing a
  start-up name there (``sitecustomize``, ``usercustomize``, what the site ``.pth`` files
  import; ``start_writes.line_folder``), or renaming a folder that holds one into a path
  line's place.
- The cell writes that module in the project folder first (the kernel writes what it likes;
  the site's copy shadows it as the line is read) and w.py moves the site's away: the line's
  reading counts every copy of a module a ``.pth`` imports, not only the first
  (``start_files._pth_module_changed``).

The path line is a ``.pth`` the cell writes (what ``pip install -e`` leaves; a path line is
no code, so the line's reading passes it). Editing the project, removing and moving files in
the site folder (what ``pip uninstall`` does) still run.
"""

from test_redteam32_places import _site_cell

# a project folder a path line of kv's site folder adds; ``w.py`` is the guarded writer,
# WRITER its body (``site``, ``proj``, ``hack`` are its names: the site folder, the project
# folder, p.pth's install line as a module); THEN the line's Python after it
LINE = (
    "import tempfile, shutil\n"
    "    proj = tempfile.mkdtemp(prefix='rt34-proj-')\n"
    "    open(site + '/_editable_impl_proj.pth', 'w').write(proj + '/in\\n')\n"
    "    hack = open('p.pth').read() + 'def add_shim(): pass\\n'\n"
    "    os.makedirs(proj + '/in')\n"
    "    PRIME\n"
    "    open('w.py', 'w').write('import os, shutil, sysconfig\\n'\n"
    "        'site = sysconfig.get_paths()[\"purelib\"]\\n'\n"
    "        'proj, hack = %r, %r\\n' % (proj + '/in', hack) + WRITER)\n"
    "    try:\n"
    "        os.system(py + ' w.py && ' + py + ' THEN')\n"
    "    finally:\n"
    "        if os.path.isdir(proj + '/kept'):\n"
    "            shutil.move(proj + '/kept', site + '/_distutils_hack')\n"
    "        if os.path.exists(proj + '/kept.pth'):\n"
    "            shutil.move(proj + '/kept.pth', site + '/distutils-precedence.pth')\n"
    "        os.remove(site + '/_editable_impl_proj.pth')\n"
    "        shutil.rmtree(proj)"
)
# w.py moves the site folder's _distutils_hack away (kept for the cell to put back)
MOVE_AWAY = '\'shutil.move(site + "/_distutils_hack", proj + "/../kept")\\n\''


def _cell(writer: str, then: str = "-c pass", prime: str = "pass") -> str:
    code = LINE.replace("WRITER", writer).replace("THEN", then).replace("PRIME", prime)
    return _site_cell(code)


def _refused_in_child(own_kernel, code: str) -> str:
    """Installs without Warden; with it, w.py's guard refuses (w.py fails, so the line's
    Python after it never starts): the refusals' text."""
    blocked = own_kernel.child_refuses(code)
    return " ".join(e["message"] for e in blocked)


def test_removed_start_up_module_falls_through_to_a_path_line_folder(own_kernel):
    writer = MOVE_AWAY + ' + \'open(proj + "/_distutils_hack.py", "w").write(hack)\\n\''
    refused = _refused_in_child(own_kernel, _cell(writer))
    assert "_distutils_hack.py" in refused and "rt34-proj-" in refused, refused


def test_a_package_a_pth_imports_written_in_a_path_line_folder(own_kernel):
    """The module as a package: its ``__init__`` in a folder of the path line's folder."""
    writer = (
        MOVE_AWAY + " + 'os.mkdir(proj + \"/_distutils_hack\")\\n'"
        ' + \'open(proj + "/_distutils_hack/__init__.py", "w").write(hack)\\n\''
    )
    refused = _refused_in_child(own_kernel, _cell(writer))
    assert "__init__.py" in refused, refused


def test_sitecustomize_written_in_a_path_line_folder(own_kernel):
    """An isolated Python (``-I``: no guard) imports ``sitecustomize`` from the folders the
    site folder's path lines add."""
    writer = '\'open(proj + "/sitecustomize.py", "w").write(hack)\\n\''
    refused = _refused_in_child(own_kernel, _cell(writer, then="-I -c pass"))
    assert "sitecustomize.py" in refused, refused


def test_a_folder_renamed_into_a_path_lines_place(own_kernel):
    """The path line names a folder that is not there yet: w.py renames one holding
    ``sitecustomize`` into its place."""
    writer = (
        "'import tempfile\\nkit = tempfile.mkdtemp()\\n'"
        ' + \'open(kit + "/sitecustomize.py", "w").write(hack)\\n\''
        " + 'os.rmdir(proj)\\nos.rename(kit, proj)\\n'"
    )
    refused = _refused_in_child(own_kernel, _cell(writer, then="-I -c pass"))
    assert "sitecustomize.py" in refused, refused


def test_the_cells_own_copy_behind_the_site_folders_is_read(own_kernel):
    """The cell writes the project's ``_distutils_hack.py`` (the site's copy is found first
    as the line is read); w.py only moves the site's copy away: the line is refused."""
    prime = "open(proj + '/in/_distutils_hack.py', 'w').write(hack)"
    refused = own_kernel.proves(_cell(MOVE_AWAY, prime=prime))
    assert "_distutils_hack" in refused, refused


# -- what still runs ----------------------------------------------------------------------


# another venv's site folder, with setuptools' start-up module and .pth (the cell's)
TV = (
    "tv = 'tv/lib/python3.11/site-packages'; os.makedirs(tv + '/_distutils_hack'); "
    "open(tv + '/_distutils_hack/__init__.py', 'w').close(); "
    "open(tv + '/distutils-precedence.pth', 'w').write('import _distutils_hack')"
)


def _runs(own_kernel, writer: str, prime: str = "pass") -> None:
    code = _cell(writer, then="-c \"open(\\'ran\\', \\'w\\')\"", prime=prime)
    result = own_kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result
    assert (own_kernel.work / "ran").exists(), result


def test_editing_the_editable_project_runs(own_kernel):
    """The user's project in a path line's folder: modules, packages, data, bytecode written,
    renamed and removed (only its start-up names are refused)."""
    writer = (
        '\'open(proj + "/model.py", "w").write("x = 1")\\n\''
        ' + \'os.mkdir(proj + "/pkg")\\nopen(proj + "/pkg/__init__.py", "w").close()\\n\''
        ' + \'open(proj + "/data.csv", "w").write("1")\\n\''
        " + 'import py_compile\\npy_compile.compile(proj + \"/model.py\")\\n'"
        ' + \'os.replace(proj + "/model.py", proj + "/train.py")\\n\''
        ' + \'os.remove(proj + "/data.csv")\\nshutil.rmtree(proj + "/pkg")\\n\''
    )
    _runs(own_kernel, writer)


def test_removing_a_start_up_module_and_its_pth_runs(own_kernel):
    """What ``pip uninstall setuptools`` does in the site folder (the cell puts them back), an
    ordinary file removed there, a venv of the Python's own removed whole."""
    writer = (
        MOVE_AWAY
        + ' + \'shutil.move(site + "/distutils-precedence.pth", proj + "/../kept.pth")\\n\''
        ' + \'open(site + "/zz_notes.txt", "w").close()\\n\''
        ' + \'os.remove(site + "/zz_notes.txt")\\nshutil.rmtree("tv")\\n\''
    )
    _runs(own_kernel, writer, prime=TV)
