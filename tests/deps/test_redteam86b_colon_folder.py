"""Red team 86 F3 (fix87b): a program folder word that holds a ``:`` (``gcc -B t:c/``).
``commands._folder_file_starts`` handed the folder to ``path_programs.new_programs`` as a PATH
string with every ``:`` removed (``folder.replace(os.pathsep, "")``), so Warden listed ``tc``
(no such folder, or another one) while gcc ran ``t:c/as``: a new program there ran unread.
Now the folder is read as ONE folder (``path_programs.folder_programs``), and a writer on the
line is weighed against it as one (``commands._refuse_folders_written``).

Without Warden gcc runs ./t:c/as (the perl installer) and the package lands; with Warden the
start is refused, naming the program file."""

import pytest
from launched import installed, system_cell
from test_redteam17_starts import PERL, _program


def _colon_as(kernel) -> None:
    installed("gcc")
    installed("perl")
    _program(kernel, "as", PERL, folder="t:c")
    (kernel.work / "x.c").write_text("int x;\n")


@pytest.mark.parametrize(
    "line",
    [
        "gcc -B t:c/ -c x.c -o x.o",
        "gcc -Bt:c/ -c x.c -o x.o",
    ],
)
def test_a_program_folder_with_a_colon_is_read(kernel, line):
    _colon_as(kernel)
    result = kernel.kept_from_refused_host(system_cell(line))
    assert "t:c" in (result["refused"] or ""), result


def test_the_colon_less_folder_is_not_what_is_read(kernel):
    """The same with ``tc`` an empty folder beside it: Warden listed tc, gcc ran t:c/as."""
    _colon_as(kernel)
    (kernel.work / "tc").mkdir()
    kernel.kept_from_refused_host(system_cell("gcc -B t:c/ -c x.c -o x.o"))


def test_a_written_colon_folder_is_weighed_as_one(kernel):
    """A writer on the line into the folder before gcc (Warden lists it before the line runs):
    refused as for any program folder, the ``:`` part of the name. (Refused before the fix
    too, by the line's writer rules: kept as the check that the written-place rule, now
    handed one folder, still refuses it.)"""
    _colon_as(kernel)
    (kernel.work / "as.pl").write_text((kernel.work / "t:c" / "as").read_text())
    (kernel.work / "t:c" / "as").unlink()
    line = "cp as.pl t:c/as && chmod +x t:c/as && gcc -B t:c/ -c x.c -o x.o"
    result = kernel.kept_from_refused_host(system_cell(line))
    assert "earlier command" in (result["refused"] or ""), result


# -- no false refusals ---------------------------------------------------------------------------


def test_a_colon_folder_with_no_new_program_compiles(kernel):
    """An ordinary ``gcc -B`` folder holding no program: it compiles, nothing refused."""
    installed("gcc")
    (kernel.work / "t:c").mkdir()
    (kernel.work / "x.c").write_text("int x;\n")
    kernel.reset()
    result = kernel.cell(system_cell("gcc -B t:c/ -c x.c -o x.o"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "x.o").exists(), result
