"""Red team 38a R38a-3: the gate takes "a path of the standard library's pathlib" from the
live ``sys.modules``.

``gate._text`` (the write rule's ``_path_text`` and every process start's word) reads a path
object by ``os.fspath`` when ``type(obj)`` is ``sys.modules.get("pathlib").PosixPath``: a
guarded w.py puts a module of its own in ``sys.modules['pathlib']`` whose ``PosixPath`` is its
class, whose ``__fspath__`` answers the site ``.pth`` to the C code that opens it and another
file to Warden's reading (asked again after the C code: by its caller's frame). ``io.FileIO``
audits the object it was given (R35-4); ``os.rename``/``os.link``/``os.symlink`` audit theirs
too. Not the open
"patched ``PurePath.__fspath__``" item: the real pathlib is untouched, any class passes.

Proof: installs without Warden and, today, with Warden too.
"""

from test_redteam32_places import _site_cell

WRITER = (
    "import os, sys, sysconfig, types\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "class P:\n"
    "    def __fspath__(self):\n"
    "        caller = sys._getframe(1).f_code.co_filename\n"
    "        return '/tmp/r38a_data.txt' if 'jupyterlab_warden' in caller else site + '/zz.pth'\n"
    "sys.modules['pathlib'] = types.SimpleNamespace(PosixPath=P, PurePosixPath=P)\n"
    "data = open('p.pth').read()\n"
    "import io\n"
    "io.FileIO(P(), 'w').write(data.encode())\n"
)


def test_a_path_class_of_its_own_named_pathlib(own_kernel):
    start = f"open('w.py', 'w').write({WRITER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] or "P object" in e["message"] for e in blocked), blocked
