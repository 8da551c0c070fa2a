"""Red team 43b R43b-5 (MED, borderline with R41b-1's open entry): a listed pre-release above every
final release.

``specifiers.reaches`` lets a set with no upper bound and no hole above a listed release
through because "the resolver takes the newest release". pip takes the newest FINAL release:
a pre-release is taken only with ``--pre`` or when the specifier names one (pip's
``CandidateEvaluator``; uv's ``if-necessary-or-explicit`` alike). With 1.0 (clean) and
1.1rc1 (listed as malicious: a hijacked pre-release upload) on the index, a bare
``pip install warden-demo-pkg`` installs 1.0, while ``'warden-demo-pkg>=1.1rc1'`` (a
specifier naming a pre-release lets pip take them) or ``--pre warden-demo-pkg`` installs the
listed 1.1rc1, and Warden lets both through.
(The threat model's R41b-1 "open" entry covers an index serving a listed release as the one
a bare name installs; here a bare name does NOT install it: the cell's specifier or option
moves pip onto it, as ``!=1.0`` did in R42b-2.)

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
    write_policy,
)

index = demo_index("index43b5", versions=("1.0", "1.1rc1"))
HIJACKED = record("MAL-2099-46", ["1.1rc1"])


def test_r43b_5_control_a_bare_name_installs_the_final_release(kernel):
    write_policy(kernel, HIJACKED)
    kernel.reset()
    result = kernel.cell(pip_cell(DEMO), launched=True)
    assert result["refused"] is None and installed_version(kernel) == "1.0", result


CASES = {"named-prerelease": pip_cell(f"{DEMO}>=1.1rc1"), "--pre": pip_cell("--pre", DEMO)}


@pytest.mark.parametrize("how", sorted(CASES))
def test_r43b_5_the_listed_prerelease_reached_is_refused(kernel, how):
    write_policy(kernel, HIJACKED)
    # FAILS today: installs 1.1rc1
    proves_refused(kernel, CASES[how], "MAL-2099-46", plain="1.1rc1")
