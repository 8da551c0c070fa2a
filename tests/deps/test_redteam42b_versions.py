"""Red team 42b: the version checks of R41b (advisories of a few releases, specifier sets).

Each proof runs a real kernel of the lab's launch environment (``kernel`` fixture) whose
policy trusts the local test index, which serves the demo project in two releases, 0.9 and
1.0; a policy record (``MAL-2099-42``) lists 0.9 as a known-malicious release (a hijacked
upload, as MAL-2025-6794 lists num2words 0.5.15/0.5.16). ``warden-demo-pkg==0.9`` is refused
today (the control); the findings:

- R42b-1 (HIGH): a constraints file is read for its direct references only: the NAME lines of
  ``pip install warden-demo-pkg -c c.txt`` (c.txt: ``warden-demo-pkg==0.9``), of uv's
  ``--constraint``/``--override`` files and of ``PIP_CONSTRAINT``, are never decided, so the
  listed release installs while the same pin on the command line is refused
  (requirements.read_text: ``if not constraint or req.kind in (...)``);
- R42b-2 (HIGH): ``!=`` clauses are ignored (specifiers._clause): ``warden-demo-pkg!=1.0``
  is read as "any version", which ``reaches`` lets through as "the resolver takes the newest
  release", but the clause excludes the newest release and pip installs the listed 0.9;
- R42b-3 (MED, false refusal): the same ignored ``!=`` and ``<V`` admitting V's
  pre-releases make ``reached`` refuse specifier sets that can never install a listed
  release: ``<=1.0,!=0.9`` (the listed release excluded by name) and ``<1.1`` when only
  ``1.1rc1`` is listed. specifiers.py's docstring says the extra versions "can only spare an
  install, never condemn one": true for ``covering``, false for ``reached``;
- R42b-4 (MED, false refusal): ``uv pip install X --constraint c.txt`` / ``--override o.txt``
  (uv 0.13.9's clap aliases of ``--constraints``/``--overrides``, which it runs) is refused
  as "uv option --constraint is not one Warden knows": the command's own option set is
  checked before the alias table (arguments._option_words).

Each ``FAILS today`` assertion is the gap; the controls beside it pass today.
"""

import pytest
from listed_release import (
    DEMO,
    demo_index,
    pip_cell,
    proves_refused,
    record,
    run_guarded,
    run_plain,
    uv_cell,
    write_policy,
)

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest
from jupyterlab_warden.kernel.guard.installs.requirements import parse_requirement

index = demo_index("index42b")  # the demo project as 0.9 (listed below) and 1.0 (clean)
HIJACKED = record("MAL-2099-42", ["0.9"])  # one malicious release, the clean 1.0 after it
PRE = record("MAL-2099-43", ["1.1rc1"])  # a malicious pre-release the index does not serve


def _pip_cell(*words: str, constraint: str = "") -> str:
    """A cell running pip from the kernel; ``constraint``: a constraints file it writes first
    in the kernel's folder and passes with ``-c``."""
    if not constraint:
        return pip_cell(*words)
    return pip_cell(
        *words, "-c", "c.txt", head=f"open('c.txt', 'w').write({constraint + chr(10)!r})\n"
    )


def test_r42b_control_the_listed_release_pinned_is_refused(kernel):
    write_policy(kernel, HIJACKED)
    result, version = run_guarded(kernel, _pip_cell(f"{DEMO}==0.9"))
    assert result["refused"] and "MAL-2099-42" in result["refused"], result
    assert version is None


def test_r42b_control_a_bare_name_installs_the_clean_release(kernel):
    write_policy(kernel, HIJACKED)
    result, version = run_guarded(kernel, _pip_cell(DEMO))
    assert result["refused"] is None and version == "1.0", result


# -- R42b-1: a constraints file's names are never decided -----------------------------------


def test_r42b_1_a_constraint_pinning_the_listed_release_is_refused(kernel):
    write_policy(kernel, HIJACKED)
    code = _pip_cell(DEMO, constraint=f"{DEMO}==0.9")
    # without Warden: the constraint picks the malicious release
    proves_refused(kernel, code, "MAL-2099-42")  # FAILS today: installs 0.9


def _uv_cell(*words: str, file: str) -> str:
    """A cell running the real uv 0.13.9 from the kernel with ``words`` after the package; the
    file o.txt written first holding ``file``."""
    return uv_cell(*words, head=f"open('o.txt', 'w').write({file + chr(10)!r})\n")


@pytest.mark.parametrize("option", ["--constraints", "--overrides", "-c"])
def test_r42b_1_uv_constraint_and_override_files_are_decided(kernel, option):
    """uv's constraints and overrides files: the same gap (an override even replaces the
    command line's own specifier: ``warden-demo-pkg>=1.0`` with an override ``==0.9``)."""
    write_policy(kernel, HIJACKED)
    code = _uv_cell(f"{DEMO}>=1.0" if option == "--overrides" else DEMO, option, "o.txt",
                    file=f"{DEMO}==0.9")  # fmt: skip
    proves_refused(kernel, code, "MAL-2099-42")  # FAILS today: installs 0.9


# -- R42b-4: uv's hidden singular spellings refused as unknown options ----------------------


@pytest.mark.parametrize("option", ["--constraint", "--override"])
def test_r42b_4_uv_singular_spellings_are_read(kernel, option):
    """uv 0.13.9 takes ``--constraint``/``--override`` (clap aliases of ``--constraints``/
    ``--overrides``, in schema/uv-cli.json's aliases) for ``uv pip install``, but the command's
    own option set (``UV_BY_COMMAND``) holds only the help's spellings, so a clean install
    with a clean constraints file is refused as "not one Warden knows"."""
    write_policy(kernel, HIJACKED)
    code = _uv_cell(DEMO, option, "o.txt", file=f"{DEMO}>=1.0")
    assert run_plain(kernel, code) == "1.0"
    result, version = run_guarded(kernel, code)
    assert result["refused"] is None, result  # FAILS today: "uv option ... not one Warden knows"
    assert version == "1.0"


def test_r42b_1_reader_decides_constraint_names():
    """The same at the reader: a constraints line narrowing to a listed release is decided."""
    from jupyterlab_warden.kernel.guard.installs import requirements

    request = InstallRequest("pip", "pip install x")
    requirements.read_text(request, f"{DEMO}==0.9\n", "c.txt", "/", {}, constraint=True)
    doc = {"dependencies": {"advisories": [HIJACKED]}}
    rules = [f.rule_id for f in decide.decide(request, doc, DepsData())]
    assert decide.RULE_MALICIOUS in rules  # FAILS today: [] (the line is dropped)


# -- R42b-2: `!=` excluding the newest release ---------------------------------------------


def test_r42b_2_excluding_the_clean_releases_is_refused(kernel):
    write_policy(kernel, HIJACKED)
    code = _pip_cell(f"{DEMO}!=1.0")
    # without Warden: pip takes the newest release not excluded
    proves_refused(kernel, code, "MAL-2099-42")  # FAILS today: installs 0.9


# -- R42b-3: false refusals of sets that cannot reach a listed release ---------------------


@pytest.mark.parametrize(
    "spec,record",
    [(f"{DEMO}<=1.0,!=0.9", HIJACKED), (f"{DEMO}<1.1", PRE)],
    ids=["excluded-by-name", "pre-release-of-the-bound"],
)
def test_r42b_3_a_set_excluding_the_listed_releases_installs(kernel, spec, record):
    write_policy(kernel, record)
    code = _pip_cell(spec)
    assert run_plain(kernel, code) == "1.0"
    result, version = run_guarded(kernel, code)
    assert result["refused"] is None, result  # FAILS today: refused as known-malicious
    assert version == "1.0"


@pytest.mark.parametrize(
    "spec,record",
    [("<=1.0,!=0.9", HIJACKED), ("<1.1", PRE), ("!=1.0", HIJACKED)],
)
def test_r42b_2_3_reader_decides_by_what_pip_allows(spec, record):
    """The decision alone (fast): refused exactly when pip may pick a listed release."""
    request = InstallRequest("pip", "pip install x")
    request.requirements.append(parse_requirement(DEMO + spec, "command line"))
    doc = {"dependencies": {"advisories": [record]}}
    rules = [f.rule_id for f in decide.decide(request, doc, DepsData())]
    may_pick_listed = spec == "!=1.0"
    assert (decide.RULE_MALICIOUS in rules) == may_pick_listed, rules  # FAILS today
