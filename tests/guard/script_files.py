"""evaluate metric modules and a dataset-builder script, made here; and, run as a script in a
fresh interpreter, the proof that the malicious ones run when loaded without Warden, and what
happens to each under the guard:

    python script_files.py OUT plain -> {"evaluate": payload ran, "datasets": payload ran}
    python script_files.py OUT guard -> {check: outcome} (the guard installed first)

evaluate and datasets pull in pyarrow, which changes how pandas pickles DataFrames for every
process that can import it: they are kept out of the shared environment and run here only
(the test installs them into a folder of their own and puts it on this child's path).

The evaluate proof goes through the real ``evaluate.load`` on a local metric folder (the same
import path a Hub metric takes after download). datasets 5 refuses loading scripts in
``load_dataset`` itself; its ``datasets.load.import_main_class`` - what datasets < 4 imported
scripts with - still imports any module it is given, and is what the proof calls.
"""

import json
import os
import sys

METRIC = """\
import datasets
import evaluate
{payload}

class {cls}(evaluate.Metric):
    def _info(self):
        features = datasets.Features(
            {{"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}}
        )
        return evaluate.MetricInfo(description="", citation="", features=features)

    def _compute(self, predictions, references):
        hits = sum(int(p == r) for p, r in zip(predictions, references))
        return {{"accuracy": hits / len(references)}}
"""
BUILDER = """\
import datasets
{payload}

class Rows(datasets.GeneratorBasedBuilder):
    def _info(self):
        return datasets.DatasetInfo(features=datasets.Features({{"x": datasets.Value("int32")}}))

    def _split_generators(self, dl_manager):
        return [datasets.SplitGenerator(name="train")]

    def _generate_examples(self):
        yield 0, {{"x": 1}}
"""


def _touch(marker):
    return f"import os\nos.mknod({marker!r})\n"


def build(out):
    for name, cls, payload in (
        ("evil_metric", "EvilMetric", _touch(os.path.join(out, "evaluate.marker"))),
        ("good_metric", "GoodMetric", ""),
    ):
        os.makedirs(os.path.join(out, name))
        with open(os.path.join(out, name, name + ".py"), "w") as fh:
            fh.write(METRIC.format(payload=payload, cls=cls))
    scripts = os.path.join(out, "scripts")
    os.makedirs(scripts)
    with open(os.path.join(scripts, "evil_rows.py"), "w") as fh:
        fh.write(BUILDER.format(payload=_touch(os.path.join(out, "datasets.marker"))))
    with open(os.path.join(scripts, "good_rows.py"), "w") as fh:
        fh.write(BUILDER.format(payload=""))


def prove(out):
    import datasets.load
    import evaluate

    evaluate.load(os.path.join(out, "evil_metric"))
    sys.path.insert(0, os.path.join(out, "scripts"))
    datasets.load.import_main_class("evil_rows")
    ran = {}
    for name in ("evaluate", "datasets"):
        marker = os.path.join(out, name + ".marker")
        ran[name] = os.path.exists(marker)
        if ran[name]:
            os.remove(marker)
    return ran


def guarded(out):
    import hashlib

    from jupyterlab_warden.kernel import guard

    state = guard.install()
    import datasets
    import datasets.load
    import evaluate

    events = []
    state.sink.callbacks.append(events.append)
    result = {}

    def attempt(name, call):
        try:
            value = call()
            result[name] = "loaded" if value is not None else "none"
        except guard.WardenBlockedLoad as exc:
            result[name] = "blocked:" + exc.rule_id
            result[name + " findings"] = exc.event.get("evidence", {}).get("findings", [])
        result[name + " markers"] = sorted(p for p in os.listdir(out) if p.endswith(".marker"))
        for marker in result[name + " markers"]:
            os.remove(os.path.join(out, marker))

    attempt("evaluate evil", lambda: evaluate.load(os.path.join(out, "evil_metric")))
    good = evaluate.load(os.path.join(out, "good_metric"))
    result["evaluate good"] = good.compute(predictions=[1, 0], references=[1, 1])
    sys.path.insert(0, os.path.join(out, "scripts"))
    attempt("datasets evil", lambda: datasets.load.import_main_class("evil_rows"))
    result["datasets good"] = datasets.load.import_main_class("good_rows").__name__
    with open(os.path.join(out, "rows.csv"), "w") as fh:
        fh.write("x\n1\n2\n")
    rows = datasets.load_dataset("csv", data_files=os.path.join(out, "rows.csv"), split="train")
    result["packaged csv builder"] = list(rows["x"])
    source = os.path.join(out, "evil_metric", "evil_metric.py")
    with open(source, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    state.set_policy({"trusted_artifacts": {digest: "our metric"}})
    attempt("evaluate evil trusted", lambda: evaluate.load(os.path.join(out, "evil_metric")))
    result["blocked events"] = [e["rule_id"] for e in events if e["action"] == "blocked"]
    return result


if __name__ == "__main__":
    if sys.argv[2] == "plain":
        build(sys.argv[1])
        print(json.dumps(prove(sys.argv[1])))
    else:
        print(json.dumps(guarded(sys.argv[1])))
