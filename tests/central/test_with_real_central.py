"""The lab server against the REAL central service (Node, SQLite) over real HTTP."""

import os
import signal

import pytest
from events_for_tests import events
from labserver_harness import LabServer, wait_for
from outage_scenario import run_outage

from jupyterlab_warden.lab.central.policy_source import REJECTED_RULE

OUTAGE = float(os.environ.get("WARDEN_OUTAGE_SECONDS", "6"))


def lab_settings(central, **extra):
    settings = {
        "central_url": central.url,
        "central_token": central.lab_token,
        "central_public_keys": central.public_keys(),
        "central_timeout": 2.0,
        "central_backoff_initial": 0.2,
        "central_backoff_max": 1.0,
        "central_status_interval": 0.5,
        "central_policy_wait": 5,
        "spool_interval": 0.2,
        # central signs each policy for the lab of the token that fetched it (audience);
        # RealCentral names its lab token "lab-a"
        "lab_id": "lab-a",
    }
    settings.update(extra)
    return settings


class ServiceCentral:
    def __init__(self, central):
        self.central = central

    def stop(self):
        self.central.stop()

    def start(self):
        self.central.start()

    def stored(self):
        found = {}
        for row in self.central.events():
            found.setdefault(row["event_id"], []).append(row)
        return found


@pytest.mark.parametrize("outage", [OUTAGE])
@pytest.mark.parametrize("restart", [signal.SIGTERM, signal.SIGKILL], ids=["stop", "crash"])
def test_outage_with_lab_restart_delivers_every_event_exactly_once(
        tmp_path, real_central, restart, outage):
    run_outage(tmp_path, lab_settings(real_central), ServiceCentral(real_central), restart,
               outage)


def test_lab_follows_policy_revisions_and_reports_its_status(tmp_path, real_central):
    real_central.put_policy("default", {"rules": {"torch-load-unsafe": {"action": "block"}}})
    lab = LabServer(tmp_path / "lab", lab_settings(real_central)).start()
    try:
        def policy():
            return lab.pipeline_status()["central"]["policy"]

        wait_for(lambda: policy()["revision"] == 1, 30, 0.2, "revision 1 at the lab")
        real_central.put_policy("default", {"rules": {"torch-load-unsafe": {"action": "warn"}}})
        wait_for(lambda: policy()["revision"] == 2, 15, 0.2, "revision 2 at the lab")
        assert policy()["error"] is None
        lab.post_events(events(0, 3))

        def inventory():
            entry = real_central.labs().get("lab-a") or {}
            return (entry.get("policy_revision") == 2 and entry.get("queue_depth") == 0
                    # 3 posted, plus the lab's own posture findings raised at start
                    and entry.get("event_count", 0) >= 3 and entry)

        entry = wait_for(inventory, 30, 0.3, "central's inventory to show the lab")
        assert entry["warden_version"]
    finally:
        lab.stop()


def test_a_rotated_key_the_lab_does_not_trust_is_refused(tmp_path, real_central):
    real_central.put_policy("default", {"rules": {"torch-load-unsafe": {"action": "block"}}})
    settings = lab_settings(real_central)
    lab = LabServer(tmp_path / "lab", settings).start()
    try:
        def policy():
            return lab.pipeline_status()["central"]["policy"]

        wait_for(lambda: policy()["revision"] == 1, 30, 0.2, "revision 1 at the lab")
        real_central.stop()
        new_key = real_central.rotate_key().split()[-1]
        real_central.start()
        real_central.put_policy("default", {"rules": {"torch-load-unsafe": {"action": "off"}}})
        wait_for(lambda: "(unknown_key)" in (policy()["error"] or ""), 30, 0.2, "the refusal")
        assert policy()["revision"] == 1

        def refusal_at_central():
            return [e for e in real_central.events() if e["rule_id"] == REJECTED_RULE]

        [refusal] = wait_for(refusal_at_central, 30, 0.3, "the refusal event at central")
        assert refusal["evidence"]["key_id"] == new_key

        # the admin pins the new key: the lab now accepts the new revision
        lab.stop()
        lab.warden["central_public_keys"] = real_central.public_keys()
        lab.start()
        wait_for(lambda: policy()["revision"] == 2, 30, 0.2, "revision 2 at the lab")
    finally:
        lab.stop()


def test_central_records_the_jupyter_user_the_lab_authenticated(tmp_path, real_central):
    """The lab relays, with each event, the user it authenticated (``users`` in POST
    /api/v1/events); central stores that, never a user named in the event body."""
    real_central.put_policy("default", {"rules": {}})
    lab = LabServer(tmp_path / "lab", lab_settings(real_central)).start()
    try:
        sent = events(0, 3)
        lab.post_events(sent)
        ids = {e["event_id"] for e in sent}
        wait_for(lambda: ids <= {r["event_id"] for r in real_central.events()}, 30, 0.2,
                 "the events at central")
        local = {r["event"]["event_id"]: r["user"] for r in lab.all_events()}
        for row in real_central.events():
            if row["event_id"] in ids:
                assert row["user"] == local[row["event_id"]] and row["user"]
    finally:
        lab.stop()
