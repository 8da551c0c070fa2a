"""The imitation-name rule's tables are one data file, kernel/deps/imitation-rules.json, read by
the kernel guard (installs/names.ImitationRules) and warden-scan (src/deps/names.ts, whose
names.spec.ts runs the same vectors and the same check on the shipped file):

- the shared vectors (schema/vectors/imitation-rules.json): which files are refused, and that
  each table decides what it says;
- the shipped file reads to exactly its own tables (nothing is taken from elsewhere);
- a missing or malformed file fails closed: every install is refused, saying the rules are
  unreadable and naming the file, never what the file holds."""

import json
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard.installs import arguments, decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.names import (
    RULES_FILE,
    ImitationRules,
    PopularNames,
    data_path,
)

REPO = Path(__file__).resolve().parents[2]
VECTORS = json.loads((REPO / "schema" / "vectors" / "imitation-rules.json").read_text())


def _rules_file(vector: dict, folder: Path) -> Path:
    path = folder / RULES_FILE
    text = vector["text"] if "text" in vector else json.dumps(vector["rules"])
    path.write_text(text, encoding="utf-8")
    return path


def test_vector_names_are_unique():
    names = [v["name"] for v in VECTORS["vectors"]]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_imitation_rules_vectors(vector, tmp_path):
    path = _rules_file(vector, tmp_path)
    expect = vector["expect"]
    if expect.get("readable") is False:
        with pytest.raises(ValueError):
            ImitationRules.load(str(path))
        return
    popular = PopularNames(VECTORS["ranked"], ImitationRules.load(str(path)))
    assert {name: popular.imitated(name) for name in expect["imitated"]} == expect["imitated"]


def test_the_shipped_file_is_the_tables_the_guard_reads():
    raw = json.loads(Path(data_path(RULES_FILE)).read_text(encoding="utf-8"))
    rules = ImitationRules.load()
    assert {
        "targets": rules.targets,
        "min_length": rules.min_length,
        "confusables": [list(pair) for pair in rules.confusables],
        "affixes": sorted(rules.affixes),
        "glued_affixes": list(rules.glued_affixes),
    } == {
        "targets": raw["targets"],
        "min_length": raw["min_length"],
        "confusables": raw["confusables"],
        "affixes": sorted(raw["affixes"]),
        "glued_affixes": raw["glued_affixes"],
    }
    assert DepsData().popular.rules.affixes == rules.affixes  # what the decision uses


def test_a_change_of_the_file_changes_the_decision(tmp_path):
    """The tables are read from the file, not written in the code: the shipped file without
    ``gpu`` among its affixes lets ``torch-gpu`` through."""
    table = json.loads(Path(data_path(RULES_FILE)).read_text(encoding="utf-8"))
    assert DepsData().imitated("torch-gpu") == "torch"
    table["affixes"].remove("gpu")
    table["glued_affixes"].remove("gpu")
    path = tmp_path / RULES_FILE
    path.write_text(json.dumps(table), encoding="utf-8")
    changed = DepsData(rules_path=str(path))
    assert changed.problems == []
    assert changed.imitated("torch-gpu") is None
    assert changed.imitated("torcj") == "torch"


BROKEN = {
    "missing": None,
    "not JSON": '{"targets": 3000, "affixes": ["gpu", "SECRET-TOKEN-1"',
    "a table of the wrong type": '{"targets": "SECRET-TOKEN-1", "min_length": 4, '
    '"confusables": [["0", "o"]], "affixes": ["gpu"], "glued_affixes": ["gpu"]}',
    "a table missing": '{"targets": 3000, "min_length": 4, "confusables": [["0", "o"]], '
    '"affixes": ["SECRET-TOKEN-1"]}',
    "nested too deep for the parser": "[" * 100000 + "]" * 100000,
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=list(BROKEN))
def test_a_broken_rules_file_refuses_every_install_and_says_so(text, tmp_path):
    path = tmp_path / RULES_FILE
    if text is not None:
        path.write_text(text, encoding="utf-8")
    data = DepsData(rules_path=str(path))
    assert len(data.problems) == 1
    assert data.problems[0].startswith(
        f"the imitation-name rules ({RULES_FILE}) cannot be read ("
    ), data.problems
    request = arguments.pip_request(["install", "numpy"], str(tmp_path), {})
    [finding] = decide.decide(request, {}, data)
    assert finding.rule_id == "install-unreadable"
    assert finding.message.startswith("Warden cannot check this command: the imitation-name")
    assert RULES_FILE in finding.message
    assert "SECRET" not in finding.message  # the reason is the kind of fault, not the text
    assert data.imitated("torcj") is None  # no check ran: the refusal above is what holds


def test_a_missing_ranking_is_one_problem_as_before(tmp_path):
    """With the ranking gone the rules are not read: the one problem is the ranking's, the
    message it always had."""
    data = DepsData(top_path=str(tmp_path / "none.txt"), rules_path=str(tmp_path / "none.json"))
    assert data.problems == ["the popular package list cannot be read (FileNotFoundError)"]


def test_the_wheel_carries_the_rules_file():
    """The wheel's file selection (pyproject.toml, hatchling pinned in requirements-dev.txt)
    holds every file of kernel/deps/ the install check reads; the npm package lists the folder
    in ``files`` (src/cli/git-install.spec.ts checks the packed tarball)."""
    from hatchling.builders.wheel import WheelBuilder

    shipped = {f.distribution_path for f in WheelBuilder(str(REPO)).recurse_included_files()}
    for name in ("osv-snapshot.json", "top-packages.txt", RULES_FILE):
        assert f"jupyterlab_warden/kernel/deps/{name}" in shipped
