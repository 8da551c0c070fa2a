"""Package names: PEP 503 normalization and names that imitate popular packages.

The popular names are the shipped download ranking (``kernel/deps/top-packages.txt``, source
named in its header). A name is an imitation when it is NOT itself on that list and it is one
edit (insert, delete, substitute, swap of neighbours) from (as written, or with separators
removed and look-alikes folded), or spelled with look-alike
characters as, one of the most popular ``TARGETS`` names, or when it is such a name with
extra words (``AFFIXES``: ``torch-gpu``, ``python-requests``, ``torchgpu``; the
"combosquat", red team 41b R41b-4). Names on the list are never flagged, so
``torchvision``, ``tokenizers`` or ``onnxruntime-gpu`` pass while ``torcj`` does not.
"""

import os
import re
from typing import FrozenSet, List, Optional

TARGETS = 3000  # the most downloaded names worth imitating; the rest only exempt their own name
MIN_LENGTH = 4  # below this nearly every edit is another real package: only look-alikes count
_SEPARATORS = re.compile(r"[-_.]+")
# ``cl`` -> ``d`` was measured too and left out: it flagged 19 more listed names (``pick``)
_CONFUSABLES = (
    ("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("5", "s"),
    ("3", "e"), ("4", "a"), ("7", "t"), ("8", "b"),
)  # fmt: skip
# Words an imitation adds to a popular name (``torch-gpu``, ``python-requests``): as words
# between separators; the device words also glued on at the end (``torchgpu``). Measured over
# the shipped list (each name as if unlisted): 46 of its 14985 names (0.3%, e.g.
# ``onnxruntime-gpu``, ``jupyter-client``) flagged by this rule and by no other; a real
# package off the list with such a name needs dependencies.allow_packages.
AFFIXES = frozenset(
    ("gpu", "cpu", "cuda", "cu", "py", "python", "lib", "sdk", "api", "client", "util",
     "utils", "tool", "tools", "dev", "nightly")
)  # fmt: skip
GLUED_AFFIXES = ("gpu", "cpu", "cuda")
_DIGITS = "0123456789"


def normalize(name: str) -> str:
    """PEP 503 normalized form: lowercase, runs of ``-_.`` become one ``-``."""
    return _SEPARATORS.sub("-", name).lower()


def skeleton(name: str) -> str:
    """What a name looks like to a reader: no separators, look-alike characters folded."""
    text = _SEPARATORS.sub("", name.lower())
    for seen, meant in _CONFUSABLES:
        text = text.replace(seen, meant)
    return text


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (one insert, delete, substitution or swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


class PopularNames:
    """The shipped ranking: ``known`` (every listed name) and ``targets`` (the top ones)."""

    def __init__(self, ranked: List[str]):
        self.ranked = ranked
        self.known: FrozenSet[str] = frozenset(ranked)
        self.targets = ranked[:TARGETS]
        self._skeletons = {}
        for target in self.targets:
            self._skeletons.setdefault(skeleton(target), target)
        self._target_shapes = [(t, skeleton(t)) for t in self.targets if len(t) >= MIN_LENGTH]

    @classmethod
    def load(cls, path: str) -> "PopularNames":
        with open(path, encoding="utf-8") as fh:
            names = [line.strip() for line in fh if line.strip() and not line.startswith("#")]
        if not names:
            raise ValueError(f"{path} lists no package names")
        return cls([normalize(n) for n in names])

    def imitated(self, name: str) -> Optional[str]:
        """The popular package ``name`` imitates, or None."""
        name = normalize(name)
        if name in self.known:
            return None
        look_alike = self._skeletons.get(skeleton(name))
        if look_alike is not None:
            return look_alike
        affixed = self._affixed(name)
        if affixed is not None:
            return affixed
        if len(name) < MIN_LENGTH:
            return None
        # one edit on the name as written, and on its skeleton: separators are free to add
        # (``torc_j`` is ``torcj`` to a reader, two edits from ``torch`` only as written)
        shape = skeleton(name)
        for target, target_shape in self._target_shapes:
            if edit_distance_at_most_one(name, target):
                return target
            if edit_distance_at_most_one(shape, target_shape):
                return target
        return None

    def _affixed(self, name: str) -> Optional[str]:
        """The target ``name`` is once its extra words (``AFFIXES``, with any version digits:
        ``cuda12``, ``py3``) are removed, if the rest (at least ``MIN_LENGTH`` characters)
        looks like one (``torch-gpu``, ``t0rch-cuda12``, ``torchgpu``)."""
        words = name.split("-")
        rest = [w for w in words if w.rstrip(_DIGITS) not in AFFIXES]
        candidates = ["-".join(rest)] if rest and len(rest) < len(words) else []
        glued = name.rstrip(_DIGITS)
        candidates += [glued[: -len(a)] for a in GLUED_AFFIXES if glued.endswith(a)]
        for candidate in candidates:
            shape = skeleton(candidate)
            if len(shape) >= MIN_LENGTH and shape in self._skeletons:
                return self._skeletons[shape]
        return None


def data_path(filename: str) -> str:
    """A file shipped in ``jupyterlab_warden/kernel/deps/``."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(os.path.dirname(here)), "deps", filename)
