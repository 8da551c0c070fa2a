"""Red team 42a R42a-4: a find-links path in a requirements file is read from the wrong folder.

pip (23.2 ``req_file.handle_option_line``) takes a ``--find-links`` value on a requirements
file's option line relative to THAT FILE's folder when such a path exists there
(``os.path.join(dirname(abspath(filename)), value)``), else as written (the working folder).
Warden records the value as a source as written (``requirements._apply_file_option``) and
``sources.read_local_pages`` resolves it against the start's working folder: with no ``./w``
there it reads nothing (neither a file nor a folder: skipped, no problem recorded), while pip
reads ``sub/w`` and takes its wheel.

The cell writes ``sub/req.txt`` (``--no-index`` / ``--find-links ./w`` / ``proj``) and
``sub/w/proj-1.0-py3-none-any.whl`` whose METADATA says ``Requires-Dist: warden-demo-pkg @
<a host the policy does not trust>``, and runs ``python -m pip install -r sub/req.txt``. The
same wheel named by a path Warden reads is refused (R40b-2, the control). FAILS today.
"""

from local_index import build_wheel

PTH = {"proj.pth": "import os; open('MARKER', 'w').close()\n"}


def _files(kernel) -> None:
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    requires = f"Requires-Dist: warden-demo-pkg @ {url}\n"
    build_wheel(kernel.work / "sub" / "w", "proj", body="", requires=requires)
    (kernel.work / "sub" / "req.txt").write_text("--no-index\n--find-links ./w\nproj\n")


def _cell(args: str) -> str:
    line = f" -m pip install -q --target {{target}} {args}"
    return f"import os, sys\nos.system(sys.executable + {line!r})\n"


def test_find_links_relative_to_the_requirements_file_is_read_there(kernel):
    _files(kernel)
    code = _cell("-r sub/req.txt")
    kernel.kept_from_refused_host(code)


def test_the_same_folder_named_from_the_working_folder_is_refused(kernel):
    """The control: ``--find-links ./sub/w`` on the command line is read, its wheel refused."""
    _files(kernel)
    refused = kernel.proves(_cell("--no-index --find-links ./sub/w proj"))
    assert "proj-1.0" in refused, refused


def test_uv_reads_find_links_relative_to_the_requirements_file_too(kernel):
    """R42a-4 with uv (no guarded Python: the kernel's reading is the only one), which takes
    a requirements file's relative find-links from the file's folder too. uv fetches no URL
    dependency of a wheel, so this wheel carries what R34-4 refuses instead: a top-level
    ``proj.pth`` whose import line a Python started after the install runs before its guard."""
    build_wheel(kernel.work / "sub" / "w", "proj", body="", extra=PTH)
    (kernel.work / "sub" / "req.txt").write_text("--no-index\n--find-links ./w\nproj\n")
    code = "import os, sys, shlex\nos.system(shlex.join(['{uv}', 'pip', 'install', '-q', "
    code += "'--no-config', '--python', sys.executable, '--target', '{target}', '-r', "
    code += "'sub/req.txt']))\n"
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert (kernel.target / "proj.pth").exists(), plain  # uv took sub/w's wheel
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and not (kernel.target / "proj.pth").exists(), guarded


def test_the_start_code_wheel_named_from_the_working_folder_is_refused_for_uv(kernel):
    """The control: the same wheel through ``--find-links ./sub/w`` is read and refused."""
    build_wheel(kernel.work / "sub" / "w", "proj", body="", extra=PTH)
    code = "import os, sys, shlex\nos.system(shlex.join(['{uv}', 'pip', 'install', '-q', "
    code += "'--no-config', '--python', sys.executable, '--target', '{target}', '--no-index', "
    code += "'--find-links', './sub/w', 'proj']))\n"
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] and "proj.pth" in guarded["refused"], guarded
