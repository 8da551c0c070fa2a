"""Red team 39a: methods rebound on the standard library's ``shlex.shlex`` class.

The gate reads a shell line (``commands._shell_invocations``) with ``shlex.shlex(...)``, a
pure-Python class of the live ``shlex`` module: its methods are the process's to rebind
(frozen_builtins froze the builtins and the import system, frozen_os froze ``os``; neither
covers a library class's methods). A cell (or a guarded w.py) makes ``read_token`` return
the end at once: the line reads as no words, no install is found, and ``os.system`` runs
the uv install of warden-demo-pkg from the refused test index.

Proof: installs without Warden and, today, with Warden too (the refusal expected).
"""

REBIND = "import os, shlex\nshlex.shlex.read_token = lambda self: self.eof\n"


def test_a_cell_empties_the_gates_shell_lexer(own_kernel):
    cell = REBIND + f"os.system({own_kernel.uv_install()!r})\n"
    own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))


def test_a_guarded_script_empties_its_gates_shell_lexer(own_kernel):
    script = REBIND + f"os.system({own_kernel.uv_install()!r})\n"
    cell = (
        "import os, sys\n"
        f"open('w.py', 'w').write({script!r})\n"
        "os.system(sys.executable + ' w.py')\n"
    )
    blocked = own_kernel.child_refuses(cell.replace("{", "{{").replace("}", "}}"))
    assert blocked, blocked


def test_the_ordinary_line_is_refused(own_kernel):
    """The control: without the rebinding the same cell is refused today."""
    own_kernel.proves(own_kernel.install_cell())
