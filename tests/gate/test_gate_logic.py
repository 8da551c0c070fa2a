"""The server gate's own logic, without a server: fail closed, confirmations."""

from jupyterlab_warden.lab.gate.confirmations import ConfirmationStore, code_sha256
from jupyterlab_warden.lab.gate.engine import AnalyzerEngine
from jupyterlab_warden.lab.gate.gate import ServerGate


def test_a_missing_bundle_fails_closed_and_says_why(tmp_path):
    engine = AnalyzerEngine(tmp_path / "absent.bundle.js")
    assert not engine.available
    assert "npm run build:gate" in engine.error
    gate = ServerGate(engine, dict, ConfirmationStore(), [].append)
    verdict = gate.check(kernel_id="k", user="u", code="x = 1", request="execute_request")
    assert verdict.forward is False
    assert "fail closed" in verdict.reason and "absent.bundle.js" in verdict.reason


def test_a_broken_bundle_fails_closed(tmp_path):
    bundle = tmp_path / "broken.js"
    bundle.write_text("this is not javascript (")
    engine = AnalyzerEngine(bundle)
    assert not engine.available and "could not be loaded" in engine.error


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_confirmation_is_bound_to_code_kernel_and_user_used_once_and_expires():
    clock = Clock()
    store = ConfirmationStore(ttl=60, clock=clock)
    sha = code_sha256("torch.load(p, weights_only=False)")
    store.record(sha, "k1", "alice", "I trust it")
    assert store.consume(sha, "k2", "alice") is None
    assert store.consume(sha, "k1", "bob") is None
    assert store.consume(code_sha256("other"), "k1", "alice") is None
    assert store.consume(sha, "k1", "alice") == {"justification": "I trust it"}
    assert store.consume(sha, "k1", "alice") is None
    store.record(sha, "k1", "alice")
    clock.now += 61
    assert store.consume(sha, "k1", "alice") is None


def test_a_confirmed_run_is_recorded_with_the_justification():
    events = []
    store = ConfirmationStore()
    gate = ServerGate(AnalyzerEngine(), dict, store, events.append)
    code = "import torch\ntorch.load('m.pt', weights_only=False)"
    first = gate.check(kernel_id="k", user="u", code=code, request="execute_request")
    assert not first.forward and first.taken == "blocked"
    store.record(code_sha256(code), "k", "u", "from our own registry")
    second = gate.check(kernel_id="k", user="u", code=code, request="execute_request")
    assert second.forward and second.taken == "confirmed"
    assert [e["action"] for e in events] == ["blocked", "confirmed"]
    assert events[1]["justification"] == "from our own registry"
    assert "torch.load" not in str(events[1]["evidence"])


def test_the_engine_decides_from_inside_a_running_event_loop_and_from_other_threads():
    # The server calls the engine from tornado's asyncio loop; the engine briefly marks its own
    # (never running) loop as the current one, and must give the caller's loop back.
    import asyncio
    import threading

    engine = AnalyzerEngine()
    risky = "import pickle\nobj = pickle.load(open('m.pkl', 'rb'))\n"

    async def on_loop():
        loop = asyncio.get_running_loop()
        result = engine.decide(risky, [], {})
        assert asyncio.get_running_loop() is loop
        return result

    in_loop = asyncio.run(on_loop())
    assert [f["ruleId"] for f in in_loop["findings"]] == ["pickle-load"]
    results = []
    workers = [
        threading.Thread(target=lambda: results.append(engine.decide(risky, [], {})))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [r["findings"][0]["ruleId"] for r in results] == ["pickle-load"] * 4
    assert engine.decide("x = 1", [], {})["findings"] == []


def test_warm_up_runs_the_analyzer_and_leaves_it_deciding():
    engine = AnalyzerEngine()
    engine.start_warm_up()
    assert engine.warmed_up.wait(timeout=120)
    assert engine.decide("import pickle\npickle.loads(b)\n", [], {})["action"] != "off"
