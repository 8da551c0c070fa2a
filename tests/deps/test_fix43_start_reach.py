"""Fix 43 (red team 39c R39c-1/1b/2): the standard-library modules ``start_files`` checks for
a Python start are the import closure of what the start may import before its guard, not a
list of names. Cheap checks of the reach itself, no kernel (the proofs are
test_redteam39c_*.py)."""

import sys

from jupyterlab_warden.kernel.guard.installs import start_files, stdlib_reach


def test_the_reach_covers_site_error_path_and_codecs_without_site_folders():
    reach = start_files.start_reach(())
    # site's own function-level import when a .pth line raises (R39c-1b) and the codecs'
    # imports (encodings.idna -> stringprep, quopri_codec, bz2_codec: R39c-2)
    for name in ("traceback", "linecache", "tokenize", "stringprep", "quopri", "bz2"):
        assert name in reach, name


def test_the_reach_follows_a_site_module_a_pth_line_imports(tmp_path):
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "rt43finder.py").write_text("import fnmatch\nfrom pathlib import Path\n")
    (site / "rt43.pth").write_text("import rt43finder\n")
    reach = start_files.start_reach([str(site)])
    assert {"pathlib", "fnmatch", "re", "contextlib"} <= reach
    assert "pathlib" in start_files.start_reach([str(site)])  # kept, same answer


def test_the_reach_names_only_standard_modules():
    reach = start_files.start_reach(())
    assert reach <= stdlib_reach.SHADOWABLE
    assert not reach & frozenset(sys.builtin_module_names)
