"""Red team 34 R34-10: the allowance of an allowed pip install (``gate._pip_code_runs``:
every frame from pip's command down to the write is pip's, the standard library's or the
guard's; red team 33 R33-8) holds against a replaced function whose CODE is the script's, not
against one that is a standard-library function bound to the script's arguments:
``functools.partial(shutil.copyfile, 'p.pth', <site>/zz.pth)`` in place of a function pip's
install command calls with no arguments (``check_externally_managed``) leaves no frame of the
script between pip's command and the write. w.py (guarded) runs an install the gate allows
(``--no-index``: nothing fetched), its .pth lands in the site folder, and the next Python on
the line runs it before its guard."""

from test_redteam32_places import _site_cell

WRITER = (
    "import functools, shutil, sysconfig\n"
    "from pip._internal.commands import create_command, install\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "install.check_externally_managed = functools.partial(shutil.copyfile, 'p.pth', site + '/zz.pth')\n"
    "create_command('install').main(['--no-index', '-q', 'warden-nothing-here'])\n"
)


def test_a_bound_stdlib_function_inside_an_allowed_pip_install(own_kernel):
    start = (
        f"open('w.py', 'w').write({WRITER!r})\n"
        "    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    code = _site_cell(start)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    ran_plain = own_kernel.installed()
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    ran_guarded = own_kernel.installed() or bool(own_kernel.index.requests)
    print("RESULT pip allowance", "plain:", ran_plain, "guarded:", ran_guarded,
          (guarded["refused"] or "")[:400], guarded["stderr"][-900:])
    assert ran_plain, plain
    assert not ran_guarded, guarded
