"""Red team 38a R38a-4: the write rule reads a relative name by the working folder as it is
while it reads; the C open that follows the audit hook resolves it by the working folder then.

A guarded w.py's second thread flips the process's working folder between a plain folder and
the site folder while the first opens ``zz.pth`` for writing, by its relative name, again and
again (a refusal is a ``PermissionError`` the script catches): a write read while the folder
was ``/tmp/...`` (nothing of a site folder) and opened after the flip lands the ``.pth``.
"""

from test_redteam32_places import _site_cell

WRITER = (
    "import os, sys, sysconfig, tempfile, threading\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "data = open('p.pth').read()\n"
    "plain = tempfile.mkdtemp()\n"
    "done, refused = [], []\n"
    "def flip():\n"
    "    while not done:\n"
    "        os.chdir(site)\n"
    "        os.chdir(plain)\n"
    "threading.Thread(target=flip, daemon=True).start()\n"
    "sys.setswitchinterval(1e-6)\n"
    "for _ in range(3000):\n"
    "    try:\n"
    "        with open('zz.pth', 'w') as f:\n"
    "            f.write(data)\n"
    "    except OSError as exc:\n"
    "        refused[:] = [exc]\n"
    "        continue\n"
    "    if os.path.exists(site + '/zz.pth'):\n"
    "        break\n"
    "done.append(1)\n"
    "if refused:\n"
    "    raise refused[0]\n"
)


def test_a_thread_moves_the_working_folder_under_the_rules_reading(own_kernel):
    start = f"open('w.py', 'w').write({WRITER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked
