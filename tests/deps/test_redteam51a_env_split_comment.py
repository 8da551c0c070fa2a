"""Red team 51a R51a-2: a ``#`` word in ``env -S`` TEXT starts a comment (GNU env), not a word.

GNU env's ``-S`` ends TEXT at a word beginning with ``#`` (coreutils ``splitbuf``: the rest
of TEXT is a comment; checked: ``env -S 'echo a #b c'`` prints ``a``); the arguments after
TEXT still follow. ``commands._unwrap`` reads TEXT with ``shlex.split`` (comments off), so
``#`` stays a word there: ``env -S 'uv pip install ... -r #' reqs.txt`` is read as
``-r '#'`` (a file the cell wrote, harmless) and ``reqs.txt`` a requirement NAME (unknown,
nothing listed), while env runs ``uv pip install ... -r reqs.txt``: the file naming the
listed release. Any valued option works the same way (the value Warden reads is ``#``, the
value that runs is the next argument).

The control: the same start with TEXT ending before ``#`` (what env runs) is refused.
"""

import sys

from listed_release import demo_index, record, run_guarded, run_plain, write_policy

index = demo_index("index51a2")
LISTED = record("MAL-2099-512")

OPTIONS = (
    f"-q --no-config --no-cache --python {sys.executable} --target {{target}} --index-url {{index}}"
)
FILES = (
    "open('#', 'w').write('# nothing here\\n')\n"
    "open('reqs.txt', 'w').write('warden-demo-pkg==0.9\\n')\n"
)


def _cell(text: str) -> str:
    return FILES + f"import subprocess\nsubprocess.run(['env', '-S', {text!r}, 'reqs.txt'])\n"


def test_r51a_2_control_what_env_runs_is_refused(kernel):
    write_policy(kernel, LISTED)
    code = _cell("{uv} pip install " + OPTIONS + " -r")
    assert run_plain(kernel, code) == "0.9"
    result, version = run_guarded(kernel, code)
    assert version is None and "MAL-2099-512" in (result["refused"] or ""), result


def test_r51a_2_env_split_string_comment(kernel):
    write_policy(kernel, LISTED)
    code = _cell("{uv} pip install " + OPTIONS + " -r #")
    assert run_plain(kernel, code) == "0.9"  # env drops `#`: -r reqs.txt
    result, version = run_guarded(kernel, code)
    # FAILS today: read as `-r '#' reqs.txt`; the listed release installs under Warden
    assert version is None, f"installed {version} under Warden: {result}"
    assert result["refused"], result
