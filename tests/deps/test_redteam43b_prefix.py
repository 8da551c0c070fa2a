"""Red team 43b R43b-2 (HIGH): a ``!=`` prefix clause pip's packaging reads as text.

``specifiers._prefix`` reads ``!=00.*``, ``!=v0.*``, ``!=0!0.*``, ``!=0.09.*`` as the hole
``!=0.*`` / ``!=0.9.*`` (version_key folds leading zeros, the ``v``, the zero epoch). The
packaging pip 23.2 vendors (21.3, the lab's pip) matches a prefix clause by comparing the
clause's text, split at dots, with the candidate's normalized text (``_compare_equal``:
``_version_split(spec[:-2])`` against ``_version_split(str(prospective))``): ``"00" != "0"``,
``"v0" != "0"``, ``"0!0" != "0"``, so the hole leaves out NOTHING. With 0.9 listed as
malicious and 1.0 clean on the index, ``pip install 'warden-demo-pkg!=00.*,!=1.0'`` (or
``<1,!=00.*``) is read by Warden as leaving out 0.9 (not reached) and pip installs 0.9.
``test_specifier_sets`` holds ``over`` to both packaging versions only over a grid with no
such spelling.

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import pytest
from listed_release import DEMO, demo_index, pip_cell, proves_refused, record, write_policy

from jupyterlab_warden.kernel.guard.installs import specifiers
from jupyterlab_warden.kernel.guard.installs.versions import version_key

VENDORED = pytest.importorskip("pip._vendor.packaging.specifiers")


index = demo_index("index43b2")


HIJACKED = record("MAL-2099-44")


SPECS = ["!=00.*,!=1.0", "!=v0.*,!=1.0", "!=0!0.*,!=1.0", "!=0.09.*,!=1.0", "<1,!=00.*"]


@pytest.mark.parametrize("spec", SPECS)
def test_r43b_2_pip_vendored_packaging_keeps_the_listed_release(spec):
    """The control, without a kernel: pip's packaging lets 0.9 (and only 0.9) in."""
    found = [v for v in ("0.9", "1.0") if v in VENDORED.SpecifierSet(spec)]
    assert found == ["0.9"], found


@pytest.mark.parametrize("spec", SPECS)
def test_r43b_2_reaches_the_listed_release(spec):
    """FAILS today: reaches() says the set leaves 0.9 out."""
    assert specifiers.reaches(specifiers.allowed(spec), specifiers.point(version_key("0.9")))


def test_r43b_2_control_the_canonical_hole_is_not_reached():
    """``!=0.*,!=1.0``: pip itself leaves 0.9 out (no release is left: pip fails, nothing
    installs); Warden lets it through and that is right."""
    assert not specifiers.reaches(
        specifiers.allowed("!=0.*,!=1.0"), specifiers.point(version_key("0.9"))
    )


@pytest.mark.parametrize("spec", ["!=00.*,!=1.0", "<1,!=v0.*"])
def test_r43b_2_pip_installs_the_listed_release_through_a_text_prefix(kernel, spec):
    write_policy(kernel, HIJACKED)
    code = pip_cell(f"{DEMO}{spec}")
    proves_refused(kernel, code, "MAL-2099-44")  # FAILS today: installs 0.9
