"""Red team 88 F8 (HIGH): a PATH folder written ``~+/DIR`` or ``~-/DIR``. bash tilde-expands a
PATH element when it looks a name up (findcmd.c, red team 86 F1), and its tilde prefixes
include ``~+`` ($PWD) and ``~-`` ($OLDPWD), not only ``~`` and ``~user``. Warden's reading
(``path_programs._tilde``: ``pwd.getpwnam('+')`` fails -> "bash leaves it as written";
``commands._which``: ``os.path.expanduser('~+/pb')`` is unchanged) reads only the relative
folder ``./~+/pb``, which does not exist, so a new ``pb/gzip`` in the start's folder runs
when bash runs ``gzip`` by name, unread: red team 86 F1's proof with ``~+`` for ``~``."""

import os

import pytest
from launched import Kernel
from test_redteam82_path_link_target import _payload

WRITE = """import os, subprocess
os.makedirs('pb', exist_ok=True)
with open('pb/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('pb/gzip', 0o755)
"""


def _cell(kernel: Kernel, how: str) -> str:
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_payload(kernel))
    if how == "inherited":
        cell += "os.environ['PATH'] = '~+/pb:' + os.environ['PATH']\n"
        cell += "subprocess.run(['bash', '-c', 'gzip -c a.txt > a.gz'])\n"
    elif how == "env":
        cell += "env = dict(os.environ, PATH='~+/pb:' + os.environ['PATH'])\n"
        cell += "subprocess.run(['bash', '-c', 'gzip -c a.txt > a.gz'], env=env)\n"
    else:  # a plain `!` line: dash runs bash, which sets the PATH and looks gzip up
        cell += 'os.system("bash -c \\"export PATH=\'~+/pb\':$PATH; gzip -c a.txt > a.gz\\"")\n'
    return cell


@pytest.mark.parametrize("how", ["inherited", "env", "line"])
def test_a_tilde_plus_path_folder_bash_expands_is_read(kernel, how):
    def fresh() -> str:
        gz = kernel.work / "pb" / "gzip"
        if gz.exists():
            os.unlink(gz)
        return _cell(kernel, how)

    guarded = kernel.kept_from_refused_host(fresh)
    assert guarded["refused"], guarded
