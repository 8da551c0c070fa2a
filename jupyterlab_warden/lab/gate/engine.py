"""The TypeScript analyzer, run inside the lab server by an embedded V8 (``py_mini_racer``).

One context is loaded once and kept warm; V8 contexts are not safe to enter from several
threads at once, so calls are serialised by a lock. The bundle is built from ``src/servergate``
(``npm run build:gate``) and never committed: when it or the engine is missing the gate is
*unavailable* and refuses every request (fail closed), saying why.

Per-call cost (bench/server_gate.py): mini-racer runs V8 on its own thread. Called from any
other thread, it also hops through an asyncio loop thread of its own (four thread wake-ups a
call, which is what a loaded machine's p99 is made of); called "on" the context's event loop,
it posts the task to V8 and waits for the result directly (two wake-ups). The engine therefore
gives its context a private loop that never runs and marks it as this thread's running loop
for the length of each (synchronous) call. The request goes in as a global string and the call
is one fixed script, so V8 compiles nothing per request (``MiniRacer.call`` would compile a new
script holding the whole request as a literal).
"""

import asyncio
import json
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

BUNDLE_PATH = Path(__file__).with_name("analyzer.bundle.js")
_REQUEST_SLOT = "__wardenGateRequest"
# One fixed script: V8's compilation cache makes every call after the first a lookup.
_CALL = f"WardenGateEngine.decideJson(globalThis.{_REQUEST_SLOT})"

# Warm-up: V8 optimises the analyzer's hot functions after some hundred calls; until then a
# 1 KB cell costs 2-4x more and the tier-up compiles land on requests (bench: the first
# ~750 calls). The server runs these at start, in the background, so users' cells do not pay.
WARM_UP_CALLS = 800
WARM_UP_CELL = (
    "import pickle, json\n"
    "import numpy as np\n"
    "import torch\n"
    "from transformers import AutoModel, AutoTokenizer\n"
    "%pip install -q datasets==2.19.0\n"
    "def load_checkpoint(path, device='cpu'):\n"
    "    state = torch.load(path, map_location=device, weights_only=True)\n"
    "    return {k: v.float() for k, v in state.items()}\n"
    "with open('stats.pkl', 'rb') as f:\n"
    "    stats = pickle.load(f)\n"
    "model = AutoModel.from_pretrained('bert-base-uncased', revision='main')\n"
    "tok = AutoTokenizer.from_pretrained('./local-model')\n"
    "x = np.arange(100).reshape(10, 10)\n"
    "for epoch in range(3):\n"
    "    loss = (x @ x.T).sum() / (epoch + 1)  # a training step\n"
    "    print(f'epoch {epoch}: {loss:.3f}')\n"
    "cfg = json.loads(open('config.json').read())\n"
)


class EngineUnavailable(RuntimeError):
    """The analyzer cannot run here; the message says why and what fixes it."""


class AnalyzerEngine:
    def __init__(self, bundle_path: Path = BUNDLE_PATH) -> None:
        self.bundle_path = Path(bundle_path)
        self._lock = threading.Lock()
        self._ctx = None
        self._globals = None
        self._resources = ExitStack()
        # Never run: only the identity mini-racer checks to take its direct call path.
        self._loop = asyncio.new_event_loop()
        self._resources.callback(self._loop.close)
        self.error: Optional[str] = None
        self.warmed_up = threading.Event()
        try:
            self._ctx = self._load()
        except EngineUnavailable as err:
            self.error = str(err)
            self._resources.close()

    @contextmanager
    def _on_own_loop(self) -> Iterator[None]:
        """Every use of the context goes through here: off its loop, mini-racer would wait
        on a loop thread that does not exist (this loop never runs)."""
        previous = asyncio.events._get_running_loop()
        asyncio.events._set_running_loop(self._loop)
        try:
            yield
        finally:
            asyncio.events._set_running_loop(previous)

    def _load(self):
        if not self.bundle_path.is_file():
            raise EngineUnavailable(
                f"the analyzer bundle {self.bundle_path} is missing: build it with "
                "`npm run build:gate` (done by `make install` and the wheel build)"
            )
        try:
            from py_mini_racer import mini_racer
        except ImportError as err:
            raise EngineUnavailable(
                f"the embedded JavaScript engine is not installed ({err}): pip install mini-racer"
            ) from err
        try:
            with self._on_own_loop():
                # The context lives as long as the engine (the context manager frees it).
                ctx = self._resources.enter_context(mini_racer(self._loop))
                ctx.eval(self.bundle_path.read_text(encoding="utf-8"))
                self._globals = ctx.eval("globalThis")
            self._ctx = ctx
            # One real call proves the bundle exports what the gate needs.
            self.decide("", [], {})
        except Exception as err:  # any engine error means: cannot decide
            self._ctx = None
            raise EngineUnavailable(f"the analyzer bundle could not be loaded: {err}") from err
        return ctx

    @property
    def available(self) -> bool:
        return self._ctx is not None

    def decide(
        self, code: str, scope: List[Tuple[str, Optional[str]]], policy: Dict[str, Any]
    ) -> Dict[str, Any]:
        """The analyzer's decision for ``code`` (see src/servergate/engine.ts)."""
        if self._ctx is None:
            raise EngineUnavailable(self.error or "the analyzer is not loaded")
        request = json.dumps({"code": code, "scope": scope, "policy": policy})
        with self._lock, self._on_own_loop():
            try:
                self._globals[_REQUEST_SLOT] = request
                reply = self._ctx.eval(_CALL)
                if not isinstance(reply, str):
                    raise TypeError(f"the analyzer returned {type(reply).__name__}, not JSON")
                return json.loads(reply)
            except Exception as err:
                raise EngineUnavailable(f"the analyzer failed on this request: {err}") from err

    def ping(self) -> None:
        """The smallest call into V8 (the floor under every decision; bench/server_gate.py)."""
        if self._ctx is None:
            raise EngineUnavailable(self.error or "the analyzer is not loaded")
        with self._lock, self._on_own_loop():
            self._ctx.eval("0")

    def warm_up(self, calls: int = WARM_UP_CALLS) -> None:
        """Run the analyzer until V8 has optimised it; the lock is taken per call, so real
        requests interleave with a warm-up running in the background."""
        try:
            for _ in range(calls):
                self.decide(WARM_UP_CELL, [], {})
        except EngineUnavailable:
            pass  # the requests themselves will fail closed and say why
        finally:
            self.warmed_up.set()

    def start_warm_up(self) -> None:
        if self.available:
            threading.Thread(target=self.warm_up, name="warden-gate-warm-up", daemon=True).start()

    def heap_bytes(self) -> Optional[int]:
        if self._ctx is None:
            return None
        with self._lock, self._on_own_loop():
            return int(self._ctx.heap_stats().get("used_heap_size", 0))
