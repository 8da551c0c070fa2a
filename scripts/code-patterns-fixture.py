"""Writes schema/vectors/code-patterns.json: a corpus of code, option and operand strings with,
for every pattern of schema/code-interpreters.json (each language's name_pattern, starts,
magic_operand, refused_option_pattern, code_tokens, digit_options, code_value_options), what
Python's ``re`` finds in each (the first match's text, or null). tests/deps/test_redteam15_code.py
checks the file is what the kernel's engine gives today, src/deps/interpreters.spec.ts that
JavaScript's RegExp gives the same: a deny rule that one engine reads differently (a numbered
backreference to a group that did not take part: red team 15 R15-4) fails one side.
    PYTHONPATH=. python scripts/code-patterns-fixture.py
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "schema/vectors/code-patterns.json"

CORPUS = [
    # perl: s/// with an e flag, wherever it ends (R15-4), and plain s///
    "s/x/y/e;", "s/x/y/e", "s{x}{y}e", "s(x)(y)e", "s<x> <y>ee", "s#x#y#ee and 1",
    "(s/x/CODE/e)", "s/x/CODE/e,1", "s/x/CODE/gre;", "s!x!y!e", "s'x'y'e", "s/x/\\/e/g",
    "s/x/\nsystem/e", "s xaxbxee", "print \"it's a test, a b\"", "s|a|b|g", "s/a/b/g",
    "s/name/x/", "s/(\\w+)/\\u$1/g", "tr/a-z/A-Z/",
    '$_="x"; s#x#"sys"."tem(q(u).q(v))"#ee;', "y/abc/xyz/", "print $F[1]", "print if /e/",
    # perl: a bracketed pattern with a replacement in another delimiter (R16-10)
    "s{x}|y|ee", "s(x)!y!e", "s{x} #c\n|y|e", "s<x> ayae", "s<x> aya e", "s[x]/y/ge",
    "s[x]/y/g", 's{a}{b}g; print "the"', '$_="x"; s{x}|"sy"."stem(q(u))"|ee;',
    # perl: open, ARGV, references, -F values (R15-24)
    "open(my $f, '<', 'x.txt') or die", "open F, \"x\"; print <F>", "open(F, '-|', 'ls')",
    "@ARGV = ('ls |')", "$ARGV[0]", "print $ARGV", "@{$r}", "&$c(1)", "$a && $b", "->x", "A::B",
    "/x/);system(q(u));split(/y/", "'x'", '"x"', ",", ":", "\\t", "/,/",
    "print join(\",\", @F[0..2])", "$x{e}", "$s = 1; print $s", "__END__",
    # awk
    "{print $1}", "BEGIN { system(\"u\" \"v\") }", "{ print | \"sh\" }", "a || b", "@load",
    "\"cmd\" | getline x", "print |& \"x\"",
    # node
    "console.log(1)", "require('child_process')", "process.exit()", "x[0]", "`a`",
    "({\"cons\\x74ructor\": F} = parseInt)", "var F; ({constructor: F} = parseInt)",
    "const {a, b} = {a: 1, b: 2}", "'a\\'b'", "\"a\\\"b\"", "0x1F", "1.5e3", "42n", "a => a + 1",
    "Function('return 1')()", "globalThis.x", "Reflect.get", "--test", "--test-reporter=x",
    "--watch-path", "--title", "--experimental-loader=x", "--require", "--import=x",
    # ruby, php, lua, R, julia, tcl
    "puts 1", "%x(ls)", "Kernel.exec", "$stdout", "echo 1;", "$f('x')", "${x}", "('sys')('x')",
    "new X", "os.execute('x')", "print(1)", "io.popen", "system('ls')", "x[[1]]", "base::get",
    "run(`ls`)", "@eval", "println(1)", "exec ls", "[exec ls]", "{*}$x", "puts $x",
    # sed (R15-22): e after any address form, s///e, s///w
    "1e ls", "$e ls", "/x/Ie ls", "\\%x%e ls", "1~2e ls", "0,/x/e ls", "/x/,+2 e ls",
    "s/a/b/e", "s/a/b/w out", "s|a|b|ge", "s/a/b/", "s/a/b/gI", "1,5p", "/^#/d", "y/ab/cd/",
    "$!N", "/x/{p;d}", "a hello", "i\\\nhello", "e", ":a;N;ba", "s/e/f/",
    # operands, option values, program names
    "data.txt", "./*.txt", "*.txt", "|ls", "ls|", "<f", ">f", "+<f", "-|", "$HOME/x", "`x`",
    "perl", "perl5", "perl5.36", "node", "node20", "nodejs", "ruby3.1", "php8.2-cli", "lua5.4",
    "luajit", "Rscript", "R", "julia-1.9", "sed", "gsed", "tclsh8.6", "wish", "expect", "awk",
    "gawk", "mawk", "original-awk", "015e", "0777ne", "x1Fn", "", " ", "\n", "é", "\\", "/",
]  # fmt: skip


def patterns(table: dict):
    """(a name, the pattern) for every pattern of the table."""
    for language, spec in table["languages"].items():
        for field in ("name_pattern", "starts", "magic_operand", "refused_option_pattern",
                      "code_tokens"):  # fmt: skip
            if spec.get(field):
                yield f"{language}.{field}", spec[field]
        for field in ("digit_options", "code_value_options"):
            for option, pattern in spec.get(field, {}).items():
                yield f"{language}.{field}.{option}", pattern


def found(pattern: str, text: str):
    hit = re.search(pattern, text)
    return None if hit is None else hit.group(0)


def fixture() -> dict:
    table = json.loads((ROOT / "schema/code-interpreters.json").read_text())
    return {
        "description": (
            "Every pattern of schema/code-interpreters.json searched in every corpus string: "
            "found[pattern name][i] is the text of the first match in corpus[i] (null: none). "
            "Written from Python's re by scripts/code-patterns-fixture.py; "
            "tests/deps/test_redteam15_code.py checks it is current, src/deps/interpreters.spec.ts "
            "that JavaScript finds the same (red team 15 R15-4)."
        ),
        "corpus": CORPUS,
        "found": {name: [found(p, text) for text in CORPUS] for name, p in patterns(table)},
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(fixture(), indent=1, ensure_ascii=False) + "\n")
