"""The issue's fault scenario, run against the fault injector and against the real central.

Central goes down while events flow (frontend posts, kernel spool lines, repeats of one
finding), the lab server is restarted (or killed) during the outage and more events arrive
after; when central returns every event must arrive exactly once.
"""

import time

from events_for_tests import event, events
from labserver_harness import LabServer, wait_for

from jupyterlab_warden.kernel.event_spool import append_event


def run_outage(tmp_path, lab_config, central, restart, outage: float) -> None:
    """``central`` offers stop(), start() and stored() -> {event_id: [stored events]}."""
    lab = LabServer(tmp_path / "lab", lab_config).start()
    spool = str(tmp_path / "lab" / "runtime" / "warden-spool")
    try:
        before = events(0, 20)
        lab.post_events(before)
        wait_for(lambda: {e["event_id"] for e in before} <= set(central.stored()), 60, 0.2,
                 "the first events at central")

        central.stop()
        outage_start = time.monotonic()
        during = events(100, 30)
        lab.post_events(during[:15])
        kernel_lines = events(200, 10, kind="runtime", rule_id="pickle-blocked-global")
        for line in kernel_lines[:5]:
            assert append_event(line, spool)
        repeats = [event(300) for _ in range(5)]  # one finding seen 5 times
        lab.post_events(repeats)
        lab.post_events(during[15:])
        time.sleep(min(2.0, outage / 3))

        lab.stop(restart)
        for line in kernel_lines[5:]:  # kernels keep writing while the server is down
            assert append_event(line, spool)
        lab.start()
        after = events(400, 10)
        lab.post_events(after)
        assert lab.pipeline_status()["store"]["queue_depth"] > 0

        time.sleep(max(0.0, outage - (time.monotonic() - outage_start)))
        central.start()

        singles = {e["event_id"] for e in before + during + kernel_lines + after}
        wait_for(lambda: singles <= set(central.stored()), 90, 0.3,
                 "every event at central")
        wait_for(lambda: lab.pipeline_status()["store"]["queue_depth"] == 0, 30, 0.2,
                 "the lab's queue to drain")
        stored = central.stored()
        assert all(len(stored[i]) == 1 for i in singles), "an event was stored twice"
        # the repeats went out collapsed: their counts add up to what was seen
        repeat_rows = [copies[0] for copies in stored.values()
                       if copies[0]["fingerprint"] == repeats[0]["fingerprint"]]
        assert sum(e.get("count", 1) for e in repeat_rows) == 5
        # Besides what the lab server raises itself at start (its posture checks, source
        # "server"), nothing else arrived.
        sent = {i: copies for i, copies in stored.items() if copies[0]["source"] != "server"}
        assert len(sent) == len(singles) + len(repeat_rows)
        assert {stored[e["event_id"]][0]["source"] for e in kernel_lines} == {"kernel"}
        assert lab.pipeline_status()["store"]["dropped"] == {}
    finally:
        lab.stop()
