"""Fetch central's policy once as a lab does, with the lab's own client and checks.

    python tests/central/lab_policy_fetch.py URL LAB_TOKEN LAB_ID KEYS_JSON DATA_DIR

Uses ``CentralClient`` and ``CentralPolicySource`` (signature against the pinned keys,
audience, schema, validity, scope, revision floor) and prints one JSON line:
``{"revision": n, "document": {...}, "error": null}``. Run by central's dashboard test
(central/test/dashboard.test.ts), which publishes from the browser and checks what a lab
accepts. DATA_DIR keeps the lab's last good policy and floor between runs, as a lab's does.
"""

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from jupyterlab_warden.lab.central.client import CentralClient  # noqa: E402
from jupyterlab_warden.lab.central.policy_source import CentralPolicySource  # noqa: E402
from jupyterlab_warden.lab.central.signing import load_public_keys  # noqa: E402


async def fetch(url: str, token: str, lab_id: str, keys: dict, data_dir: str) -> dict:
    client = CentralClient(url, token, timeout=10)
    source = CentralPolicySource(
        data_dir, load_public_keys(keys), url=url, client=client, wait=0, lab_id=lab_id
    )
    await source.fetch_once()
    return {"revision": source.revision, "document": source.document, "error": source.error}


def main(argv) -> int:
    url, token, lab_id, keys, data_dir = argv[1:6]
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    print(json.dumps(asyncio.run(fetch(url, token, lab_id, json.loads(keys), data_dir))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
