"""Red team 38a R38a-5: the write rule calls the live builtins.

``frozen_os`` froze ``os``/``os.path``/``stat`` for the rule (R36-3), but the rule's own
functions (and the frozen copies) still look ``type``, ``isinstance``, ``len``... up in the
``builtins`` module at each call. A guarded w.py rebinds ``builtins.type`` so that its ``str``
subclass reads as ``str``: ``StartWrites._written_path`` (``type(path) is str``: the hot path)
then hands the rule the object itself instead of its text, and every string method the rule
and ``os.path`` call on it (``rfind``, ``__getitem__``, ``endswith``, ``partition``...) answers
for a harmless name, while the C ``open`` writes the object's data: the site ``.pth``.

Proof: installs without Warden and, today, with Warden too.
"""

import shlex

from test_redteam32_places import _site_cell

WRITER = (
    "import builtins, sysconfig\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "SHOWN = '/tmp/r38a_data.txt'\n"
    "real_type = type\n"
    "class S(str):\n"
    "    pass\n"
    "def shown(name):\n"
    "    return lambda self, *a, **k: getattr(SHOWN, name)(*a, **k)\n"
    "for name in ('__getitem__', 'rfind', 'find', 'startswith', 'endswith', 'partition',\n"
    "             'rpartition', 'split', 'rsplit', 'rstrip', 'lstrip', 'strip', '__eq__',\n"
    "             '__ne__', '__hash__', '__contains__', '__len__', '__iter__', '__add__',\n"
    "             'join', 'replace', 'count', 'index', 'rindex', 'isdigit', '__str__'):\n"
    "    setattr(S, name, shown(name))\n"
    "def fake_type(*args):\n"
    "    if len(args) == 1 and real_type(args[0]) is S:\n"
    "        return str\n"
    "    return real_type(*args)\n"
    "data = open('p.pth').read()\n"
    "builtins.type = fake_type\n"
    "open(S(site + '/zz.pth'), 'w').write(data)\n"
    "builtins.type = real_type\n"
)


def test_a_rebound_builtin_type_hands_the_rule_a_lying_str(own_kernel):
    start = f"open('w.py', 'w').write({WRITER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


# the kernel's own start: ``gate._words`` reads ``argv[:]`` of a list by ``type(argv) is
# list``; a list subclass (rebound ``type``: read as a list) answers a slice with harmless
# words, while ``os.posix_spawn`` takes its items one by one (``PySequence_ITEM``)
SPAWN = (
    "import builtins, os\n"
    "# the harmless start first: the gate's lazy imports (typing...) done before the rebinding\n"
    "os.waitpid(os.posix_spawn(WORDS[0], [WORDS[0], '--version'], dict(os.environ)), 0)\n"
    "real_type = type\n"
    "class L(list):\n"
    "    def __getitem__(self, i):\n"
    "        if real_type(i) is slice:\n"
    "            return [WORDS[0], '--version'][i]\n"
    "        return list.__getitem__(self, i)\n"
    "def fake_type(*args):\n"
    "    if len(args) == 1 and real_type(args[0]) is L:\n"
    "        return list\n"
    "    return real_type(*args)\n"
    "builtins.type = fake_type\n"
    "try:\n"
    "    pid = os.posix_spawn(WORDS[0], L(WORDS), dict(os.environ))\n"
    "finally:\n"
    "    builtins.type = real_type\n"
    "os.waitpid(pid, 0)\n"
)


def test_a_rebound_builtin_type_hands_the_kernels_gate_a_lying_list(own_kernel):
    words = shlex.split(own_kernel.uv_install())
    cell = f"WORDS = {words!r}\n" + SPAWN
    own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
