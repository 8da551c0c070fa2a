"""Red team 39a: an entry planted in the standard library's ``re._cache``.

The gate's line reading calls ``re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word)`` (and ``re.search``,
``re.sub``... with string patterns) to skip a command's leading ``NAME=VALUE`` assignments
(``commands.program_argv``, ``_function_called``, ``_split_assignments``...). ``re.match``
looks its pattern up in ``re._cache``, a plain dict keyed ``(str, pattern, flags)`` whose
values it never checks: the process puts an object there whose ``match`` says every word is
an assignment. The uv command then reads as assignments only, no program, no install, and
``os.system`` runs the uv install of warden-demo-pkg from the refused test index. Neither
frozen_builtins (builtins, import system) nor frozen_os covers a library module's caches; the
real ``re`` module, not one planted in ``sys.modules``.

Proof: installs without Warden and, today, with Warden too (the refusal expected).
"""

ASSIGNMENT = r"^[A-Za-z_][A-Za-z0-9_]*="
PLANT = (
    "import os, re\n"
    "class Everything:\n"
    "    def match(self, text, *rest):\n"
    "        return True\n"
    f"re._cache[(str, {ASSIGNMENT!r}, 0)] = Everything()\n"
)


def test_a_cell_plants_the_assignment_pattern(own_kernel):
    cell = PLANT + f"os.system({own_kernel.uv_install()!r})\n"
    own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))


def test_a_guarded_script_plants_the_assignment_pattern(own_kernel):
    script = PLANT + f"os.system({own_kernel.uv_install()!r})\n"
    cell = (
        "import os, sys\n"
        f"open('w.py', 'w').write({script!r})\n"
        "os.system(sys.executable + ' w.py')\n"
    )
    assert own_kernel.child_refuses(cell.replace("{", "{{").replace("}", "}}"))


def test_ordinary_assignments_still_read(own_kernel):
    """No false refusal: an ordinary assignment before a harmless program runs."""
    cell = "import os\nassert os.system('LC_ALL=C true') == 0\n"
    result = own_kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
