"""Fuzz what the lab parses from central: policy answers and event results.

Nothing central (or anything in between) sends may raise, change the last good policy
without a valid signature, or mark an event delivered that central did not acknowledge.
"""

import asyncio
import copy
import json
import random

from fault_central import SigningKey, b64url
from test_policy_source import live_policy

from jupyterlab_warden.lab.central.backoff import Backoff
from jupyterlab_warden.lab.central.client import CentralAnswer
from jupyterlab_warden.lab.central.policy_source import CentralPolicySource
from jupyterlab_warden.lab.central.relay import EventRelay
from jupyterlab_warden.lab.central.signing import load_public_keys
from jupyterlab_warden.lab.events.store import EventStore

ODD = [None, True, 0, -1, 2**70, 1.5, "", "x" * 5000, "Ed25519", "accepted", "duplicate",
       "rejected", [], [None], {}, {"a": {"b": []}}, "%%%", "====", "\u0000\uffff"]


def mutate(rng, value, depth=0):
    if isinstance(value, dict) and value and rng.random() < 0.7 and depth < 4:
        value = dict(value)
        key = rng.choice(list(value) + ["extra"])
        if rng.random() < 0.2:
            value.pop(key, None)
        else:
            value[key] = mutate(rng, value.get(key), depth + 1)
        return value
    if isinstance(value, list) and value and rng.random() < 0.7 and depth < 4:
        value = list(value)
        i = rng.randrange(len(value))
        value[i] = mutate(rng, value[i], depth + 1)
        return value
    if isinstance(value, str) and value and rng.random() < 0.5:
        i = rng.randrange(len(value))
        return value[:i] + rng.choice("Aa0_-=%") + value[i + 1:]
    return rng.choice(ODD)


def test_fuzzed_policy_answers_never_replace_the_last_good(tmp_path):
    key = SigningKey()
    source = CentralPolicySource(str(tmp_path), load_public_keys({key.key_id: key.public_b64}),
                                 lab_id="lab-a",
                                 raise_event=lambda event: None)
    source._identity = {"lab": "lab-a", "user": None, "groups": []}
    assert source.accept(key.envelope(live_policy(5)), None)
    good = copy.deepcopy(source.document)
    rng = random.Random(7)
    template = key.envelope(live_policy(6, rules={"torch-load-unsafe": {"action": "off"}}))
    for _ in range(1000):
        answer = mutate(rng, template)
        if rng.random() < 0.2:  # re-encode a mutated document with the old signature
            document = mutate(rng, live_policy(6))
            answer = dict(template, payload=b64url(json.dumps(document).encode()))
        accepted = source.accept(answer, '"x"')
        if accepted:  # only possible if the mutation left payload and signature intact
            assert answer["payload"] == template["payload"]
            source.accept(key.envelope(live_policy(source.revision)), None)
            good = copy.deepcopy(source.document)
        assert source.document == good


def test_fuzzed_event_results_only_settle_what_central_acknowledged(tmp_path):
    store = EventStore(str(tmp_path / "events.sqlite"))
    events = [{"event_id": f"event-{i:04d}", "time": "2026-11-25T22:00:00Z", "kind": "static",
               "rule_id": "torch-load-unsafe", "severity": "high", "action": "warned",
               "fingerprint": f"{i:016x}"} for i in range(200)]
    store.add(events, user="u", lab_id="l", source="frontend")
    relay = EventRelay(store, client=None, backoff=Backoff(0.01, 0.02))
    rng = random.Random(11)
    acknowledged = set()
    for _ in range(300):
        batch = store.claim_batch(20, 1 << 20)
        if not batch:
            break
        results = [{"event_id": item["event_id"], "status": "accepted"} for item in batch]
        body = mutate(rng, {"results": results})
        relay._settle(batch, CentralAnswer(200, body=body))
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            for result in body["results"]:
                if (isinstance(result, dict) and result.get("status") in ("accepted",
                                                                          "duplicate")
                        and isinstance(result.get("event_id"), str)
                        and result["event_id"] in {b["event_id"] for b in batch}):
                    acknowledged.add(result["event_id"])
    delivered = {r["event"]["event_id"] for r in store.recent(limit=1000)
                 if r["relay"]["state"] == "delivered"}
    assert delivered == acknowledged
    assert len(delivered) > 50


def test_relay_survives_fuzzed_answers_end_to_end(tmp_path):
    """Every kind of answer goes through the relay's real code path without raising."""
    store = EventStore(str(tmp_path / "events.sqlite"))
    store.add([{"event_id": f"event-{i:04d}", "time": "2026-11-25T22:00:00Z", "kind": "static",
                "rule_id": "torch-load-unsafe", "severity": "high", "action": "warned",
                "fingerprint": f"{i:016x}"} for i in range(10)],
              user="u", lab_id="l", source="frontend")
    rng = random.Random(3)

    class Answers:
        async def post_events(self, events, users=None):
            status = rng.choice([200, 200, 400, 413, 429, 500, 0])
            body = mutate(rng, {"results": [{"event_id": e["event_id"], "status": "accepted"}
                                            for e in events]})
            return CentralAnswer(status, body=body, headers={"Retry-After": rng.choice(
                [None, "1", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"])},
                error=None if status == 200 else f"HTTP {status}")

    relay = EventRelay(store, Answers(), Backoff(0.001, 0.002, retry_after_max=0.001))

    async def drive():
        for _ in range(200):
            await relay.send_once()

    asyncio.run(drive())
    rows = store.recent()
    assert len(rows) == 10
    states = [r["relay"]["state"] for r in rows]
    assert set(states) <= {"pending", "delivered", "rejected"}
    # every event central will never get is counted as a drop
    assert sum(store.drops().values()) == states.count("rejected")
