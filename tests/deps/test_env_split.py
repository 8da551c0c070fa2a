"""``installs/env_split.py`` against schema/vectors/env-split.json (written from the real GNU env
by scripts/env-split-fixture.py), and the file against this machine's env: the words ``env -S``
splits a text into, or null where env refuses it (red team 51a R51a-1/2). The TypeScript twin
runs the same file (src/deps/envsplit.spec.ts)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from launched import gnu_env

from jupyterlab_warden.kernel.guard.installs import env_split, shebang

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "schema/vectors/env-split.json").read_text()
)["vectors"]


def _read(text):
    try:
        return env_split.split(text)
    except env_split.Unread:
        return None


def test_vectors_are_many():
    assert len(VECTORS) > 300
    assert sum(v["words"] is None for v in VECTORS) > 20  # env's refusals are pinned too


@pytest.mark.parametrize("vector", VECTORS, ids=[json.dumps(v["text"]) for v in VECTORS])
def test_split_matches_env(vector):
    assert _read(vector["text"]) == vector["words"]


def test_vectors_are_what_this_env_does():
    env = gnu_env()
    show = "import json, sys; print(json.dumps(sys.argv[1:]))"
    texts = [v["text"] for v in VECTORS][::7]  # a sample: each start costs a Python start
    for text in texts:
        done = subprocess.run(
            [env, "-S", f"{sys.executable} -c '{show}' " + text],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        real = None if done.returncode == 125 else json.loads(done.stdout)
        assert real == _read(text), text


def test_dollar_name_is_refused():
    with pytest.raises(env_split.Unread):
        env_split.split("uv ${HOME}")


def test_shebang_split_string_keeps_equals_and_drops_comment(tmp_path):
    # the kernel hands env `-S ...` as ONE argument: read from after `-S`, `=` and all
    line = "/usr/bin/env -S uv pip install pkg==0.9 -r #x y"
    assert shebang._started(line, "/nowhere") == ["uv", "pip", "install", "pkg==0.9", "-r"]
    assert shebang._started("/usr/bin/env -S uv\vpip", "/nowhere") == ["uv", "pip"]
    assert shebang._started("/usr/bin/env -S uv ${X}", "/nowhere") is None
