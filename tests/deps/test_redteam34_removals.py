"""Red team 34 R34-8: the guard's write rule (``start_writes``) reads creations and
replacements only: a guarded w.py REMOVES the site folder's ``_distutils_hack`` (setuptools'
``distutils-precedence.pth`` imports it at every start; ``os.remove``/``os.rmdir`` are not
read), and writes ``_distutils_hack.py`` in a folder a ``.pth`` path line adds (an editable
project's root: not a site folder, so not the guard's; outside w.py's folder, so not R31-6's
place of a guarded writer). The import then finds w.py's module, before the next Python's
guard. The path line here is a ``.pth`` the cell writes (what ``pip install -e`` leaves; a
path line is no code, so the line's reading passes it) sorted before
``distutils-precedence.pth``, as ``_editable_impl_*.pth``/``__editable__*.pth`` sort."""

from test_redteam32_places import _site_cell

START = (
    "import tempfile, shutil\n"
    "    proj = tempfile.mkdtemp(prefix='rt34-proj-')\n"
    "    open(site + '/_editable_impl_proj.pth', 'w').write(proj + '\\n')\n"
    "    hack = open('p.pth').read() + 'def add_shim(): pass\\n'\n"
    "    open('w.py', 'w').write('import shutil, sysconfig\\n'\n"
    "        'site = sysconfig.get_paths()[\"purelib\"]\\n'\n"
    "        'shutil.move(site + \"/_distutils_hack\", %r)\\n'\n"
    "        'open(%r, \"w\").write(%r)\\n' % (proj + '/kept', proj + '/_distutils_hack.py', hack))\n"
    "    try:\n"
    "        os.system(py + ' w.py && ' + py + ' -c pass')\n"
    "    finally:\n"
    "        if os.path.isdir(proj + '/kept'):\n"
    "            shutil.move(proj + '/kept', site + '/_distutils_hack')\n"
    "        os.remove(site + '/_editable_impl_proj.pth')\n"
    "        shutil.rmtree(proj)"
)


def test_removed_start_up_module_falls_through_to_a_path_line_folder(own_kernel):
    code = _site_cell(START)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    ran_plain = own_kernel.installed()
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    ran_guarded = own_kernel.installed() or bool(own_kernel.index.requests)
    print("RESULT removal", "plain:", ran_plain, "guarded:", ran_guarded,
          (guarded["refused"] or "")[:400], guarded["stderr"][-600:])
    assert ran_plain, plain
    assert not ran_guarded, guarded
