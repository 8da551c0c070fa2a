"""Red team 88 F6 (fix88d) (HIGH where Node's npm is installed, as here: /usr/bin/npm 11): npm puts
``node_modules/.bin`` of its folder (and of each parent) first on the PATH of what it runs
(@npmcli/run-script's set-path; libnpmexec runs a local bin by name first). Warden reads that
folder only for npm's command VALUES (``command_values._PROGRAM_PATH_FOLDERS``, red team 27
R27-3), never as a PATH folder of the start (``_refuse_path_programs`` /
``gate._path_programs``), and ``npx NAME`` is read as a package name to fetch from npm:

- ``npx``: ``npx gzip -c a.txt`` runs the cell's new node_modules/.bin/gzip itself;
- ``call``: ``npm exec --call='tar czf o.tgz a.txt'`` (no shell, wrapper or interpreter in
  the text, so ``_refuse_handed_text`` passes it): tar runs node_modules/.bin/gzip.
Both unread. (uv run's scripts folder got exactly this rule in fix87b, F8.)"""

import os
import shutil

import pytest
from launched import installed
from test_redteam82_path_link_target import _payload

WRITE = """import os
os.makedirs('node_modules/.bin', exist_ok=True)
with open('node_modules/.bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('node_modules/.bin/gzip', 0o755)
"""
LINES = {
    "npx": "npx --offline gzip -c a.txt > a.gz",
    "call": "npm exec --offline --call='tar czf o.tgz a.txt'",
}


@pytest.mark.parametrize("how", sorted(LINES))
def test_npm_bin_folder_is_read_as_a_path_folder(kernel, how):
    installed("tar")
    installed("npm")
    (kernel.work / "a.txt").write_text("a\n")

    def fresh() -> str:
        shutil.rmtree(kernel.work / "node_modules", ignore_errors=True)
        (kernel.work / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
        return WRITE.format(payload=_payload(kernel)) + "os.system(" + repr(LINES[how]) + ")\n"

    guarded = kernel.kept_from_refused_host(fresh)
    assert guarded["refused"], guarded
