"""Red team 47a R47a-1: a script magic's "decided stdin" token is taken by another start.

``InstallGate.decide_script_magic`` decides a ``%%bash`` body and appends the program's argv
(``('bash',)``) to ``gate.decided_stdin``, a process-wide list; the next start ANYWHERE in the
process whose argv equals it has its stdin read as "decided" (``decide_command``), so a bare
``bash`` reading its commands from stdin passes (``commands._refuse_stdin_script``). Between
the decision and IPython's own start of the program, IPython's ``shebang`` runs code the cell
controls (here ``IPython.core.magics.script.arg_split``, rebound; a cell's own thread, or a
callback queued on the script magics' event loop, reach the same window): a
``subprocess.run(['bash'], input=<uv install>)`` made there takes the token, and bash runs an
install of a package from an index the policy refuses. IPython's own start of bash is then
refused (no token left), after the install ran.
"""

# the cell: arg_split (called by IPython's shebang after Warden's decision, before its start)
# starts a bare bash whose stdin is the uv install; then a benign %%bash cell
STEAL = (
    "import subprocess\n"
    "import IPython.core.magics.script as sm\n"
    "from IPython.core.interactiveshell import InteractiveShell\n"
    "real, done = sm.arg_split, []\n"
    "def arg_split(*a, **k):\n"
    "    if not done:\n"
    "        done.append(1)\n"
    "        subprocess.run(['bash'], input=UV.encode())\n"
    "    return real(*a, **k)\n"
    "sm.arg_split = arg_split\n"
    "shell = InteractiveShell.instance()\n"
    "shell.run_cell('%%bash\\necho hello\\n')\n"
)

PLAIN = "import subprocess\nsubprocess.run(['bash'], input=UV.encode())\n"


def _cell(kernel, code: str) -> str:
    return "UV = " + repr(kernel.uv_install()).replace("{", "{{").replace("}", "}}") + "\n" + code


def test_a_bare_bash_with_an_install_on_stdin_is_refused(kernel):
    """Control: the same start outside the magic's window is refused (stdin unreadable)."""
    refused = kernel.proves(_cell(kernel, PLAIN))
    assert "stdin" in refused, refused


def test_a_start_inside_a_script_magic_takes_its_decided_stdin(kernel):
    # without Warden the bare bash installs
    kernel.reset()
    plain = kernel.cell(_cell(kernel, STEAL), launched=False)
    assert kernel.installed(), plain
    # with Warden: the decided body was `echo hello`; the uv install must not run
    kernel.reset()
    guarded = kernel.cell(_cell(kernel, STEAL), launched=True)
    assert kernel.index.requests == [] and not kernel.installed(), guarded
