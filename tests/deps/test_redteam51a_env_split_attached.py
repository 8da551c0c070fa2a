"""Red team 51a R51a-3: an attached ``-STEXT`` whose TEXT holds ``=`` is read from after the ``=``.

``commands._unwrap`` splits every option word at its first ``=`` (``option, eq, value =
word.partition("=")``) before it knows the option, and for ``-S`` takes ``value if eq``: so
the attached ``-S{uv} pip install ... warden-demo-pkg==0.9`` is read as the split string
``=0.9`` (one NAME=VALUE word, no command: nothing decided). GNU env takes everything after
``-S`` as TEXT (getopt's attached value; only a long ``--split-string=TEXT`` ends its name at
``=``). A ``#!/usr/bin/env -S ...`` script run by name is always this form: the kernel hands
env the rest of the line as ONE argument ``-S ...`` (``shebang.interpreter_words``), so any
such line with a ``==`` pin (or any ``=``) is misread. The script's own path, which the
kernel appends, is made harmless by ending the line with ``-r`` (uv reads the script as a
requirements file: its ``#!`` line is a comment).

The control: the same words as separate arguments are read and refused.
"""

import sys

from listed_release import demo_index, record, run_guarded, run_plain, write_policy

index = demo_index("index51a3")
LISTED = record("MAL-2099-513")

WORDS = (
    "{uv} pip install -q --no-config --no-cache --python "
    + sys.executable
    + " --target {target} --index-url {index} warden-demo-pkg==0.9"
)


def _refused(kernel, code: str) -> None:
    assert run_plain(kernel, code) == "0.9"
    result, version = run_guarded(kernel, code)
    assert version is None, f"installed {version} under Warden: {result}"
    assert result["refused"], result


def test_r51a_3_control_separate_words_are_read(kernel):
    write_policy(kernel, LISTED)
    _refused(kernel, f"import subprocess\nsubprocess.run(['env', '-S', {WORDS!r}])\n")


def test_r51a_3_attached_split_string_with_equals(kernel):
    write_policy(kernel, LISTED)
    # FAILS today: the split string read as `=0.9`; uv installs the listed release
    _refused(kernel, f"import subprocess\nsubprocess.run(['env', '-S' + {WORDS!r}])\n")


def test_r51a_3_env_split_string_shebang_with_equals(kernel):
    write_policy(kernel, LISTED)
    # short: the kernel reads 256 bytes of a #! line (the target is ../target from work/)
    short = (
        "{uv} pip install --no-cache --target ../target --index-url {index} warden-demo-pkg==0.9"
    )
    line = "#!/usr/bin/env -S " + short + " -r\n"
    code = (
        "import os, subprocess\n"
        f"open('go', 'w').write({line!r})\nos.chmod('go', 0o755)\n"
        "subprocess.run(['./go'])\n"
    )
    # FAILS today: the #! line's one argument `-S ...==0.9 -r` read as `=0.9 -r`
    _refused(kernel, code)
