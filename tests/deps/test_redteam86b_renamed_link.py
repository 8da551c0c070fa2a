"""Red team 86 F5 (fix87b): a NEW link in a PATH folder to an OLDER program file that is NOT
the machine's, under the same name (``bin/gzip -> ../lib/gzip``, lib off PATH, lib/gzip
written before the kernel started: a clone of an earlier session). ``path_programs`` found
the link (written since start), but ``renamed_as_itself`` (meant for a venv's ``python3 ->
python3.11``: "the machine's program, a version apart") passed it over unread: the real file
did not change since start and the names match, and it never asked whether that file is the
machine's. Now such a link is passed over only when its file is the machine's (root's, in
the machine's folders) or native; any other is read as its file is when it sits on PATH
itself (age81's ``#!`` reading): the gate (``InstallGate._new_program_reading``) and a line's
PATH (``commands._new_files``).

Without Warden tar's gzip installs from the local index; with Warden the start is refused,
naming gzip. The control: the same older file reached by PATH itself (``lib`` first on PATH)
is refused (age81)."""

import os

import pytest
from launched import installed, system_cell
from real_uv import real_uv
from test_age81_old_path_programs import SH_C, _older_than_a_start


def _older_lib_gzip(kernel):
    installed("tar")
    for name in ("bin", "lib"):
        (kernel.work / name).mkdir(exist_ok=True)
    path = kernel.work / "lib" / "gzip"
    if not path.exists():
        path.write_text(SH_C.format(target=kernel.target, index=kernel.index.simple))
        path.chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")
    _older_than_a_start(kernel.work / "lib")
    _older_than_a_start(path)


LINK = """import os, subprocess
if os.path.lexists('bin/gzip'):
    os.unlink('bin/gzip')
os.symlink({target!r}, 'bin/gzip')  # NEW, to an older program of the same name
"""
RUN = (
    'os.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'
    "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n"
)
LINE = system_cell(
    f"PATH=bin:{os.path.dirname(real_uv())}:/usr/bin:/bin tar czf o.tgz a.txt"
).replace("import os\n", "")


@pytest.mark.parametrize("form", ["cell", "line"])
def test_a_new_same_name_link_to_an_older_users_program_is_read(kernel, form):
    _older_lib_gzip(kernel)
    cell = LINK.format(target="../lib/gzip") + (RUN if form == "cell" else LINE)
    result = kernel.kept_from_refused_host(cell)
    assert "gzip" in (result["refused"] or ""), result


def test_control_the_older_program_on_path_itself_is_refused(kernel):
    _older_lib_gzip(kernel)
    cell = (
        'import os, subprocess\nos.environ["PATH"] = os.getcwd() + "/lib:" + os.environ["PATH"]\n'
        "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n"
    )
    refused = kernel.proves(cell)
    assert "gzip" in refused, refused


# -- no false refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["cell", "line"])
def test_a_new_same_name_link_to_the_machines_program_runs(kernel, form):
    """``bin/gzip -> /usr/bin/gzip`` (the machine's program under its own name): tar runs,
    nothing is refused."""
    _older_lib_gzip(kernel)
    gzip = os.path.realpath(installed("gzip"))
    kernel.reset()
    cell = LINK.format(target=gzip) + (RUN if form == "cell" else LINE)
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "o.tgz").exists(), result
