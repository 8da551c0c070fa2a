"""R45a-6: every uv option that changes which release uv takes is read as such.

``preference.note`` is given every uv option on the command line (and every uv.toml /
``[tool.uv]`` key); an option it does not classify is taken as one that keeps uv's choice (the
newest final release a specifier allows). ``--prerelease-package P=MODE`` was such an option
though it enables pre-releases for P; this file pins it and keeps every option of
``schema/uv-cli.json`` either classified or reviewed here as neutral, so a new uv option fails
this test until someone decides which it is.
"""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from jupyterlab_warden.kernel.guard.installs import preference

UV_CLI = Path(__file__).resolve().parents[2] / "schema" / "uv-cli.json"

# Reviewed: these uv options do not change which release of a package uv takes.
NEUTRAL = set(
    # what is installed, where, and how (not which release): packages, groups, extras, targets
    """--active --all --all-extras --all-groups --all-packages --dev --exact --extra --group
    --inexact --no-active --no-default-groups --no-dev --no-exact --no-extra --no-group
    --no-install-local --no-install-package --no-install-project --no-install-workspace
    --only-dev --only-group --optional --package --no-deps --no-editable --no-editable-package
    --editable --with --with-editable --with-executables-from --with-requirements --from
    --requirements --constraints --overrides --build-constraint --build-constraints --script
    --exclude --excludes --prefix --target --system --user --system-site-packages --seed
    --break-system-packages --no-break-system-packages --link-mode --compile-bytecode
    --no-compile-bytecode --reinstall --reinstall-package --relocatable --prompt --clear
    --allow-existing --force --install-dir --bin --no-installer-metadata --rm --lfs --branch
    --rev --tag --bump --bounds --frozen --locked --no-frozen --no-locked --no-sync
    --no-workspace --workspace --no-project --project --directory --path --isolated
    --no-sources --no-sources-package --no-build-isolation --no-build-isolation-package
    --config-setting --config-settings --config-settings-package --check --check-exists
    --dry-run --strict --allow-empty-requirements --no-allow-empty-requirements"""
    # sources, trust and transport: read and decided elsewhere (sources, uv_cache, uv_config)
    """ --index --index-url --default-index --extra-index-url --find-links --no-index
    --index-strategy --trusted-host --allow-insecure-host --keyring-provider --cert
    --native-tls --no-native-tls --system-certs --no-system-certs --cache-dir --no-cache
    --refresh --refresh-package --offline --no-offline --config-file --no-config --env-file
    --no-env-file --torch-backend --require-hashes --require-build-hashes
    --no-require-build-hashes --no-verify-hashes --generate-hashes"""
    # moving to the newest release, the default Warden assumes
    """ --upgrade --upgrade-package --upgrade-group"""
    # which interpreter runs (its fit is the environment's, with or without the option)
    """ --python --python-preference --python-fetch --python-downloads-json-url
    --managed-python --no-managed-python --allow-python-downloads --no-python-downloads
    --all-arches --all-platforms --all-versions --only-downloads --only-installed
    --show-python"""
    # output, display and compile-only options
    """ --annotation-style --ci --color --no-color --custom-compile-command --depth
    --emit-build-options --emit-find-links --emit-index-annotation --emit-index-url --files
    --format --help --invert --marker --no-annotate --no-dedupe --no-emit-local
    --no-emit-package --no-emit-project --no-emit-workspace --no-hashes --no-header
    --no-progress --no-strip-extras --no-strip-markers --outdated --output-file
    --output-format --preview --no-preview --preview-feature --preview-features --prune
    --quiet --raw --resolve-links --resolved --short --show-extras --show-paths
    --show-settings --show-sizes --show-urls --show-version --show-version-specifiers
    --show-with --universal --verbose --global --exclude-editable"""
    # pip's and pip-tools' spellings uv takes (R50a-1): aliases of options above (the probe
    # found each with the same effect on uv's settings), ones without effect, and compat
    # options uv takes only to warn about or reject (crates/uv-cli compat.rs)
    """ --requirement --constraint --force-reinstall --no-cache-dir --compile --no-compile
    --build-isolation --disable-pip-version-check --allow-unsafe --no-allow-unsafe --annotate
    --header --no-emit-index-url --no-emit-options --no-emit-trusted-host --no-reuse-hashes
    --strip-extras --strip-markers --client-cert --python-executable --max-rounds
    --resolver""".split()
)


def _noted(key, value):
    request = SimpleNamespace(pre=[], order=[])
    preference.note(request, "uv", key, value, "command line")
    return request


@pytest.mark.parametrize(
    "value",
    [
        "warden-demo-pkg=allow",
        "warden-demo-pkg=explicit",
        ["a=disallow", "warden-demo-pkg=if-necessary"],
        "junk",
    ],
)
def test_prerelease_package_enables_pre_releases(value):
    request = _noted("--prerelease-package", value)
    assert request.pre and "prerelease-package" in request.pre[0] and not request.order


@pytest.mark.parametrize(
    "value", ["warden-demo-pkg=disallow", "warden-demo-pkg=if-necessary-or-explicit"]
)
def test_prerelease_package_final_only_modes_are_not_pre(value):
    assert not _noted("--prerelease-package", value).pre


def test_a_per_package_form_of_an_order_setting_counts_as_the_setting():
    # not in uv 0.13.9: a later uv's `--resolution-package P=lowest` is read, not passed over
    assert _noted("--resolution-package", "warden-demo-pkg=highest").order
    assert _noted("--fork-strategy-package", "p=requires-python").order
    assert not _noted("--reinstall-package", "p").order  # no setting of its own


def test_every_uv_option_is_classified_or_reviewed_neutral():
    table = json.loads(UV_CLI.read_text())
    options = {o for o in table["valued"] + table["flags"] if o.startswith("--")}
    unclassified = set()
    for option in options:
        request = _noted(option, "p=x" if option.endswith("-package") else "x")
        if not (request.pre or request.order) and option not in NEUTRAL:
            unclassified.add(option)
    assert not unclassified, f"decide whether these change which release uv takes: {unclassified}"
    # the review is of options uv has: none left over from an older table
    assert NEUTRAL <= options, NEUTRAL - options
