"""Fix round 41 (red team 38a R38a-4): a relative name written while another thread moves the
working folder is read in every folder the process has been in (``start_writes.StartWrites.
_check_elsewhere``). A neighbour of the red team's ``open``: ``os.rename`` to a relative name;
and the ordinary form, a threaded script writing its data by relative names, still runs.
"""

from test_redteam32_places import _site_cell

# the red team's flip, the write a rename of a file made in a plain folder to ``zz.pth``
RENAMER = (
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
    "src = tempfile.mkdtemp() + '/q'\n"
    "for _ in range(3000):\n"
    "    open(src, 'w').write(data)\n"
    "    try:\n"
    "        os.rename(src, 'zz.pth')\n"
    "    except OSError as exc:\n"
    "        refused[:] = [exc]\n"
    "        continue\n"
    "    if os.path.exists(site + '/zz.pth'):\n"
    "        break\n"
    "done.append(1)\n"
    "if refused:\n"
    "    raise refused[0]\n"
)


def test_a_rename_to_a_relative_name_while_a_thread_moves_the_folder(own_kernel):
    start = f"open('w.py', 'w').write({RENAMER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


# a thread moving the working folder between two plain folders and the site folder while the
# main one writes data, a project's modules and a data file in the site folder by relative names
LEGIT = (
    "import os, sys, sysconfig\n"
    "open('w.py', 'w').write(\n"
    "    'import os, sysconfig, tempfile, threading\\n'\n"
    "    'site = sysconfig.get_paths()[\"purelib\"]\\n'\n"
    "    'one, two = tempfile.mkdtemp(), tempfile.mkdtemp()\\n'\n"
    "    'done = []\\n'\n"
    "    'def flip():\\n'\n"
    "    '    while not done:\\n'\n"
    "    '        os.chdir(one)\\n'\n"
    "    '        os.chdir(two)\\n'\n"
    "    '        os.chdir(site)\\n'\n"
    "    'threading.Thread(target=flip, daemon=True).start()\\n'\n"
    "    'for _ in range(200):\\n'\n"
    '    \'    for name in ("data.csv", "model.pt", "utils.py", "__init__.py", "setup.py"):\\n\'\n'
    '    \'        open(name, "w").write("1")\\n\'\n'
    "    '        try:\\n'\n"
    "    '            os.remove(name)\\n'\n"
    "    '        except FileNotFoundError:\\n'\n"
    "    '            pass\\n'\n"
    "    'done.append(1)\\n'\n"
    ")\n"
    "py = sys.executable\n"
    "assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
)


def test_a_threaded_script_writing_by_relative_names_runs(own_kernel):
    """No false refusal: ordinary names, in every folder the thread moves to."""
    result = own_kernel.cell(LEGIT.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result
