"""Builds malicious and benign files of the non-pickle formats with the real libraries, and
proves each malicious one: loaded WITHOUT Warden (this script runs in a plain interpreter),
its payload runs and its marker file appears.

Usage: python format_files.py OUT_DIR  -> prints a JSON object {file: payload_ran}
"""

import json
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "torch")


def keras_files(out):
    import keras
    import numpy as np

    ran = {}
    for ext in ("keras", "h5"):
        marker = os.path.join(out, f"keras_{ext}_fn.marker")
        shape_marker = os.path.join(out, f"keras_{ext}_shape.marker")
        fn = eval(f"lambda x: (open({marker!r}, 'w').close(), x)[1]")  # noqa: S307
        shape = eval(f"lambda s: (open({shape_marker!r}, 'w').close(), s)[1]")  # noqa: S307
        evil = keras.Sequential(
            [keras.Input((3,)), keras.layers.Lambda(fn, output_shape=shape), keras.layers.Dense(2)]
        )
        path = os.path.join(out, f"lambda.{ext}")
        evil.save(path)
        for m in (marker, shape_marker):
            if os.path.exists(m):
                os.remove(m)
        loaded = keras.saving.load_model(path, safe_mode=False)
        loaded(np.zeros((1, 3), dtype="float32"))
        ran[path] = os.path.exists(marker) and os.path.exists(shape_marker)
        for m in (marker, shape_marker):
            if os.path.exists(m):
                os.remove(m)
        benign = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="relu")])
        benign.save(os.path.join(out, f"dense.{ext}"))
    return ran


def _benign_torchscript(out):
    """Real models, scripted and traced: the operator allow list must clear all of them."""
    import torch
    from format_models import Conv, Flow, Lstm, Transformer

    made = {
        "conv_scripted_ts.pt": torch.jit.script(Conv()),
        "conv_traced_ts.pt": torch.jit.trace(Conv().eval(), torch.zeros(1, 3, 8, 8)),
        "lstm_scripted_ts.pt": torch.jit.script(Lstm()),
        "lstm_traced_ts.pt": torch.jit.trace(Lstm(), torch.zeros(1, 5, 4)),
        "flow_scripted_ts.pt": torch.jit.script(Flow()),
        "transformer_scripted_ts.pt": torch.jit.script(Transformer().eval()),
    }
    for name, module in made.items():
        module.save(os.path.join(out, name))


def _rewrite_code(src, dst, old, new):
    """A copy of a TorchScript archive with its code spelled differently (what an attacker
    writing the archive by hand can do: TorchScript compiles the text it finds)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("code/__torch__.py"):
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)


def torchscript_files(out):
    from typing import List

    import torch

    marker = os.path.join(out, "torchscript.marker")

    class FileTouch(torch.nn.Module):
        def __init__(self, path: str):
            super().__init__()
            self.path = path
            self.n = 0

        @torch.jit.export
        def __getstate__(self) -> List[str]:
            return [self.path]

        @torch.jit.export
        def __setstate__(self, state: List[str]) -> None:
            self.path = state[0]
            self.training = False
            # aten::from_file(shared=True) creates (or extends) any writable file, at load time
            self.n = torch.from_file(self.path, shared=True, size=8, dtype=torch.uint8).numel()

        def forward(self, x):
            return x + self.n

    evil = os.path.join(out, "from_file_ts.pt")
    torch.jit.script(FileTouch(marker)).save(evil)
    torch.jit.script(torch.nn.Linear(2, 2)).save(os.path.join(out, "linear_ts.pt"))
    ran = {}
    torch.jit.load(evil)
    ran[evil] = os.path.exists(marker)
    os.remove(marker)
    evil_via_load = os.path.join(out, "from_file_ts_via_torch_load.pt")
    torch.jit.script(FileTouch(marker)).save(evil_via_load)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.load(evil_via_load, weights_only=False)
    ran[evil_via_load] = os.path.exists(marker)
    os.remove(marker)

    class FileWrite(torch.nn.Module):
        """aten::save (torch.save inside TorchScript) writes any file at load time: an
        operator a deny list of from_file spellings missed."""

        def __init__(self, path: str):
            super().__init__()
            self.path = path

        @torch.jit.export
        def __getstate__(self) -> List[str]:
            return [self.path]

        @torch.jit.export
        def __setstate__(self, state: List[str]) -> None:
            self.path = state[0]
            self.training = False
            torch.save(torch.zeros(1), self.path)

        def forward(self, x):
            return x

    save = os.path.join(out, "save_ts.pt")
    torch.jit.script(FileWrite(marker)).save(save)
    variants = {
        save: None,
        os.path.join(out, "save_spaced_ts.pt"): "torch . save(",
        os.path.join(out, "save_ops_ts.pt"): "ops.aten.save(",
        os.path.join(out, "save_paren_ts.pt"): "(torch).save(",
    }
    for path, spelling in variants.items():
        if spelling is not None:
            _rewrite_code(save, path, "torch.save(", spelling)
        torch.jit.load(path)
        ran[path] = os.path.exists(marker)
        os.remove(marker)
    _benign_torchscript(out)
    return ran


def yaml_files(out):
    import yaml

    marker = os.path.join(out, "yaml.marker")
    evil = os.path.join(out, "apply.yaml")
    with open(evil, "w") as fh:
        fh.write(f"cfg:\n  lr: 0.1\n  hook: !!python/object/apply:os.mknod [{marker!r}]\n")
    shorthand = os.path.join(out, "tag_directive.yaml")
    with open(shorthand, "w") as fh:
        # the %TAG shorthand spells the tag differently; it resolves to the same python tag
        second = marker + "2"
        fh.write(
            f"%TAG !p! tag:yaml.org,2002:python/\n---\nx: !p!object/apply:os.mknod [{second!r}]\n"
        )
    benign = os.path.join(out, "config.yaml")
    with open(benign, "w") as fh:
        fh.write("import: [a, b]\nmodel: {layers: 2, shape: !!python/tuple [1, 2]}\n")
    ran = {}
    for path, m in ((evil, marker), (shorthand, marker + "2")):
        with open(path) as fh:
            yaml.unsafe_load(fh)
        ran[path] = os.path.exists(m)
        os.remove(m)
    return ran


if __name__ == "__main__":
    target = sys.argv[1]
    result = {}
    for build in (keras_files, torchscript_files, yaml_files):
        result.update(build(target))
    print(json.dumps(result))
