"""Fix round 40 (red team 37a R37a-1): a write made inside the write rule's own reading.

The rule (``start_writes.StartWrites.check``) marked its thread while it read a write and read
no write made while marked. Beyond the rule's lazy imports (fixed: it imports nothing while it
reads), code of the guarded Python's own can run inside the reading: a garbage collection's
callbacks and finalizers (any allocation of the reading may start one), a signal handler. (An
audit hook of its own cannot: ``sys.addaudithook`` is refused, ``hook_order``.) A write made
there is now read in full once more (``_check_inner``) and refused by that reading, not
skipped.
"""

from test_redteam32_places import _site_cell

# a gc callback (a collection at nearly every allocation) that copies a .pth into the site
# folder when the collection runs inside Warden's reading of a write (its frames on the stack);
# without Warden, w.py copies it itself at its end
GC_WRITER = (
    "import gc, shutil, sys, sysconfig\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "done = []\n"
    "def inside():\n"
    "    frame = sys._getframe(2)\n"
    "    while frame is not None:\n"
    "        if 'start_writes' in frame.f_code.co_filename:\n"
    "            return True\n"
    "        frame = frame.f_back\n"
    "    return False\n"
    "def copy(phase, info):\n"
    "    if not done and inside():\n"
    "        done.append(1)\n"
    "        shutil.copyfile('p.pth', site + '/zz.pth')\n"
    "gc.callbacks.append(copy)\n"
    "gc.set_threshold(1)\n"
    "open(site + '/r37_data.txt', 'w').close()\n"
    "gc.set_threshold(700)\n"
    "done or shutil.copyfile('p.pth', site + '/zz.pth')\n"
)


def test_a_gc_callback_writing_inside_the_rules_reading(own_kernel):
    start = (
        f"open('w.py', 'w').write({GC_WRITER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


# a gc log of the Python's own (a line per collection, appended to a file, as a memory profiler
# keeps one) while it writes a package's data file in its site folder: the rule reads the data
# file, collections run inside its reading, and their log writes are read there and allowed
LEGIT = (
    "import os, sys, sysconfig\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "open('w.py', 'w').write(\n"
    "    'import gc, sysconfig\\n'\n"
    "    'site = sysconfig.get_paths()[\"purelib\"]\\n'\n"
    "    'def log(phase, info):\\n'\n"
    "    '    if phase == \"stop\":\\n'\n"
    '    \'        open("gc.log", "a").write(str(info["collected"]) + "\\\\n")\\n\'\n'
    "    'gc.callbacks.append(log)\\n'\n"
    "    'gc.set_threshold(1)\\n'\n"
    '    \'open(site + "/r40_data.json", "w").write("1")\\n\'\n'
    "    'gc.set_threshold(700)\\n'\n"
    ")\n"
    "py = sys.executable\n"
    "try:\n"
    "    assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
    "    assert open(site + '/r40_data.json').read() == '1'\n"
    "    assert open('gc.log').read()\n"
    "finally:\n"
    "    os.path.exists(site + '/r40_data.json') and os.remove(site + '/r40_data.json')\n"
)


def test_a_gc_callback_that_writes_its_log_runs(own_kernel):
    """No false refusal: the callback's own log, written inside the rule's reading."""
    result = own_kernel.cell(LEGIT.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result
