"""The contracts in schema/ are each defined once and are consistent with each other."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema

from jupyterlab_warden.kernel.contracts import contracts_dir, load_contract
from jupyterlab_warden.lab.policy import validate_policy

ROOT = Path(__file__).resolve().parents[2]


def test_rule_catalog_matches_its_schema_and_ids_are_unique():
    catalog = load_contract("rules.json")
    jsonschema.validate(catalog, load_contract("rules.schema.json"))
    ids = Counter(rule["id"] for rule in catalog["rules"])
    assert [i for i, n in ids.items() if n > 1] == []


def test_catalog_is_ordered_by_layer():
    # Kept in layer sections so that each layer's owners add rules without conflicts.
    layers = [rule["layer"] for rule in load_contract("rules.json")["rules"]]
    order = ["static", "runtime", "sandbox", "server"]
    assert layers == sorted(layers, key=order.index)


def test_builtin_default_policy_is_valid():
    assert validate_policy(load_contract("default-policy.json")) == []


def test_schemas_are_valid_json_schemas():
    for name in ("policy.schema.json", "event.schema.json", "rules.schema.json"):
        schema = load_contract(name)
        jsonschema.validators.validator_for(schema).check_schema(schema)


def test_contracts_are_read_from_the_repository_schema_folder():
    assert contracts_dir() in (ROOT / "schema", ROOT / "jupyterlab_warden" / "contracts")
    on_disk = json.loads((ROOT / "schema" / "rules.json").read_text())
    assert on_disk == load_contract("rules.json")


def test_admin_guide_rule_table_is_current():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "rules-table.py"),
            "--check",
            str(ROOT / "docs" / "admin-guide.md"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
