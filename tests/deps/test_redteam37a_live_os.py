"""Red team 37a R37a-3: the write rule's lazily imported helpers read with the live ``os``.

R36-3 made ``start_writes``/``path_writes`` read through ``frozen_os``, but ``line_folders``
(the folders a site ``.pth`` path line adds, R34-6b) come from ``pth_lines.added_folders``,
which lists the site folders with the module ``os``'s ``listdir`` as the process has it at
its first write, and keeps the answer (``_FOUND["lines"]``). A guarded w.py rebinds
``os.listdir`` to answer [] for its site folder, writes a data file there (the rule reads
its path lines: none), puts ``os.listdir`` back, removes the site folder's
``_distutils_hack`` (a site removal is not refused) and writes ``_distutils_hack.py`` into an
editable project's root: the next Python's ``distutils-precedence.pth`` imports it there,
before its guard. The same holds for ``startup_modules.pth_imports`` (``line_names``) and
``pyenv_places``.
"""

import os
import shutil
import sysconfig
import time

from test_redteam32_places import _site_cell

WRITER = (
    "import os, shutil, sysconfig\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "real = os.listdir\n"
    "os.listdir = lambda p='.': [] if p == site else real(p)\n"
    "open(site + '/r37_data.txt', 'w').close()  # the rule reads its path lines now\n"
    "os.listdir = real\n"
    "shutil.rmtree(site + '/_distutils_hack')\n"
    "open(PROJ + '/_distutils_hack.py', 'w').write(\n"
    "    'def add_shim():\\n    pass\\n'\n"
    "    'exec(open(%r).read())\\n' % os.path.abspath('p.pth'))\n"
)


def _restore(kernel, proj):
    """The fixture's site folder again: its _distutils_hack, no project copy."""
    (proj / "_distutils_hack.py").unlink(missing_ok=True)
    if not (kernel.site / "_distutils_hack").exists():
        ours = sysconfig.get_paths()["purelib"]
        shutil.copytree(os.path.join(ours, "_distutils_hack"), kernel.site / "_distutils_hack")
    (kernel.site / "r37_data.txt").unlink(missing_ok=True)
    time.sleep(2.5)  # older than the next kernel's start (``start_files``' slack)


def test_a_listing_rebound_before_the_first_write_hides_the_path_lines(own_kernel, tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    (own_kernel.site / "_editable_impl_proj.pth").write_text(str(proj) + "\n")
    time.sleep(2.5)
    writer = WRITER.replace("PROJ", repr(str(proj)))
    code = _site_cell(
        f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    _restore(own_kernel, proj)
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert guarded["refused"] is None, guarded
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded
    assert "_distutils_hack" in guarded["stderr"], guarded
