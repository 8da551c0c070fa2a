"""Imported inside a kernel by test_launch_guard.py: load a malicious pickle file in each kind
of child Python a kernel can start. Each returns what happened (an exception name or
"loaded"); the payload writes a marker file if it runs."""

import multiprocessing as mp
import os
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor


def load(path):
    try:
        with open(path, "rb") as fh:
            pickle.load(fh)
        return "loaded"
    except Exception as err:
        return type(err).__name__


def in_subprocess(path, env=None):
    code = (
        "import pickle, sys\n"
        "try:\n"
        f"    pickle.load(open({path!r}, 'rb')); print('loaded')\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return out.stdout.strip() or out.stderr[-500:]


def without_warden_env():
    """The kernel's environment minus what Warden added: the control that proves a payload."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.pop("PYTHONPATH", None)
    return env


def in_pool(method, path):
    with mp.get_context(method).Pool(1) as pool:
        return pool.apply(load, (path,))


def _name_of_failure(run):
    try:
        return run()
    except Exception as err:
        return type(err).__name__


def in_executor_spawn(path):
    def run():
        with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as executor:
            return executor.submit(load, path).result()

    return _name_of_failure(run)


def in_loky(path):
    """joblib.Parallel's default backend: loky workers, started with their own __main__."""
    from joblib import Parallel, delayed

    return _name_of_failure(lambda: Parallel(n_jobs=2)(delayed(load)(path) for _ in range(2))[0])


def in_dataloader_spawn(path):
    import torch.utils.data

    loader = torch.utils.data.DataLoader(
        PickleFiles([path]),
        batch_size=None,
        num_workers=2,
        multiprocessing_context="spawn",
        timeout=120,
    )
    return _name_of_failure(lambda: [item for item in loader][0])


class PickleFiles:
    """A map-style dataset whose items are loads of pickle files (in the worker)."""

    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        return load(self.paths[index])


def square(x):
    return x * x


class Numbers:
    """A map-style dataset of plain ints."""

    def __len__(self):
        return 3

    def __getitem__(self, index):
        return index


def benign_in_spawn_workers():
    import torch.utils.data

    spawn = mp.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn) as executor:
        squares = list(executor.map(square, [1, 2, 3]))
    loader = torch.utils.data.DataLoader(
        Numbers(), batch_size=None, num_workers=2, multiprocessing_context="spawn", timeout=120
    )
    items = sorted(int(x) for x in loader)
    with spawn.Pool(1) as pool:
        total = pool.apply(sum, ([1, 2, 3],))
    from joblib import Parallel, delayed

    loky = Parallel(n_jobs=2)(delayed(square)(x) for x in [1, 2, 3])
    return {"executor": squares, "dataloader": items, "pool": total, "loky": loky}
