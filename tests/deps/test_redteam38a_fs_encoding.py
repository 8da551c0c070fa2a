"""Red team 38a R38a-2: the gate reads a bytes path or word with the live
``sys.getfilesystemencoding``.

``gate._text`` (the guard's reading of a bytes argument as C code converts it) decodes with
``sys.getfilesystemencoding()`` looked up at each call: a guarded w.py's
``sys.getfilesystemencoding = lambda: 'cp037'`` makes Warden read ``b'/usr/.../site-packages/
zz.pth'`` as EBCDIC text (no ``/``, no start-up name) while the C code opens the bytes as they
are (the interpreter's own file-system encoding, fixed at its start). With a codec of its own
(``codecs.register``) every bytes word reads as the cell chooses: the kernel's own
``subprocess.run([b'uv', b'pip', b'install', ...])`` reads as ``true true true ...``.

Proof: each installs without Warden and, today, with Warden too.
"""

import shlex

from test_redteam32_places import _site_cell

REBIND = "import os, sys, sysconfig\nsys.getfilesystemencoding = lambda: 'cp037'\n"

PTH_WRITER = (
    REBIND + "site = sysconfig.get_paths()['purelib']\n"
    "data = open('p.pth', 'rb').read()\n"
    "open(os.fsencode(site + '/zz.pth'), 'wb').write(data)\n"
)


def test_a_bytes_path_read_with_a_rebound_encoding(own_kernel):
    start = (
        f"open('w.py', 'w').write({PTH_WRITER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


# a codec of its own (``codecs.register``) named as the file-system encoding: every bytes
# word reads as ``true`` to Warden; the C code execs the bytes
CODEC = (
    "import codecs\n"
    "def decode(data, errors='strict'):\n"
    "    return 'true', len(data)\n"
    "def search(name):\n"
    "    if name == 'warden_eye':\n"
    "        return codecs.CodecInfo(codecs.utf_8_encode, decode, name='warden_eye')\n"
    "codecs.register(search)\n"
    "sys.getfilesystemencoding = lambda: 'warden_eye'\n"
)


def test_bytes_words_read_with_a_codec_of_its_own(own_kernel):
    """The install's words as bytes (``subprocess`` takes them): Warden reads ``true true
    ...``, uv gets the words."""
    words = [w.encode() for w in shlex.split(own_kernel.uv_install())]
    script = "import os, sys\n" + CODEC + f"import subprocess\nsubprocess.run({words!r})\n"
    cell = (
        (
            "import os, sys\n"
            f"open('w.py', 'w').write({script!r})\n"
            "os.system(sys.executable + ' w.py')\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    assert own_kernel.child_refuses(cell)


def test_bytes_words_in_the_kernel_with_a_codec_of_its_own(own_kernel):
    """The same in a cell of the kernel itself."""
    words = [w.encode() for w in shlex.split(own_kernel.uv_install())]
    cell = "import os, sys\n" + CODEC + f"import subprocess\nsubprocess.run({words!r})\n"
    own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
