"""Red team 34 R34-5: bash evaluates a variable's VALUE as an arithmetic expression, and a
subscript in that value (`c[$(cmd)]`) runs cmd. A data file n.txt holds `c[$(uv pip install
...)]`; these lines installed under Warden:
- a blank-padded `(( x ))` (or `(( 1 ))` anywhere on the line) makes `shell_text.mask` uncertain,
  and an uncertain line with no `$`, `[` or installer word ran unread: none of
  `shell_values.evaluated`'s arithmetic rules ran (now `shell_values.unmasked_evaluated`);
- an arithmetic `for ((...))` header, masked as one word, was no arithmetic context;
- the integer attribute in a second option word (`declare -x -i`, `+x -i`, `local -a -i`), a
  quoted `'let'`/`'-i'`, an option from an expansion (`declare $o`);
- a value naming a name whose value names the payload (`y=foo; x=y; $((x))`).
Each installs without Warden and is refused with it; ordinary arithmetic still runs."""

import pytest
from launched import bash_cell, line_refusal

READ = "read -r x < n.txt; "
ATTACKS = {
    # the red team's lines
    "arith_command": READ + "(( x ))",
    "arith_for": READ + "for ((i=x;i<0;i++)); do :; done",
    "arith_for_condition": READ + "for ((; x; )); do break; done",
    "blank_arith_then_let": READ + "(( 1 )); let x",
    "blank_arith_then_declare_i": READ + "(( 1 )); declare -i y=x",
    "declare_second_option_i": READ + "declare -x -i y=x",
    "declare_plus_option_then_i": READ + "declare +x -i y=x",
    "local_a_i_in_function": READ + "f(){ local -a -i y=x; }; f",
    # found while fixing: the same rules read on the words bash runs
    "quoted_let": READ + "'let' x",
    "quoted_integer_option": READ + "declare '-i' y=x",
    "integer_option_from_a_variable": READ + "o=-i; declare $o y=x",
    "integer_array": READ + "declare -ai a=(x 2)",
    "integer_declared_then_read": "declare -i y; read -r y < n.txt",
    "value_names_a_name": "read -r foo < n.txt; y=foo; x=y; echo $((x))",
}
ORDINARY = [
    "for ((i=0;i<3;i++)); do echo $i; done",
    "for ((i = 0; i < 3; i++)); do echo hi; done",
    "(( n = 1 + 2 ))",
    "(( 1 )); echo ok",
    "x=3; (( x > 1 )) && echo big",
    "declare -i n=5",
    "declare -x -i n=5",
    "declare -ai a=(1 2 3)",
    "f(){ local -i y=3; }; f",
    "let x=1",
    "i=0; let i=i+1",
    "i=0; let 'i = i + 1'",
    "echo $((1 + 2))",
    "[[ 1 -eq 1 ]]",
    "read -r x < n.txt; declare +i y=x; echo ok",
    "N=$(nproc); echo jobs $((N-N+1))",
]


@pytest.mark.parametrize("form", sorted(ATTACKS))
def test_arithmetic_on_a_value_read_from_a_file_is_refused(kernel, form):
    install = kernel.uv_install()
    (kernel.work / "n.txt").write_text("c[$(" + install + ")]\n")
    code = bash_cell(ATTACKS[form]).replace("{", "{{").replace("}", "}}")
    refused = kernel.proves(code)
    assert "arithmetic on the line evaluates" in refused, refused


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_arithmetic_is_read(tmp_path, line):
    (tmp_path / "n.txt").write_text("c[$(uv pip install warden-demo-pkg)]\n")
    assert line_refusal(line, tmp_path, {}) == ""


# two ordinary lines run under Warden: one the shell text reader masks, one it cannot (a
# blank-padded `(( ))`: read as plain words, it holds no `$`)
MASKED = "for ((i=0;i<3;i++)); do let n=n+i; done; declare -x -i k=5; i=0; let i=i+k; echo $n$i > m"
UNMASKED = "x=3; (( n = x + 2 )); declare -i y=n; (( y > 1 )) && echo big > m2"


def test_ordinary_arithmetic_runs(kernel):
    code = bash_cell(MASKED) + bash_cell(UNMASKED).split("\n", 1)[1]
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "m").read_text() == "35\n"
    assert (kernel.work / "m2").read_text() == "big\n"
