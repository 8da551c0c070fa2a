"""The lab's registry client: one object holding the fleet's decisions, the fleet's scan
verdicts and the report queue; what kernels get (``for_kernels``) and one round with
central (``sync_once``)."""

import os
from typing import Iterable, Mapping

from .decisions import FleetDecisionStore
from .reports import MAX_BATCH, ReportOutbox, report_from_event
from .verdicts import FleetScanCache

MAX_LOOKUP = 500  # contract: at most 500 sha256 a lookup
MAX_REQUESTS = 100  # report posts a round (the rest waits for the next round)
SET_ASIDE_KEPT = 1_000  # refused reports kept for an admin to look at (newest)


class ArtifactRegistry:
    def __init__(self, data_dir: str, keys: Mapping[str, object]):
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        self.decisions = FleetDecisionStore(os.path.join(data_dir, "artifact-decisions.json"), keys)
        self.scans = FleetScanCache(os.path.join(data_dir, "artifact-scans.json"))
        self.outbox = ReportOutbox(os.path.join(data_dir, "artifact-reports.jsonl"))
        # central refused these batches (400): kept aside, never retried, so one report
        # central will not take cannot hold back every later one
        self.refused = ReportOutbox(
            os.path.join(data_dir, "artifact-reports-refused.jsonl"),
            max_reports=SET_ASIDE_KEPT,
            max_bytes=1 << 20,
        )
        self.set_aside = 0  # reports set aside since the lab started
        self.wanted = set()  # sha256 seen in this lab whose fleet verdict was never asked

    def observe(self, events: Iterable[dict]) -> int:
        """Queue the reports the kernels' events carry; returns how many."""
        reports = [r for r in (report_from_event(e) for e in events) if r is not None]
        self.outbox.add(reports)
        self.wanted.update(self.scans.unknown(r["sha256"] for r in reports))
        return len(reports)

    def for_kernels(self) -> dict:
        """The ``artifacts`` of the signed guard update (kernel/guard/provenance/fleet.py)."""
        return {"decisions": self.decisions.decisions(), "scans": self.scans.scans()}

    def status(self) -> dict:
        """Counts for the lab's status: reports queued, dropped (queue full), set aside."""
        return {
            "queued": len(self.outbox),
            "dropped": self.outbox.dropped,
            "set_aside": self.set_aside,
        }

    def problems(self) -> list:
        """Lost reports, for the status bar (``/warden/status`` problems)."""
        out = []
        if self.decisions.save_error:
            out.append(f"artifact registry: {self.decisions.save_error}")
        if self.set_aside:
            out.append(
                f"artifact registry: {self.set_aside} report(s) refused by central as invalid,"
                " set aside (artifact-reports-refused.jsonl in the data dir)"
            )
        if self.outbox.dropped:
            out.append(
                f"artifact registry: {self.outbox.dropped} oldest report(s) dropped"
                " (queue full while central was unreachable)"
            )
        return out

    async def sync_once(self, client) -> dict:
        """Fetch decisions, look up verdicts (new sha256s first, then the cached ones least
        recently asked), send queued reports. Each step that fails leaves its data where it was
        (the offline copy, the queue) for the next round. A report central refuses as invalid
        (400) is found by halving the batch and set aside, not retried forever: it would hold
        back every later report."""
        done = {"decisions": None, "looked_up": 0, "reported": 0, "set_aside": 0, "errors": []}
        self.decisions.save_pending()  # what an earlier round could not write
        answer = await client.get_artifact_decisions(self.decisions.revision)
        if answer.status == 200:
            done["decisions"] = self.decisions.accept(answer.body)
            if not done["decisions"]:
                done["errors"].append(f"decisions refused: {self.decisions.last_error}")
        elif answer.status != 304:
            done["errors"].append(f"decisions: {answer.error}")
        if self.decisions.save_error:
            done["errors"].append(self.decisions.save_error)
        wanted = sorted(self.wanted)[:MAX_LOOKUP]
        asked = wanted + self.scans.oldest(MAX_LOOKUP - len(wanted), exclude=wanted)
        if asked:
            answer = await client.lookup_artifacts(asked)
            if answer.ok:
                self.scans.update(answer.body, asked)
                self.wanted.difference_update(wanted)
                done["looked_up"] = len(asked)
            else:
                done["errors"].append(f"lookup: {answer.error}")
        size = MAX_BATCH
        for _ in range(MAX_REQUESTS):
            batch = self.outbox.peek(size)
            if not batch:
                break
            answer = await client.post_artifact_reports(batch)
            if answer.status == 400:  # invalid for central: retrying the same cannot help
                if len(batch) > 1:  # halve until the refused report is alone
                    size = max(1, len(batch) // 2)
                    continue
                self.refused.add(batch)
                self.outbox.ack(1)
                self.set_aside += 1
                done["set_aside"] += 1
                done["errors"].append(f"reports: 1 set aside: {answer.error}")
                size = MAX_BATCH
                continue
            if answer.status != 202:
                done["errors"].append(f"reports: {answer.error}")
                break
            self.outbox.ack(len(batch))
            done["reported"] += len(batch)
        return done
