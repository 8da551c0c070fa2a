"""The TypeScript analyzer, run inside the lab server by an embedded V8 (``py_mini_racer``).

One context is loaded once and kept warm; V8 contexts are not safe to enter from several
threads at once, so calls are serialised by a lock. The bundle is built from ``src/servergate``
(``npm run build:gate``) and never committed: when it or the engine is missing the gate is
*unavailable* and refuses every request (fail closed), saying why.
"""

import json
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

BUNDLE_PATH = Path(__file__).with_name("analyzer.bundle.js")
_ENTRY = "WardenGateEngine.decideJson"


class EngineUnavailable(RuntimeError):
    """The analyzer cannot run here; the message says why and what fixes it."""


class AnalyzerEngine:
    def __init__(self, bundle_path: Path = BUNDLE_PATH) -> None:
        self.bundle_path = Path(bundle_path)
        self._lock = threading.Lock()
        self._ctx = None
        self.error: Optional[str] = None
        try:
            self._ctx = self._load()
        except EngineUnavailable as err:
            self.error = str(err)

    def _load(self):
        if not self.bundle_path.is_file():
            raise EngineUnavailable(
                f"the analyzer bundle {self.bundle_path} is missing: build it with "
                "`npm run build:gate` (done by `make install` and the wheel build)"
            )
        try:
            from py_mini_racer import MiniRacer
        except ImportError as err:
            raise EngineUnavailable(
                f"the embedded JavaScript engine is not installed ({err}): pip install mini-racer"
            ) from err
        try:
            ctx = MiniRacer()
            ctx.eval(self.bundle_path.read_text(encoding="utf-8"))
            # One real call proves the bundle exports what the gate needs.
            ctx.call(_ENTRY, json.dumps({"code": "", "scope": [], "policy": {}}))
        except Exception as err:  # any engine error means: cannot decide
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
        with self._lock:
            try:
                return json.loads(self._ctx.call(_ENTRY, request))
            except Exception as err:
                raise EngineUnavailable(f"the analyzer failed on this request: {err}") from err

    def heap_bytes(self) -> Optional[int]:
        if self._ctx is None:
            return None
        with self._lock:
            return int(self._ctx.heap_stats().get("used_heap_size", 0))
