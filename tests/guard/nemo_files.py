"""NeMo-style ``.nemo`` archives (a tar with model_config.yaml) and Hydra configs, made here,
and the proof that the malicious ones run their payload WITHOUT Warden. NeMo itself is not
installed: its restore path is what runs here - the archive's model_config.yaml read with
OmegaConf and each sub-config handed to the real ``hydra.utils.instantiate``.

    python nemo_files.py OUT -> prints {archive: payload ran} as JSON

OUT/pkg holds ``nemo/collections/lookalike.py`` (``from os import mknod as Mknod``): a target
whose NAME looks like a class of an allowed family but resolves to ``posix.mknod`` (it needs
that code installed: not a file-only attack, but the case for judging what a name resolves to).
"""

import json
import os
import sys
import tarfile

MODEL = """\
encoder:
  _target_: torch.nn.Sequential
  _args_:
    - _target_: torch.nn.Linear
      in_features: 4
      out_features: 3
    - _target_: torch.nn.ReLU
decoder:
  _target_: torch.nn.Linear
  in_features: 3
  out_features: 2
"""


def _config(target, marker):
    return MODEL + f"preprocessor:\n  _target_: {target}\n  _args_: [{marker!r}]\n"


def _nemo(path, config):
    import io

    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("model_config.yaml", config.encode()), ("model_weights.ckpt", b"")):
            info = tarfile.TarInfo("./" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def restore(path):
    """What NeMo's restore_from does with the archive's config: instantiate each module."""
    import hydra.utils
    from omegaconf import OmegaConf

    with tarfile.open(path, "r:*") as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("model_config.yaml"))
        cfg = OmegaConf.create(tar.extractfile(member).read().decode())
    return {key: hydra.utils.instantiate(cfg[key]) for key in cfg}


def build(out):
    pkg = os.path.join(out, "pkg", "nemo", "collections")
    os.makedirs(pkg)
    for folder in (os.path.dirname(pkg), pkg):
        open(os.path.join(folder, "__init__.py"), "w").close()  # noqa: SIM115
    with open(os.path.join(pkg, "lookalike.py"), "w") as fh:
        fh.write("from os import mknod as Mknod  # noqa: F401\n")
    sys.path.insert(0, os.path.join(out, "pkg"))
    marker = os.path.join(out, "nemo.marker")
    ran = {}
    targets = (("mknod.nemo", "os.mknod"), ("lookalike.nemo", "nemo.collections.lookalike.Mknod"))
    for name, target in targets:
        path = os.path.join(out, name)
        _nemo(path, _config(target, marker))
        restore(path)
        ran[name] = os.path.exists(marker)
        os.remove(marker)
    _nemo(os.path.join(out, "benign.nemo"), MODEL)
    with open(os.path.join(out, "hydra_mknod.yaml"), "w") as fh:
        fh.write(_config("os.mknod", marker))
    return ran


if __name__ == "__main__":
    print(json.dumps(build(sys.argv[1])))
