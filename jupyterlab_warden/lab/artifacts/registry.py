"""The lab's registry client: one object holding the fleet's decisions, the fleet's scan
verdicts and the report queue; what kernels get (``for_kernels``) and one round with
central (``sync_once``)."""

import os
from typing import Iterable, Mapping

from .decisions import FleetDecisionStore
from .reports import MAX_BATCH, ReportOutbox, report_from_event
from .verdicts import FleetScanCache

MAX_LOOKUP = 500  # contract: at most 500 sha256 a lookup


class ArtifactRegistry:
    def __init__(self, data_dir: str, keys: Mapping[str, object]):
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        self.decisions = FleetDecisionStore(os.path.join(data_dir, "artifact-decisions.json"), keys)
        self.scans = FleetScanCache(os.path.join(data_dir, "artifact-scans.json"))
        self.outbox = ReportOutbox(os.path.join(data_dir, "artifact-reports.jsonl"))
        self.wanted = set()  # sha256 seen in this lab whose fleet verdict is not known yet

    def observe(self, events: Iterable[dict]) -> int:
        """Queue the reports the kernels' events carry; returns how many."""
        reports = [r for r in (report_from_event(e) for e in events) if r is not None]
        self.outbox.add(reports)
        self.wanted.update(self.scans.unknown(r["sha256"] for r in reports))
        return len(reports)

    def for_kernels(self) -> dict:
        """The ``artifacts`` of the signed guard update (kernel/guard/provenance/fleet.py)."""
        return {"decisions": self.decisions.decisions(), "scans": self.scans.scans()}

    async def sync_once(self, client) -> dict:
        """Fetch decisions, look up wanted verdicts, send queued reports. Each step that fails
        leaves its data where it was (the offline copy, the queue) for the next round."""
        done = {"decisions": None, "looked_up": 0, "reported": 0, "errors": []}
        answer = await client.get_artifact_decisions(self.decisions.revision)
        if answer.status == 200:
            done["decisions"] = self.decisions.accept(answer.body)
            if not done["decisions"]:
                done["errors"].append(f"decisions refused: {self.decisions.last_error}")
        elif answer.status != 304:
            done["errors"].append(f"decisions: {answer.error}")
        wanted = sorted(self.wanted)[:MAX_LOOKUP]
        if wanted:
            answer = await client.lookup_artifacts(wanted)
            if answer.ok:
                self.scans.update(answer.body)
                self.wanted.difference_update(wanted)
                done["looked_up"] = len(wanted)
            else:
                done["errors"].append(f"lookup: {answer.error}")
        while True:
            batch = self.outbox.peek(MAX_BATCH)
            if not batch:
                break
            answer = await client.post_artifact_reports(batch)
            if answer.status != 202:
                done["errors"].append(f"reports: {answer.error}")
                break
            self.outbox.ack(len(batch))
            done["reported"] += len(batch)
        return done
