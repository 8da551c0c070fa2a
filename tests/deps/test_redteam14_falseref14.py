"""Red team 14, shell values (falseref14 stream).

- R14-35 (false refusal): the arithmetic rule refused ordinary loops: a ``for`` over literal
  words (``for i in 1 2 3; ... $((i*10))``), a ``[[ -s $f ]]`` file test or ``[[ $f == *x* ]]``
  pattern (read as arithmetic whole), ``${line:0:10}`` (the base variable read as an operand),
  ``N=$(nproc); make -j$((N-1))``. They run now; a value that can hold a subscript still not.
- R14-2: ``export $V`` / ``export "$@"`` / ``export $(echo A=B)`` / ``export U*`` (a file
  named ``UV_CONFIG_FILE=c.toml``): the shell exports a name Warden never read.
- R14-14: bash expands ``~`` in an assignment's value (``HOME=<url>; export
  UV_INDEX_URL=~/simple``; ``export PATH=~/bin:$PATH`` with ``~/bin/ls`` a link to uv).

Each malicious line proves itself in a kernel of the lab's launch environment (without Warden
it installs from the local index, with Warden nothing starts); the ordinary lines run there.
"""

import os

import pytest
from launched import HIDDEN, UV_LINE, bash_cell, system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands

MALICIOUS = {
    # R14-2
    "export $V": system_cell(f"V=UV_INDEX_URL={{index}}; export $V; {UV_LINE}"),
    'export "$V"': system_cell(f'V=UV_INDEX_URL={{index}}; export "$V"; {UV_LINE}'),
    "export $V=value": system_cell(f"V=UV_INDEX_URL; export $V={{index}}; {UV_LINE}"),
    'export "$@"': system_cell(f'set -- UV_INDEX_URL={{index}}; export "$@"; {UV_LINE}'),
    "export $(echo ...)": system_cell(f"export $(echo UV_INDEX_URL={{index}}); {UV_LINE}"),
    "export U* (glob)": system_cell(f"export U*; {UV_LINE}"),
    "bash export {A,B}=v (brace)": bash_cell(f"export {{{{UV_CONFIG_FILE,Y}}}}=c.toml; {UV_LINE}"),
    # R14-14
    "HOME=url; export X=~/simple": system_cell(
        f"HOME={{base}}; export UV_INDEX_URL=~/simple; {UV_LINE}"
    ),
    "HOME=url; X=~/simple uv": system_cell(f"HOME={{base}}; UV_INDEX_URL=~/simple {UV_LINE}"),
    "export PATH=~/bin:$PATH": system_cell(
        "export UV_INDEX_URL={index}; export PATH=~/bin:$PATH; "
        "ls pip install -q --no-cache --target {target} warden-demo-pkg"
    ),
    # R14-35: a loop word that is no literal (an expansion) still counts as unknown
    "for over an expansion, $((i))": bash_cell(
        f"d='$'; for i in \"a[{HIDDEN}]\"; do echo $((i)); done"
    ),
}


@pytest.mark.parametrize("cell", MALICIOUS.values(), ids=MALICIOUS.keys())
def test_a_computed_name_or_tilde_value_is_refused(kernel, cell):
    work = kernel.work
    (work / "c.toml").write_text(f'index-url = "{kernel.index.simple}"\n')
    (work / "UV_CONFIG_FILE=c.toml").write_text("")  # what `export U*` exports
    (kernel.home / "bin").mkdir()
    (kernel.home / "bin" / "ls").symlink_to(real_uv())
    refused = kernel.proves(cell.replace("{base}", kernel.index.base))
    assert "Warden" in refused


ORDINARY = [
    "for i in 1 2 3; do echo seed $((i*10)); done",
    "for gpu in 0 1; do CUDA_VISIBLE_DEVICES=$gpu echo gpu $((gpu+42)) & done; wait",
    "for f in *.csv; do [[ -s $f ]] && wc -l < $f; done",
    "for f in *.csv; do if [[ $f == *train* ]]; then echo train $f; fi; done",
    "while read line; do echo ${line:0:10}; done < data.txt",
    "N=$(nproc); echo jobs $((N-N+1))",
    "for i in {1..3}; do echo step $((i*2)); done",
]


def test_ordinary_loops_with_arithmetic_run_in_a_launched_kernel(kernel):
    (kernel.work / "train.csv").write_text("a,b\n1,2\n")
    (kernel.work / "data.txt").write_text("first line of data\n")
    code = "import subprocess\nwith open('out.txt', 'w') as out:\n    for line in LINES:\n"
    code += "        out.write(subprocess.run(['bash', '-c', line], capture_output=True, "
    code += "text=True).stdout)\n"
    code = f"LINES = {ORDINARY!r}\n" + code
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), True)
    assert result["refused"] is None, result
    out = (kernel.work / "out.txt").read_text()
    for piece in ("seed 30", "gpu 43", "2", "train train.csv", "first line", "jobs 1", "step 6"):
        assert piece in out, out


@pytest.mark.parametrize(
    "line",
    [
        "for f in *.csv; do echo $((f)); done",  # a file name may hold a subscript
        "for f in *.csv; do [[ $f -eq 1 ]]; done",  # -eq's operands are arithmetic
        "read y < f; for i in y; do echo $((i)); done",  # i's value names y, read from a file
        "for i in 1 2; do read i; echo $((i)); done",
        "N=$(nproc); N=$(cat f); echo $((N))",
        "read x < f; echo ${x:0:$x}",
    ],
)
def test_a_value_that_may_hold_a_subscript_stays_unreadable_in_arithmetic(line):
    with pytest.raises(commands.Unreadable, match="arithmetic on the line evaluates"):
        commands.shell_invocations(line)


def test_tilde_in_an_assignment_is_the_home_folder_and_plus_minus_are_unknown():
    found = commands.shell_invocations("UV_CACHE_DIR=~/c:~/d uv pip install numpy")
    assert found[0].env["UV_CACHE_DIR"] == f"{os.environ['HOME']}/c:{os.environ['HOME']}/d"
    assert not found[0].problem
    # ~+ is $PWD, the folder the command runs in (fix42); ~- ($OLDPWD) is unknown, refused at
    # the export since red team 38b R38b-5 (export's values read as assignments)
    found = commands.shell_invocations("export UV_CONFIG_FILE=~+/c.toml; uv pip install numpy")
    assert found[0].env["UV_CONFIG_FILE"] == os.path.join(os.getcwd(), "c.toml")
    with pytest.raises(commands.Unreadable, match="cannot resolve"):
        commands.shell_invocations("export UV_CONFIG_FILE=~-/c.toml; uv pip install numpy")
    # quoted, the shell keeps the ~
    found = commands.shell_invocations("export UV_CACHE_DIR='~/c'; uv pip install numpy")
    assert found[0].env["UV_CACHE_DIR"] == "~/c"
    # both ways on one line: which one a command gets is not known
    with pytest.raises(commands.Unreadable, match="both quoted and unquoted"):
        commands.shell_invocations("X='~/c.toml' uv pip install a; echo X=~/c.toml")


def test_a_computed_export_name_leaves_every_setting_unknown():
    with pytest.raises(commands.Unreadable, match="whose name the line computes"):
        commands.shell_invocations("V=UV_INDEX_URL=x; export $V; uv pip install numpy")
    # no installer after it, but the .env may set PYTHONPATH (or any name a rule reads): every
    # program started after it is refused (red team 90 F7, ``unknown_exports``)
    with pytest.raises(commands.Unreadable, match="whose name the line computes"):
        commands.shell_invocations("export $(grep -v '^#' .env | xargs); python t.py")
