"""Red team 34 R34-8: the guard's write rule (``start_writes``) read a write's path TEXT first
(``_candidate``): a module a site folder's own ``.pth`` imports under another name (the
``editables`` library's ``_editable_impl_NAME``, hatchling's ``dev-mode-exact``, PDM's editable
installs), written through a link to the site folder (``sl/_editable_impl_demo.py``), was no
candidate, and the rule returned before ``written_folder``. Now a write whose folder is one of
this Python's site folders or its library by device and inode is read on (``own_folder``).
Each case installs without Warden; with it w.py's write is refused."""

import time

import pytest
from test_redteam32_places import _site_cell

WRITES = {
    "relative_through_folder_link": "os.symlink(site, 'sl'); "
    "open('sl/_editable_impl_demo.py', 'w').write(open('p.pth').read())",
    "absolute_through_folder_link": "import tempfile; t = tempfile.mkdtemp() + '/sl'; "
    "os.symlink(site, t); "
    "open(t + '/_editable_impl_demo.py', 'w').write(open('p.pth').read())",
}


@pytest.mark.parametrize("case", sorted(WRITES))
def test_a_pth_imported_module_through_a_folder_link(own_kernel, case):
    # an editable install of the `editables` kind, made before the kernel starts
    (own_kernel.site / "_editable_impl_demo.pth").write_text("import _editable_impl_demo\n")
    (own_kernel.site / "_editable_impl_demo.py").write_text("VALUE = 1\n")
    time.sleep(1.5)
    writer = "import os, sysconfig\nsite = sysconfig.get_paths()['purelib']\n" + WRITES[case] + "\n"
    start = (
        f"open('w.py', 'w').write({writer!r}); os.path.lexists('sl') and os.remove('sl')\n"
        "    os.system(py + ' w.py && ' + py + ' -c pass')\n"
        "    open(site + '/_editable_impl_demo.py', 'w').write('VALUE = 1\\n')"
    )
    code = _site_cell(start)
    # the guarded kernel first: the plain run rewrites the module (w.py, then the cell), which
    # a kernel starting within a second after would read as changed since its start
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    ran_guarded = own_kernel.installed() or bool(own_kernel.index.requests)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    ran_plain = own_kernel.installed()
    assert ran_plain, plain
    assert not ran_guarded, guarded


def test_control_the_same_write_by_the_site_path_is_refused(own_kernel):
    """Control: the same module written by its site path (``-packages`` in the text) is
    refused by w.py's guard, so nothing is installed."""
    (own_kernel.site / "_editable_impl_demo.pth").write_text("import _editable_impl_demo\n")
    (own_kernel.site / "_editable_impl_demo.py").write_text("VALUE = 1\n")
    time.sleep(1.5)
    writer = "import os, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    writer += "open(site + '/_editable_impl_demo.py', 'w').write(open('p.pth').read())\n"
    start = (
        f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py && ' + py + ' -c pass')"
    )
    own_kernel.reset()
    guarded = own_kernel.cell(_site_cell(start), launched=True)
    assert not own_kernel.installed() and not own_kernel.index.requests, guarded
    assert "Jupyter Warden refused" in guarded["stderr"], guarded
