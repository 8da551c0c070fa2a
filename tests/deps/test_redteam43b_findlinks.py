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

import pytest
from listed_release import (
    DEMO,
    demo_index,
    installed_version,
    pip_cell,
    proves_refused,
    record,
    uv_cell,
    write_policy,
)

index = demo_index("index43b4")


HIJACKED = record("MAL-2099-45")


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
    return pip_cell(*words, index=False)  # the cell names its own sources


def _uv(*words):
    return uv_cell(*words, index=False)


CASES = {
    "pip": FETCH + _pip("--no-index", "--find-links", "wheels", DEMO),
    "uv": FETCH + _uv("--no-index", "--find-links", "wheels", DEMO),
}


@pytest.mark.parametrize("tool", [_pip, _uv])
def test_r43b_4_control_the_wheel_by_its_path_is_refused(kernel, tool):
    write_policy(kernel, HIJACKED)
    kernel.reset()
    result = kernel.cell(FETCH + tool("wheels/" + WHEEL), launched=True)
    assert result["refused"] and "MAL-2099-45" in result["refused"], result
    assert installed_version(kernel) is None


def test_r43b_4_control_the_page_linking_the_listed_file_is_refused(kernel):
    """A local page linking the index's file is decided by its links' place (held)."""
    write_policy(kernel, HIJACKED)
    kernel.reset()
    code = PAGE + _pip("--no-index", "--find-links", "page.html", DEMO)
    result = kernel.cell(code, launched=True)
    assert result["refused"] and installed_version(kernel) is None, result


@pytest.mark.parametrize("how", sorted(CASES))
def test_r43b_4_a_find_links_folder_offering_the_listed_release_is_refused(kernel, how):
    write_policy(kernel, HIJACKED)
    proves_refused(kernel, CASES[how], "MAL-2099-45")  # FAILS today: installs 0.9
