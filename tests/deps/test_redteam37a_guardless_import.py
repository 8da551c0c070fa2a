"""Red team 37a R37a-2: a guardless Python's ``-c`` text that imports a module of the working
folder.

R36-2 counts a Python whose options drop the guard (-E, -S) as a writer Warden cannot place
when its ``-c`` text names a way to write (``commands._drops_its_guard``, the word list
``_PY_MAY_WRITE``). ``-c "import w"`` names none; ``-c`` puts the working folder first on
``sys.path`` (-E and -S keep it; -I does not), and w.py's plain ``open(SITE + '/zz.pth',
'w')`` writes the site folder (no guard in that Python). The next Python on the line runs the
``.pth`` before its guard. What the imported module does is read for installs
(``guardless``), not as a writer's places.
"""

import pytest
from test_redteam32_places import _site_cell


@pytest.mark.parametrize("flag", ["-S", "-E"])
def test_a_guardless_python_importing_a_local_writer(own_kernel, flag):
    start = (
        "open('w.py', 'w').write('open(%r, \"w\").write(open(\"p.pth\").read())\\n'"
        " % (site + '/zz.pth'))\n"
        f"    os.system(py + ' {flag} -c \"import w\"; ' + py + ' -c pass')"
    )
    own_kernel.proves(_site_cell(start))  # refused before the line runs
