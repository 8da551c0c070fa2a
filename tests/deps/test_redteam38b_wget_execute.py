"""Red team 38b R38b-9: wget's ``-e``/``--execute`` runs a wgetrc command, ``dir_prefix``
among them (the folder ``-P`` sets). ``line_writers._wget``'s table has no ``-e``, so wget
is read as a writer off the list: its words' trees (``commands._word_paths``). ``-e
'dir_prefix = <site>'`` (wgetrc allows blanks around ``=``) is one word whose ``=`` value
starts with a blank, and ``--execute=dir_prefix=<site>`` is read as the path
``dir_prefix=<site>``: both are relative names under the notebook's folder, no site folder.
wget saves zz.pth (served by the cell's own HTTP server) into the kernel's site folder and
the next Python runs it before its guard. FAILS today (installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

SERVE = (
    "import shutil, threading, http.server, functools\nshutil.copy('p.pth', 'zz.pth')\n"
    "handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=os.getcwd())\n"
    "srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)\n"
    "threading.Thread(target=srv.serve_forever, daemon=True).start()\n"
    "url = 'http://127.0.0.1:%d/zz.pth' % srv.server_address[1]\n"
)
OPTIONS = {
    "-e blanks": '"-e \'dir_prefix = " + site + "\'"',
    "--execute=": "'--execute=dir_prefix=' + site",
}


@pytest.mark.parametrize("case", sorted(OPTIONS))
def test_wget_execute_sets_its_folder(own_kernel, case):
    line = f"os.system('wget -q ' + {OPTIONS[case]} + ' ' + url + '; ' + py + ' -c pass')"
    start = SERVE.replace("\n", "\n    ") + line
    code = _site_cell(start)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    fetched = list(own_kernel.index.requests)
    assert not own_kernel.installed() and not fetched, ("installed under Warden", guarded)
