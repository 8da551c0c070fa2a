"""Run a notebook cell's code in a fresh Python under the REAL launch-time guard (the kernel's
sitecustomize on PYTHONPATH, WARDEN_POLICY_FILE, WARDEN_EVENT_SPOOL), as a kernel would; or
without Warden (``guarded=False``) to prove that a payload really runs."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SITE = REPO / "jupyterlab_warden" / "kernel" / "boot" / "site"


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def run_cell(code: str, tmp: Path, policy=None, env=None, guarded=True) -> dict:
    """rc, stdout, stderr and the events the guard spooled (each checked against contract 3,
    schema/event.schema.json)."""
    tmp.mkdir(parents=True, exist_ok=True)
    spool = tmp / "spool"
    spool.mkdir(mode=0o700, exist_ok=True)
    policy_file = tmp / "policy.json"
    base = json.loads((REPO / "schema" / "default-policy.json").read_text())
    policy_file.write_text(json.dumps(_merge(base, policy or {})))
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("WARDEN_", "HF_"))}
    run_env.update(HOME=str(tmp), HF_HUB_DISABLE_TELEMETRY="1", HF_HUB_DISABLE_XET="1")
    if guarded:
        run_env["PYTHONPATH"] = os.pathsep.join((str(SITE), str(REPO)))
        run_env["WARDEN_POLICY_FILE"] = str(policy_file)
        run_env["WARDEN_EVENT_SPOOL"] = str(spool)
    else:
        run_env["PYTHONPATH"] = str(REPO)
    run_env.update(env or {})
    script = tmp / "cell.py"
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=str(tmp),
        env=run_env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    events = []
    for name in sorted(os.listdir(spool)):
        if name.endswith(".jsonl"):
            with open(spool / name, encoding="utf-8") as fh:
                events += [json.loads(line) for line in fh if line.strip()]
    import jsonschema

    schema = json.loads((REPO / "schema" / "event.schema.json").read_text())
    for event in events:
        jsonschema.Draft202012Validator(schema).validate(event)
    return {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr, "events": events}
