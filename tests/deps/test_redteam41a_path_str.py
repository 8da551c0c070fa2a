"""Red team 41a R41a-1: a standard-library path whose text is a ``str`` subclass.

``gate._text`` reads a word of the library's own pathlib (``PATH_CLASSES``) as
``os.fspath(word)`` and returns that as it is; so does ``decided_start._plain``. A
``PurePosixPath`` answers ``__fspath__`` with ``str(self)``, which is its ``_str`` slot, an
instance attribute the cell may set to any ``str`` subclass (no method of the class is
rebound: R38a-3's open note is about rebinding ``PurePath.__fspath__``). C converts the
subclass by its data (``PyUnicode_FSConverter``), while the gate's rule calls the
subclass's own methods on it (``os.path.basename`` -> ``__getitem__``, ``os.sep in word`` ->
``__contains__``, ``str(word)`` -> ``__str__``): the gate's first look sees ``x x x``, the child
runs the uv install. ``str``/``bytes`` subclasses given directly are read by their data
(``str.__str__``); only the path branch skips it. FAILS today (installs under Warden).
"""

import shlex

# every word of the line a PurePosixPath whose text is S(word): C reads the data, the gate
# the answers of S's methods
CELL = (
    "import pathlib, subprocess\n"
    "class S(str):\n"
    "    def __str__(self):\n"
    "        return 'x'\n"
    "    def __contains__(self, item):\n"
    "        return False\n"
    "    def __getitem__(self, key):\n"
    "        return 'x'\n"
    "def word(text):\n"
    "    path = pathlib.PurePosixPath('x')\n"
    "    path._str = S(text)\n"
    "    return path\n"
)
STARTS = {
    "popen": "subprocess.run([word(w) for w in WORDS])\n",
    "posix_spawn": (
        "import os\n"
        "pid = os.posix_spawn(word(WORDS[0]), [word(w) for w in WORDS], dict(os.environ))\n"
        "os.waitpid(pid, 0)\n"
    ),
}


def _cell(kernel, start: str) -> str:
    words = shlex.split(kernel.uv_install())
    code = CELL + start.replace("WORDS", repr(words))
    return code.replace("{", "{{").replace("}", "}}")


def test_path_words_whose_text_is_a_str_subclass_popen(kernel):
    _installs_plain_only(kernel, _cell(kernel, STARTS["popen"]))


def test_an_env_value_whose_text_encodes_otherwise(kernel):
    """The same branch for Popen's env: ``subprocess`` encodes a path value with
    ``os.fsencode`` in Python after the event, i.e. ``S.encode``; the gate (and the verifier,
    which encodes the same way) read the text PyPI, the child gets the test index."""
    words = shlex.split(kernel.uv_install())
    at = words.index("--index-url")
    del words[at : at + 2]
    cell = (
        "import os, pathlib, subprocess\n"
        "class S(str):\n"
        "    def encode(self, *args):\n"
        f"        return {kernel.index.simple!r}.encode()\n"
        "value = pathlib.PurePosixPath('x')\n"
        "value._str = S('https://pypi.org/simple')\n"
        f"subprocess.run({words!r}, env=dict(os.environ, UV_INDEX_URL=value))\n"
    )
    _installs_plain_only(kernel, cell.replace("{", "{{").replace("}", "}}"))


def test_posix_spawn_path_words_are_read_at_the_event(kernel):
    """Held: os.posix_spawn's wrapper hands C the S objects, and the event reads them as
    str subclasses (``str.__str__``): refused."""
    kernel.proves(_cell(kernel, STARTS["posix_spawn"]))


def _installs_plain_only(kernel, cell: str) -> None:
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # proves itself
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_ordinary_path_words_run(kernel):
    """No false refusal: plain pathlib words start as before."""
    cell = (
        "import pathlib, subprocess\n"
        "done = subprocess.run([pathlib.Path('/bin/echo'), pathlib.Path('a/b')], check=True)\n"
    )
    guarded = kernel.cell(cell, launched=True)
    assert guarded["refused"] is None, guarded


def test_path_words_of_plain_text_are_read(kernel):
    """The control: the same words as plain pathlib paths are read (refused) today; only the
    str subclass behind them escapes the reading."""
    words = shlex.split(kernel.uv_install())
    cell = "import pathlib, subprocess\n"
    cell += f"subprocess.run([pathlib.PurePosixPath(w) for w in {words!r}])\n"
    refused = kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
    assert "index" in refused, refused
