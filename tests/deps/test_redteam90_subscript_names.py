"""Red team 90 F5 (CRITICAL): bash evaluates the subscript of an array NAME given to a builtin
(``test -v``, ``[[ -v ]]``, ``printf -v``, ``read``, ``unset``, ``wait -p``, a nameref's
target, a declaring builtin's operand or compound ``=(...)`` value) as arithmetic, and an
arithmetic operand (``let``, ``[[ A -eq B ]]``, ``$((...))``, ``${x:O:L}``, ``${a[...]}``)
too, expanding it first: a ``$(...)`` there runs. The words were quoted literals (or a
variable holding one, or a file's text through ``$(cat f)``), which the reading took as plain
text, so any command in them (here the cell's new perl installer tools/mytool) ran unread.

Fixed (fix90a): ``name_operands`` finds the words bash reads as a name or arithmetic (quotes
removed) and the line's arithmetic expansions as written, and refuses one holding a command
substitution, a backtick, an escape, or an expansion whose value Warden does not know; a
plain ``$NAME`` there is judged by its value (``shell_values.evaluated``'s arithmetic rule).

- ``test_bash_runs_each_spelling``: bash 5.2 really runs the command of every spelling below
  (a marker file), so the list is the shell's, not a guess;
- ``test_each_spelling_is_refused``: the reading refuses each (land90 read 54 of the 61 as
  plain text and accepted them);
- ``test_ordinary_lines_are_read``: the ordinary lines next to them stay readable;
- two kernel proofs from the red team's file: installs without Warden, refused with it."""

import os
import subprocess
import sys

import pytest
from launched import line_refusal
from real_uv import real_uv
from test_redteam18_path import PERL

# the spellings: SUB stands for `$(CMD)`, CMD for the command (./mk, which makes a marker
# file, in the bash runs; the cell's new perl installer tools/mytool in the readings)
SPELLINGS = {
    # the red team's
    "test-v": "test -v 'a[SUB]'",
    "bracket-v": "[ -v 'a[SUB]' ]",
    "dbl-bracket-v": "[[ -v 'a[SUB]' ]]",
    "printf-v": "printf -v 'a[SUB]' 1",
    "read": "read 'a[SUB]' <<< 1",
    "declare-compound": "declare -a X='([SUB]=1)'",
    "declare-assoc-compound": "declare -A X='([SUB]=1)'",
    "declare-compound-whole-word": "declare -a 'X=([SUB]=1)'",
    "typeset-compound": "typeset -a X='([SUB]=1)'",
    "readonly-compound": "readonly -a X='([SUB]=1)'",
    "local-compound": "f(){ local -a X='([SUB]=1)'; }; f",
    "nameref": "declare -n R='a[SUB]'; R=1",
    "variable-test-v": "X='a[SUB]'; test -v \"$X\"",
    "variable-bracket-v": "X='a[SUB]'; [ -v \"$X\" ]",
    "variable-printf-v": "X='a[SUB]'; printf -v \"$X\" 1",
    "variable-read": "X='a[SUB]'; read \"$X\" <<< 1",
    "dbl-bracket-eq": "[[ 'a[SUB]' -eq 1 ]]",
    "let-literal": "let 'a[SUB]'",
    "substring-offset": "x=abc; echo ${x:'a[SUB]'}",
    "quoted-subscript": "a=(1 2); echo ${a['SUB']}",
    "file-value-eq": "echo 'a[SUB]' > V; [[ $(cat V) -ge 2 ]]",
    # found while fixing
    "test-v-backtick": "test -v 'a[`CMD`]'",
    "test-v-escaped": "test -v a\\[\\$\\(CMD\\)\\]",
    "test-v-ansi-c": "test -v $'a[\\x24(CMD)]'",
    "let-ansi-c": "let $'a[\\x24(CMD)]'",
    "dbl-bracket-eq-right": "[[ 1 -eq 'a[SUB]' ]]",
    "dbl-bracket-eq-in-and": "[[ 'a[SUB]' -eq 1 && 1 ]]",
    "dbl-bracket-v-in-or": "[[ -v 'a[SUB]' || 1 ]]",
    "printf-v-glued": "printf -v'a[SUB]' 1",
    "read-second-name": "read -r x 'a[SUB]' <<< 1",
    "unset-array-element": "a=(1); unset 'a[SUB]'",
    "unset-assoc-element": "declare -A A; unset 'A[SUB]'",
    "wait-p": "sleep 0 & wait -n -p 'a[SUB]'",
    "nameref-used": "declare -n R='a[SUB]'; echo $R",
    "declare-subscript": "declare 'a[SUB]=1'",
    "declare-g-subscript": "declare -g 'a[SUB]=1'",
    "let-assignment": "let 'x=a[SUB]'",
    "arith-expansion-quoted": "echo $(( 'a[SUB]' ))",
    "arith-expansion-double-quoted": 'echo $(( "a[SUB]" ))',
    "arith-expansion-sum": "x=1; echo $(( x + 'a[SUB]' ))",
    "arith-for-header": "for ((i='a[SUB]';0;)); do :; done",
    "substring-length": "x=abc; echo ${x:0:'a[SUB]'}",
    "substring-double-quoted": 'x=abc; echo ${x:"a[SUB]"}',
    "array-slice-offset": "a=(1); echo ${a[@]:'a[SUB]'}",
    "positional-slice-offset": "set -- 1 2; echo ${@:'a[SUB]'}",
    "substring-from-a-file": "echo 'a[SUB]' > V; x=abc; echo ${x:$(cat V)}",
    "arith-from-a-file": "echo 'a[SUB]' > V; echo $(( $(cat V) + 1 ))",
    "arith-backtick-file": "echo 'a[SUB]' > V; [[ `cat V` -ge 2 ]]",
    "subscript-default": "a=(1); echo ${a['SUB']:-x}",
    "subscript-length": "a=(1); echo ${#a['SUB']}",
    "subscript-indirect": "a=(1); echo ${!a['SUB']}",
    "subscript-double-quoted": 'a=(1 2); echo ${a["SUB"]}',
    "assigned-subscript": "a=(1 2); a['SUB']=3",
    "assigned-subscript-double-quoted": 'a=(1 2); a["SUB"]=3',
    "compound-through-a-variable": "Y='([SUB]=1)'; declare -a X=$Y",
    "compound-through-a-quoted-variable": "Y='([SUB]=1)'; declare -A X=\"$Y\"",
    "compound-to-an-array": "Y='([SUB]=1)'; X=(1); declare X=$Y",
    "compound-to-a-declared-array": "Y='([SUB]=1)'; declare -a X; declare X=$Y",
    "compound-variable-in-parentheses": "Y='[SUB]=1'; declare -a X=\"($Y)\"",
    "nameref-through-a-variable": "Y='a[SUB]'; declare -n R=$Y; echo $R",
    "integer-append": "declare -i i; i+='a[SUB]'",
}


def _line(form: str, command: str) -> str:
    return SPELLINGS[form].replace("SUB", "$(CMD)").replace("CMD", command)


@pytest.mark.parametrize("form", sorted(SPELLINGS))
def test_bash_runs_each_spelling(tmp_path, form):
    (tmp_path / "mk").write_text("#!/bin/sh\ntouch MARK\n")
    (tmp_path / "mk").chmod(0o755)
    line = _line(form, "./mk")
    subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True, timeout=30)
    assert (tmp_path / "MARK").exists(), line


@pytest.mark.parametrize("form", sorted(SPELLINGS))
def test_each_spelling_is_refused(tmp_path, form):
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "mytool").write_text('#!/usr/bin/perl\nsystem("u"."v");\n')
    (tools / "mytool").chmod(0o755)
    line = _line(form, "tools/mytool")
    assert line_refusal(line, tmp_path, {}), line


ORDINARY = [
    "test -v HOME",
    "[ -v HOME ]",
    "[[ -v HOME ]]",
    "n=1; [[ $n -eq 1 ]]",
    'n=1; [[ "$n" -eq 1 ]]',
    "[[ $# -eq 0 ]]",
    "[[ $? -ne 0 ]] || echo ok",
    'read -r line < n.txt; echo "$line"',
    'while read -r line; do echo "$line"; done < n.txt',
    "IFS=: read -r a b c < n.txt; echo $a",
    "read -p 'name? ' -r name < n.txt",
    'read -ra parts <<< "a b c"',
    "mapfile -t lines < n.txt",
    "readarray -t lines < n.txt",
    "declare -a arr=(1 2 3)",
    "declare -a X='(1 2)'",
    "typeset -a list=()",
    "arr=(1 2 3); echo ${arr[1]} ${#arr[@]} ${arr[@]:1}",
    'arr=(1 2 3); for i in 0 1 2; do echo "${arr[$i]}"; done',
    'arr=(1 2 3); i=1; echo "${arr[i]}"',
    "printf -v out '%s' x",
    "printf -v 'out' '%s-%s' a b; echo $out",
    "i=0; printf -v \"arr[$i]\" '%s' x",
    "let i=i+1",
    "i=0; let 'i = i + 1'",
    "for ((i=0;i<3;i++)); do echo $i; done",
    "echo $((1 + 2))",
    "x=abcdef; echo ${x:1:2} ${x: -1} ${x:-d} ${x:=d}",
    "echo ${1:-default}",
    "set -- a b; echo ${@:2}",
    "declare -n ref=HOME; echo $ref",
    "unset x y",
    "unset -v 'arr[1]'",
    "unset -f myfunc",
    "getopts ab opt",
    'while getopts "ab:" opt; do case $opt in a) echo a;; esac; done',
    "sleep 0 & wait -n -p pid; echo $pid",
    "make -j$(nproc) -n",
    "echo $(( $(nproc) + 1 ))",
    "[[ $(nproc) -ge 2 ]] && echo many",
    "awk '{count[$1]++} END {for (k in count) print k}' n.txt",
    "perl -e 'my @a=(1); print $a[$#a]'",
    "echo '${x:1}' '$((1))'",
    "export FOO=bar; readonly BAZ=1",
    "declare -i n=5",
    "declare -r PI=3",
    "declare X=$HOME",
    '[[ -n "$HOME" ]] && echo ok',
    '[ "$x" = y ]',
    '[ "$n" -eq 1 ]',
    'test "$(cat n.txt)" -eq 1',
    "[ $(wc -l < n.txt) -gt 0 ] && echo y",
    'x=$(cat n.txt); echo "$x"',
]


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_are_read(tmp_path, line):
    (tmp_path / "n.txt").write_text("1\n")
    assert line_refusal(line, tmp_path, {}) == ""


def _perl(kernel) -> str:
    """red team 18's installing perl (the installer's name in pieces, by its full path)."""
    text = PERL.format(py=sys.executable, target=kernel.target, index=kernel.index.simple)
    return text.replace('"u"."v p"', f'"{os.path.dirname(real_uv())}/u"."v p"')


WRITE = """import os, subprocess
os.makedirs('tools', exist_ok=True)
with open('tools/mytool', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/mytool', 0o755)
"""
PROOFS = {
    "test-v": "test -v 'a[$(tools/mytool)]'",
    "file-value-eq": "echo 'a[$(tools/mytool)]' > VERSION; [[ $(cat VERSION) -ge 2 ]]",
}


@pytest.mark.parametrize("form", sorted(PROOFS))
def test_subscript_in_a_name_argument(kernel, form):
    cell = WRITE.format(payload=_perl(kernel)) + (
        "subprocess.run(['bash', '-c', "
        + repr(PROOFS[form]).replace("{", "{{").replace("}", "}}")
        + "])\n"
    )
    guarded = kernel.kept_from_refused_host(cell)
    assert "bash evaluates a value as shell text" in (guarded["refused"] or ""), guarded
