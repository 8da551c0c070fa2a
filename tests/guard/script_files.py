"""evaluate metric modules and a dataset-builder script, made here; and, run as a script in a
plain interpreter (no Warden), the proof that the malicious ones run when loaded:

    python script_files.py OUT -> {"evaluate": payload ran, "datasets": payload ran}

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


if __name__ == "__main__":
    build(sys.argv[1])
    print(json.dumps(prove(sys.argv[1])))
