"""Red team 43b R43b-4 (HIGH): a listed release's wheel offered by a local find-links folder.

A local wheel named on the command line is decided by the project and version its file name
gives (R11-19: ``pip install ./warden_demo_pkg-0.9-py3-none-any.whl`` is refused when 0.9 is
a listed malicious release). The wheels a local find-links (or index) folder offers are read
since R40b-2 (``local_wheels.add_offered``) for their start-up code and ``Requires-Dist`` only:
their own name and version are never put to the advisories. So a notebook folder holding the
listed release's wheel (``wheels/warden_demo_pkg-0.9-py3-none-any.whl``, here fetched from the
trusted index; in a repository, vendored) installs it with ``pip install --no-index -f wheels
warden-demo-pkg`` (uv alike): the requirement is a bare name, "the resolver takes the newest
release", and the newest the folder offers is the listed one.

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

DEMO = "warden-demo-pkg"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index43b4")
    server = LocalIndex(root, [build_wheel(root, DEMO, "0.9"), build_wheel(root, DEMO, "1.0")])
    yield server
    server.close()


HIJACKED = {
    "id": "MAL-2099-45",
    "summary": "test record MAL-2099-45",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
}


def _policy(kernel) -> None:
    kernel.policy.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 3,
                "trusted_sources": {"package_indexes": [kernel.index.simple]},
                "dependencies": {"advisories": [HIJACKED]},
            }
        )
    )


WHEEL = "warden_demo_pkg-0.9-py3-none-any.whl"
FETCH = (
    "import os, urllib.request\n"
    "os.makedirs('wheels', exist_ok=True)\n"
    "url = '{index}'.rsplit('/simple', 1)[0] + '/files/" + WHEEL + "'\n"
    "open('wheels/" + WHEEL + "', 'wb').write(urllib.request.urlopen(url).read())\n"
)
PAGE = (
    "url = '{index}'.rsplit('/simple', 1)[0] + '/files/" + WHEEL + "'\n"
    "open('page.html', 'w').write('<a href=\"%s\">" + WHEEL + "</a>' % url)\n"
)


def _pip(*words):
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-cache-dir"]
    argv += ["--target", "{target}", *words]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


def _uv(*words):
    argv = ["{uv}", "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps"]
    argv += ["--python", sys.executable, "--target", "{target}", *words]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


CASES = {
    "pip": FETCH + _pip("--no-index", "--find-links", "wheels", DEMO),
    "uv": FETCH + _uv("--no-index", "--find-links", "wheels", DEMO),
}


def _version(kernel):
    found = sorted(p.name for p in kernel.target.glob("warden_demo_pkg-*.dist-info"))
    return found[0][len("warden_demo_pkg-") : -len(".dist-info")] if found else None


@pytest.mark.parametrize("tool", [_pip, _uv])
def test_r43b_4_control_the_wheel_by_its_path_is_refused(kernel, tool):
    _policy(kernel)
    kernel.reset()
    result = kernel.cell(FETCH + tool("wheels/" + WHEEL), launched=True)
    assert result["refused"] and "MAL-2099-45" in result["refused"], result
    assert _version(kernel) is None


def test_r43b_4_control_the_page_linking_the_listed_file_is_refused(kernel):
    """A local page linking the index's file is decided by its links' place (held)."""
    _policy(kernel)
    kernel.reset()
    code = PAGE + _pip("--no-index", "--find-links", "page.html", DEMO)
    result = kernel.cell(code, launched=True)
    assert result["refused"] and _version(kernel) is None, result


@pytest.mark.parametrize("how", sorted(CASES))
def test_r43b_4_a_find_links_folder_offering_the_listed_release_is_refused(kernel, how):
    _policy(kernel)
    kernel.reset()
    plain = kernel.cell(CASES[how], launched=False)
    assert plain["refused"] is None and _version(kernel) == "0.9", plain  # the attack works
    kernel.reset()
    result = kernel.cell(CASES[how], launched=True)
    version = _version(kernel)
    assert version is None, f"installed {version}: {result}"  # FAILS today: installs 0.9
    assert result["refused"] and "MAL-2099-45" in result["refused"], result
