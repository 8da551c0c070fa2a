"""Writes schema/vectors/env-split.json: ``env -S`` texts and the words the real GNU env
(coreutils ``/usr/bin/env``, checked 9.1) splits each into, or null where env refuses the text
(exit 125, nothing starts). Hand-picked texts (red team 51a R51a-1/2, every escape, quoting,
comments) and seeded random ones over the characters env treats specially.
tests/deps/test_env_split.py holds the kernel's ``installs/env_split.py`` to the file (and the
file to this machine's env), src/deps/envsplit.spec.ts the TypeScript twin.
    python scripts/env-split-fixture.py
"""

import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "schema/vectors/env-split.json"
SHOW = "import json, sys; print(json.dumps(sys.argv[1:]))"

HAND = [
    "uv pip install x",
    "uv\vpip\vinstall x",
    "uv\fpip\fx",
    "a\rb",
    "a\nb\tc",
    "  a   b  ",
    "",
    " ",
    "#",
    "a #b c",
    "a#b c",
    "a '#b' c",
    "a \\#b",
    "-r #",
    "a # b",
    "a\v#b",
    "'a b' c",
    '"a b" c',
    "'' x",
    '"" x',
    "a''b",
    "'a'\"b\"c",
    "'a\\'b'",
    "'a\\\\b'",
    "'a\\nb'",
    "'a\\c'",
    '"a\\nb"',
    '"a\\_b"',
    "a\\_b",
    "a\\cb c",
    "a \\c b",
    '"a\\cb"',
    "a\\tb",
    "a\\vb",
    "a\\fb",
    "a\\rb",
    "a\\nb",
    "a\\\\b",
    "a\\'b",
    'a\\"b',
    "a\\$b",
    "a\\x",
    "a\\",
    "'a",
    '"a',
    "a'b c'd",
    "'${HOME}'",
    "a$b",
    "pkg==0.9 -r",
    "-i uv",
    "-u NAME uv",
    "-S uv pip",
    "a=b uv",
    "'a\"b' \"c'd\"",
    '"a\\$b"',
    '"a\\#b"',
    '"a#b" #c',
    "é ü",
    "\\_a",
    "a\\_",
    "\\_\\_ a",
]
ALPHABET = ["a", "b", "=", "-", " ", "\t", "\n", "\v", "\f", "\r", "#", "'", '"', "\\", "_",
            "c", "n", "t", "v", "x", "$", "{", "}"]  # fmt: skip


def real(text: str):
    done = subprocess.run(
        ["/usr/bin/env", "-S", f"{sys.executable} -c '{SHOW}' " + text],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode == 125:
        return None
    assert done.returncode == 0, (text, done.stderr)
    return json.loads(done.stdout)


def texts():
    rng = random.Random(61)  # noqa: S311 - a fixed seed: the same texts every run
    generated = [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 9))) for _ in range(400)
    ]
    seen = []
    for text in HAND + generated:
        if text not in seen and "$" not in text.replace("\\$", "").replace("'${HOME}'", ""):
            seen.append(text)  # ${NAME} expands from env's environment: not a fixed answer
    return seen


def main() -> None:
    vectors = [{"text": t, "words": real(t)} for t in texts()]
    OUT.write_text(json.dumps({
        "description": "env -S TEXT -> the words GNU env (coreutils 9.1) splits it into; null: env "
        "refuses TEXT (exit 125). Written by scripts/env-split-fixture.py from the real env.",
        "vectors": vectors,
    }, indent=1, ensure_ascii=False) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
