"""Writes src/deps/testdata/shell-lines.json: shell lines generated from pieces that stress the
shell reading (launchers, wrappers, redirections, cd, assignments, loops, process
substitutions, uvx, runpy; and red team 12's quoting, comment, substitution and heredoc fragments,
tests/deps/shell_fragments.py) with the install rules the kernel's reading and decision give for
each. tests/deps/test_shell_lines.py checks the kernel still gives them and
src/deps/shelllines.spec.ts that the static side gives the same (red team 7: the two readers
split and decide a line alike). Each line runs in a folder with r.txt and sub/r.txt = black.
    PYTHONPATH=. python scripts/shell-lines-fixture.py
"""

import json
import os
import random
from pathlib import Path

from tests.deps.shell_fragments import lines as fragment_lines
from tests.deps.test_shell_lines import rules_for

OUT = Path(__file__).resolve().parents[1] / "src/deps/testdata/shell-lines.json"
COMMANDS = [
    "echo 'black @ https://evil.example/b-1.0-py3-none-any.whl'", "cat r.txt", "cp a r.txt",
    "setsid uv pip install black", "flock l uv pip install black", "pip install black",
    "uv pip install -r r.txt", "cd sub", "cd $D", "export PIP_INDEX_URL=https://evil.example/s",
    "git clone x", "python -m venv v", "uvx pip install torcj", "python -m runpy pip install x",
    "tee r.txt", "set -e", "ls", "time -f %e uv pip install torcj", "exec -a x pip install x",
    "nice -n 5 pip install torcj", "env -S 'pip install torcj'", "mkdir -p out", "X=1",
    "conda activate e", "sudo -u bob pip install torcj", "timeout 5 uv pip install -r r.txt",
    "(cd sub && pip install black)", "find . -exec pip install black \\;", "grep pip r.txt",
    "python3 -m pip install -r r.txt", "uv run python x.py", "pip list", "pushd sub", "popd",
    "sh -c \"echo x > r.txt; pip install black\"", "bash -c 'cd sub && uv pip install -r r.txt'",
    "printf -v X %s y", "declare -x PIP_INDEX_URL=https://evil.example/s", "unset X",
    "command -v uv", "builtin command pip install torcj", "coproc pip install torcj",
    "script -qc 'pip install black' /dev/null", "runuser -u b -- pip install black",
    "/usr/bin/u? pip install black", "p''ip install torcj", "uvx --from pipx pipx install torcj",
    "uv tool run pip install torcj", "python -m mytool pip", "echo pip install x", "while true",
    "do uv pip install -r r.txt", "done", "f() { pip install black; }", "f", "tee >(uv sync)",
    "diff <(cat r.txt) r.txt", "env -C sub pip install black", "./echo uv pip install black",
    "python --version", "uv --version",
]  # fmt: skip
# command substitutions read as lines of their own (added as they are: the generated lines stay)
SUBSTITUTIONS = [
    "echo $(pip --version) && uv pip install -r r.txt", "echo `uv pip install black`",
    "source $(conda info --base)/etc/profile.d/conda.sh && conda activate e",
    "echo $(echo black > r.txt) && uv pip install -r r.txt", "pip install $(cat r.txt)",
    "cd sub; echo $(uv pip install -r r.txt)", "echo \"$(pip install torcj)\" | tee r.txt",
    "uv pip install -r r.txt | echo $(cp a r.txt)", "echo ${x:-$(uvx pip install torcj)}",
    "for x in 1; do echo $(pip install black); cp a r.txt; done",
    "eval \"$(conda shell.bash hook)\"",
    "echo x > $(uv pip install torcj)", "echo $(echo $(pip install torcj)) $(pip list)",
]  # fmt: skip
# assignments whose value is an expansion (red team 13 R13-9): ordinary lines that pass, and
# the ones where the value decides the program, an installer's argument or setting, or PATH
ASSIGNED_EXPANSIONS = [
    "CUDA_VISIBLE_DEVICES=$GPU python train.py", "OMP_NUM_THREADS=$(nproc) python train.py",
    "OUT=${HOME}/data; mkdir -p $OUT", "TS=$(date +%s); mkdir run_$TS",
    "for f in *.csv; do n=$(wc -l < $f); echo $n; done", "x=$((1<<2)); pip install black",
    "OUT=$(pwd)/x; uv pip install -r r.txt", "X=$(cat f); $X install torcj",
    "I=$(cat u); pip install -i $I black", "P=$(which pip); sudo $P install black",
    "PIP_INDEX_URL=$U; export PIP_INDEX_URL; pip install black", "PATH=$X:$PATH; ls",
    "UV_INDEX_URL=$U uv pip install black", "export UV_INDEX_URL=$U; uv pip install black",
    "UV_INDEX_URL=$U ./install.sh", "X=$Y; export UV_INDEX_URL=$X; uv pip install black",
    "export UV_INDEX_URL=$U; unset UV_INDEX_URL; uv pip install black",
    "export PIP_INDEX_URL=$U; pip install black", "IFS=$X; ls", "HOME=$(pwd); ls",
    "BASH_ENV=$F; bash x.sh", "export PATH=$HOME/.local/bin:$PATH && uv pip install black",
]  # fmt: skip
# programs that run shell text or a command of their own (red team 13 R13-5), added as they are
LAUNCHERS = [
    "script -qec 'u$@v pip install black' /dev/null", "git -c alias.x='!u$@v sync' x",
    "tar cf /dev/null --checkpoint=1 --checkpoint-action=exec='u$@v sync' f",
    "flock l -c 'u$@v sync'", "watch -g 'u$@v sync'", "ssh -o ProxyCommand='u$@v sync' h",
    "find . -exec bash -c 'u$@v sync' \\;", "chrt 0 bash -c 'u$@v sync'",
    "git config alias.x '!u$@v sync'", "vim -es -c '!u$@v sync'", "tclsh <<< 'exec u[]v sync'",
    "git clone x && cd x && pip install -r r.txt", "tar xzf a.tgz && uv pip install -r r.txt",
    "find . -name '*.py' -exec rm {} + ; pip install black", "make -C build -j4 && pip list",
    "git -C d pull && script -qc 'ls -l' /dev/null",
]  # fmt: skip
# red team 13: lines the reader cannot model, bash arithmetic, heredoc bodies the shell
# expands, alias values and trap actions
RED_TEAM_13 = [
    "u$@v p$@ip install torcj; echo `echo \\a`", "echo it's", "x=1; ((x<<E))\nu$@v p$@ip x\nE",
    "for ((i=0;i<3;i++)); do echo $i; done\nuv pip install -r r.txt", "echo $[1<<E]\nls\nE",
    "cat <<E\nit's $(u$@v p$@ip install torcj)\nE", "cat <<E\necho '$(pip install torcj)'\nE",
    "cat <<E > r.txt\nit's $(date)\nE\nuv pip install -r r.txt", "((n++)); pip install black",
    "alias x='u$@v'\nx p$@ip install torcj", "alias ll='ls -la'", "trap 'u$@v p$@ip x' EXIT",
    "trap 'pip install torcj' EXIT", "trap - EXIT", "if ((n > 1)); then ls; fi",
]  # fmt: skip
# red team 13 R13-13, R13-18, R13-19, R13-20: values bash assigns by name or evaluates as
# shell text, PATH from variables, set -k's trailing assignments
BASH_VALUES = [
    "for UV_INDEX_URL in $U; do export UV_INDEX_URL; uv pip install black; done",
    ": ${UV_INDEX_URL:=$U}; export UV_INDEX_URL; uv pip install black", "echo ${x@P}",
    "read UV_INDEX_URL < u; export UV_INDEX_URL; uv pip install black", "set -x; ls",
    "printf -v PIP_INDEX_URL %s x; python -I -m pip install black", "mapfile -C f a < r.txt",
    "set -k; uv pip install black UV_INDEX_URL=$U", "d=$; PS4=\"${d}(id)\"; set -x",
    "d=$; x=\"a[${d}(id)]\"; [[ x -eq 1 ]]", "export PATH=$(cat p):$PATH; ls pip install x",
    "X=/opt/t; export PATH=$X:$PATH; pip install black", "for f in a b; do echo $f; done",
    "set -o keyword; ls x=1", "getopts o XDG_CONFIG_HOME; uv pip install black",
]  # fmt: skip
# red team 14 R14-33/R14-32: a shell's options read as bash and dash read them (a valued
# option, a + word, options after -c, long options, keyword in any spelling); R14-36: bash's
# process substitution read as a line of its own
SHELL_STARTS = [
    "bash -o pipefail -c 'uv pip install -r r.txt'", "bash -eo pipefail -c 'pip install torcj'",
    "sh +e -c 'pip install torcj'", "sh -c -- 'pip install torcj'", "bash -c -x 'u$@v sync'",
    "timeout 60 bash -o pipefail -c 'pip install torcj'", "nohup sh -o errexit -c 'u$@v sync'",
    "bash -O extglob -c 'pip install black'", "bash --norc -c 'pip install torcj'",
    "bash -x --norc -c 'pip install black'", "bash -co pipefail 'pip install torcj'",
    "bash -ko pipefail -c 'uv pip install black UV_INDEX_URL=$U'", "sh +c 'pip install torcj'",
    "set -euxo pipefail; pip install black", "bash -o pipefail x.sh", "bash - -c 'ls'",
    "cat <(u$@v p$@ip install torcj)", "echo x > >(u$@v sync)", "export <(u$@v sync)",
    "diff <(sort r.txt) <(sort sub/r.txt)", "cat <(pip install torcj)",
]  # fmt: skip
# red team 14 (tables15): programs that run command text, read with one getopt model
# (prefixes, bundles, options from MAKEFLAGS), commands from their input, and ordinary lines
COMMAND_TEXT = [
    "MAKEFLAGS='--eval=x:;u$$@v' make x", "make --ev='x:;u$$@v' x", "tar cIf 'u$@v sync' x f",
    "echo '.shell u$@v sync' | sqlite3 :memory:", "LESSOPEN='|u$@v sync %s' less f",
    "git -c protocol.ext.allow=always clone 'ext::sh -c u$@v' x", "sg root -c 'u$@v sync'",
    "zip -T -TT 'u$@v sync' a.zip f", "tmux new -d 'u$@v sync'", "env --split-s='u$@v sync'",
    "make -j4 && tar xzf data.tgz && less README && zip -r out.zip dir && tmux ls",
    "uv pip install -r r.txt; sqlite3 db.sqlite 'select 1'; git clone https://github.com/x/y",
]  # fmt: skip
# red team 14 R14-20: a program reached through /proc or /dev names the process running it;
# R14-15, R14-16, R14-31: awk's -W, perl's @ARGV and expanded operands, node read by names
PROGRAMS_14 = [
    "/proc/self/exe -c 'u$@v sync'", "/dev/fd/3 -c 'ls' 3</bin/sh", "exec /proc/self/exe -c ls",
    "/usr/bin/env python3 x.py", "python train.py && pip install black", "awk -W exec x.awk",
    "awk -We x.awk r.txt", "awk -W interactive 'BEGIN { system(\"u\" \"v sync\") }'",
    "awk -W interactive '{print $1}' r.txt", "awk '{print $1}' r.txt && pip install black",
    "perl -e '@ARGV=(\"u\".\"v sync |\"); print <>'", "perl -pe 's/a/b/' \"$F\"",
    "perl -pi -e 's/a/b/' r.txt && uv pip install -r r.txt", "perl -pi -e 's/a/b/' *.txt",
    "perl -pi -e 's/a/b/' ./*.txt", "node -e 'console.log(1+1)' && pip install black",
    "node -e \"Object.getOwnPropertyDescriptor(this, 'req'+'uire')\"",
]  # fmt: skip
# red team 32 R32-4, R32-5: a Python among a launcher's operands is a start of its own, read
# with the launcher's environment; CPU pinning stays ordinary
RED_TEAM_32 = [
    "PYTHONPATH=d taskset -c 0 python -c 'import os; os.system(input())'",
    "PYTHONPATH=d choom -n 0 -- python3 -c 'import subprocess; subprocess.run(input())'",
    "PYTHONPATH=src prlimit --nofile=1024 python -", "chrt -o 0 python train.py",
    "taskset -c 0 python train.py && pip install black", "numactl -N 0 python -m x",
]  # fmt: skip
SEPARATORS = [" ; ", " && ", " || ", " | ", " & ", "\n", " |& "]
FRAGMENT_LINES = 150
REDIRECTIONS = ["", "", "", " > r.txt", " 2>&1", " > /dev/null", " >> log", " >r.txt", ">&2"]


def main():
    # read as the tests read them, without the PYTHONPATH this script runs with: `.` there is
    # a folder a Python (pip's too, red team 32) imports from as it starts, and every writer
    # on a line may write it (R31-6)
    os.environ.pop("PYTHONPATH", None)
    rng = random.Random(7)  # noqa: S311 - reproducible test lines, not secrets
    lines = set()
    while len(lines) < 300:
        parts = [rng.choice(COMMANDS) + rng.choice(REDIRECTIONS) for _ in range(rng.randint(1, 3))]
        line = parts[0]
        for part in parts[1:]:
            line += rng.choice(SEPARATORS) + part
        lines.add(line)
    lines.update(fragment_lines(FRAGMENT_LINES))
    lines.update(SUBSTITUTIONS)
    lines.update(ASSIGNED_EXPANSIONS)
    lines.update(LAUNCHERS)
    lines.update(RED_TEAM_13)
    lines.update(BASH_VALUES)
    lines.update(SHELL_STARTS)
    lines.update(COMMAND_TEXT)
    lines.update(PROGRAMS_14)
    lines.update(RED_TEAM_32)
    cases = [{"line": line, "rules": rules_for(line)} for line in sorted(lines)]
    doc = {"description": __doc__.split("\n    ")[0].replace("\n", " "), "cases": cases}
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
