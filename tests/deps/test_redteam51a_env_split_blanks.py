"""Red team 51a R51a-1: ``env -S`` splits TEXT at blanks shlex does not know (\\v, \\f).

GNU env's ``-S`` (coreutils 9.1 ``splitbuf``) ends a word at any of space, tab, newline,
``\\v``, ``\\f`` and ``\\r``. ``commands._unwrap`` reads TEXT with ``shlex.split``, whose
whitespace is only `` \\t\\r\\n``, and ``_refuse_split_escapes`` refuses only a backslash
or a ``$``: a vertical tab or form feed passes. So ``env -S 'UV\\vpip\\vinstall ...'`` is
read as ONE word, a program named ``UV\\vpip\\vinstall`` that is no installer (nothing
decided), while env runs ``uv pip install ...`` and the listed release installs.

The control: the same text with plain blanks is read and refused by the record.
"""

import sys

import pytest
from listed_release import demo_index, record, write_policy

index = demo_index("index51a1")
LISTED = record("MAL-2099-511")

TAIL = (
    f"-q --no-config --no-cache --python {sys.executable} --target {{target}}"
    " --index-url {index} warden-demo-pkg==0.9"
)


def _cell(sep: str) -> str:
    text = "{uv}" + sep + "pip" + sep + "install " + TAIL
    return f"import subprocess\nsubprocess.run(['env', '-S', {text!r}])\n"


def test_r51a_1_control_plain_blanks_are_read(kernel):
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(" "))
    assert "MAL-2099-511" in refused, refused


@pytest.mark.parametrize("sep", ["\v", "\f"], ids=["vertical-tab", "form-feed"])
def test_r51a_1_env_split_string_other_blanks(kernel, sep):
    write_policy(kernel, LISTED)
    # FAILS today: read as one program word (no installer); env runs uv pip install
    refused = kernel.proves(_cell(sep))
    assert "MAL-2099-511" in refused or "env -S" in refused, refused
