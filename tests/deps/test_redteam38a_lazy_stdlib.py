"""Red team 38a R38a-6: the guarded child's first process start imports ``contextvars``
lazily (``start_writes.child_writes``: "``contextvars`` is no import of the guard's boot"), by
its absolute name, through ``sys.path``, whose first folder is the script's own.

A ``contextvars.py`` beside w.py gives the gate a ``ContextVar`` whose ``get()`` is False:
``commands._refuse_child_writes`` (a command a guarded Python starts may not write a
start-up name: R32-3's ``os.system('cp p.pth ' + site)``) then refuses nothing, and the next
Python on the line runs the ``.pth`` before its guard. No patching at all: a file in the
notebook's folder (a module named like a standard one, as a user's ``contextvars.py`` demo).

Proof: installs without Warden and, today, with Warden too (the refusal expected: the ``cp``).
"""

from test_redteam32_places import _site_cell

# the real module's names; the one variable the guard makes answers False
FAKE = (
    "from _contextvars import Context, Token, copy_context\n"
    "from _contextvars import ContextVar as _ContextVar\n"
    "class _Never:\n"
    "    def set(self, value):\n"
    "        return None\n"
    "    def reset(self, token):\n"
    "        pass\n"
    "    def get(self, *default):\n"
    "        return False\n"
    "class ContextVar:\n"
    "    def __new__(cls, name, **kwargs):\n"
    "        return _Never() if name == 'warden_child_writes' else _ContextVar(name, **kwargs)\n"
    "    __class_getitem__ = _ContextVar.__class_getitem__\n"
)
WRITER = (
    "import os, sysconfig\nos.system('cp p.pth ' + sysconfig.get_paths()['purelib'] + '/zz.pth')\n"
)


def test_a_contextvars_beside_the_script(own_kernel):
    start = (
        f"os.makedirs('d', exist_ok=True); open('d/contextvars.py', 'w').write({FAKE!r})\n"
        f"    open('d/w.py', 'w').write({WRITER!r})\n"
        "    os.system(py + ' d/w.py; ' + py + ' -c pass')"
    )
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), [e["message"][:400] for e in blocked]
