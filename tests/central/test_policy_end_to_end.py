"""The lab server fetching signed policies over real HTTP, refusing bad ones, keeping the last
good one across a restart while central is down."""

import time

from fault_central import SigningKey
from labserver_harness import LabServer, wait_for
from test_policy_source import live_policy, tampered

from jupyterlab_warden.lab.central.policy_source import REJECTED_RULE


def policy_status(lab):
    return lab.pipeline_status()["central"]["policy"]


def rejection_events(lab):
    return [r for r in lab.all_events() if r["event"]["rule_id"] == REJECTED_RULE]


def test_bad_policies_are_refused_and_the_last_good_kept(tmp_path, central, lab_config,
                                                         signing_key):
    central.set_policy(signing_key.envelope(live_policy(5)))
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        wait_for(lambda: policy_status(lab)["revision"] == 5, 30, 0.2, "revision 5")
        wait_for(lambda: any(s.get("policy_revision") == 5 for s in list(central.statuses)),
                 30, 0.2, "central to hear revision 5")

        other = SigningKey()
        bad = [
            ("bad_signature", tampered(signing_key.envelope(live_policy(6)))),
            ("old_revision", signing_key.envelope(live_policy(4))),
            ("expired", signing_key.envelope(live_policy(6, expires_at="2020-01-01T00:00:00Z"))),
            ("unknown_key", other.envelope(live_policy(6))),
        ]
        for n, (code, envelope) in enumerate(bad, start=1):
            central.set_policy(envelope)
            wait_for(lambda n=n: len(rejection_events(lab)) == n, 30, 0.2, f"refusal {code}")
            assert f"({code})" in policy_status(lab)["error"]
            assert policy_status(lab)["revision"] == 5
            assert rejection_events(lab)[0]["event"]["evidence"]["reason"] == code
        # the refusals reach central as server events, once each
        wait_for(lambda: sum(e["rule_id"] == REJECTED_RULE for e in central.stored.values())
                 == len(bad), 30, 0.2, "the refusal events at central")

        # central goes away; the lab restarts and still enforces revision 5 from disk
        central.stop()
        lab.stop()
        lab.start()
        status = policy_status(lab)
        assert status["revision"] == 5
        assert "cannot fetch policy" in (
            wait_for(lambda: policy_status(lab)["error"], 30, 0.2, "the fetch error"))

        central.set_policy(signing_key.envelope(live_policy(6)))
        central.start()
        wait_for(lambda: policy_status(lab)["revision"] == 6, 30, 0.2, "revision 6")
        assert policy_status(lab)["error"] is None
        assert lab.proc.poll() is None
    finally:
        lab.stop()


def test_long_poll_picks_up_a_new_revision_without_waiting_for_the_interval(
        tmp_path, central, lab_config, signing_key):
    lab_config = dict(lab_config, central_policy_wait=30, central_poll_interval=60)
    central.set_policy(signing_key.envelope(live_policy(1)))
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        wait_for(lambda: policy_status(lab)["revision"] == 1, 30, 0.2, "revision 1")
        wait_for(lambda: central.parked > 0, 10, 0.05, "the lab parked in a long poll")
        central.set_policy(signing_key.envelope(live_policy(2)))
        wait_for(lambda: policy_status(lab)["revision"] == 2, 5, 0.1, "revision 2")
        # one request answered 200 for revision 1, the held one answered with revision 2
        policy_gets = [r for r in central.requests if r[2] == "/api/v1/policy"]
        assert [r[3] for r in policy_gets] == [200, 200]
    finally:
        lab.stop()
