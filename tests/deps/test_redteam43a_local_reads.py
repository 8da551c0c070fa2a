"""Red team 43a R43a-2 and R43a-3: local find-links folders pip reads and Warden does not.

Each proof's wheel carries what R34-4 refuses in a local wheel (a top-level ``proj.pth``
whose import line a Python started after the install runs before its guard), so it stands
apart from R43a-1 (a wheel's ``Requires-Dist`` URL). The control shows the same wheel offered
by a folder Warden reads is refused.

R43a-2, ``~``: ``sources._local_paths`` expands ``~`` (``os.path.expanduser``) before it
joins anything, always. pip does not: on the command line (23.2 ``SearchScope.create``) a
find-links value starting with ``~`` is expanded only when the expanded path EXISTS, else it
stays ``~/w``, which ``build_source`` then tests and lists relative to the working folder
(``./~/w``: a folder named ``~``); in a requirements file (``req_file.handle_option_line``)
the value is joined to the file's folder first (``sub/~/w``) and taken when that exists, never
expanded. Warden reads ``$HOME/w`` (nothing there: passed over) and pip installs the wheel in
``./~/w``. FAILS today.

R43a-3, ``${VAR}`` in a requirements file: ``requirements.read_text`` substitutes a variable
set to the empty string (``env.get(name, text)``), while pip's ``expand_env_variables`` keeps
``${VAR}`` as written when its value is empty (``if not value: continue``). With ``E=''``,
``--find-links ./w${E}`` is ``./w`` to Warden (nothing there) and the folder ``w${E}`` to pip.
FAILS today.
"""

import os

from local_index import build_wheel
from test_redteam42a_reqfile_links import PTH


def _pip(args: list, prelude: str = "") -> str:
    code = "import os, sys, shlex\n" + prelude
    code += "os.system(shlex.join([sys.executable, '-m', 'pip', 'install', '-q', "
    code += f"'--no-cache-dir', '--target', '{{target}}', *{args!r}]))\n"
    return code


def _runs_unguarded_refused_guarded(kernel, code: str) -> dict:
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert (kernel.target / "proj.pth").exists(), plain  # pip took the start-up code wheel
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not (kernel.target / "proj.pth").exists(), ("installed under Warden", guarded)
    return guarded


def test_control_the_wheel_in_a_folder_warden_reads_is_refused(kernel):
    build_wheel(kernel.work / "w", "proj", body="", extra=PTH)
    kernel.reset()
    guarded = kernel.cell(_pip(["--no-index", "--find-links", "./w", "proj"]), launched=True)
    assert guarded["refused"] and "proj.pth" in guarded["refused"], guarded
    assert not (kernel.target / "proj.pth").exists(), guarded


def test_a_tilde_find_links_pip_lists_in_the_working_folder_is_read(kernel):
    """``--find-links '~/w'`` with no ``$HOME/w``: pip lists ``./~/w``."""
    assert not os.path.exists(kernel.home / "w")
    build_wheel(kernel.work / "~" / "w", "proj", body="", extra=PTH)
    _runs_unguarded_refused_guarded(kernel, _pip(["--no-index", "--find-links", "~/w", "proj"]))


def test_a_tilde_find_links_in_a_requirements_file_is_read_from_its_folder(kernel):
    """``--find-links ~/w`` in ``sub/req.txt``: pip takes ``sub/~/w`` (it exists)."""
    build_wheel(kernel.work / "sub" / "~" / "w", "proj", body="", extra=PTH)
    (kernel.work / "sub" / "req.txt").write_text("--no-index\n--find-links ~/w\nproj\n")
    _runs_unguarded_refused_guarded(kernel, _pip(["-r", "sub/req.txt"]))


def test_an_empty_variable_in_a_requirements_file_is_kept_as_pip_keeps_it(kernel):
    """``E=''``: pip reads ``--find-links ./w${E}`` as the folder ``w${E}``."""
    build_wheel(kernel.work / "w${E}", "proj", body="", extra=PTH)
    (kernel.work / "req.txt").write_text("--no-index\n--find-links ./w${E}\nproj\n")
    code = _pip(["-r", "req.txt"], prelude="os.environ['E'] = ''\n")
    _runs_unguarded_refused_guarded(kernel, code)


def test_uv_takes_a_tilde_find_links_as_written(kernel):
    """uv (0.13.9) never expands ``~`` in ``--find-links``: ``'~/w'`` is ``./~/w`` (checked:
    with HOME's ``w`` present uv still fails on ``./~/w``). uv runs no guard of its own, so
    the kernel's reading (``$HOME/w``) is the only one."""
    build_wheel(kernel.work / "~" / "w", "proj", body="", extra=PTH)
    code = "import os, sys, shlex\nos.system(shlex.join(['{uv}', 'pip', 'install', '-q', "
    code += "'--no-config', '--python', sys.executable, '--target', '{target}', '--no-index', "
    code += "'--find-links', '~/w', 'proj']))\n"
    _runs_unguarded_refused_guarded(kernel, code)


def test_a_tilde_wheel_requirement_pip_opens_in_the_working_folder_is_read(kernel):
    """The same expansion for a path requirement (``local_projects._paths``): pip 23.2's
    ``parse_req_from_line`` takes ``normpath(abspath(name))`` with no ``~`` expansion, so
    ``'~/proj-1.0-py3-none-any.whl'`` is ``./~/proj-1.0-py3-none-any.whl``; Warden reads
    ``$HOME/...`` (nothing there: passed over)."""
    build_wheel(kernel.work / "~", "proj", body="", extra=PTH)
    code = _pip(["--no-index", "~/proj-1.0-py3-none-any.whl"])
    _runs_unguarded_refused_guarded(kernel, code)
