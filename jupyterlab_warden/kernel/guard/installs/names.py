"""Package names: PEP 503 normalization and names that imitate popular packages.

The popular names are the shipped download ranking (``kernel/deps/top-packages.txt``, source
named in its header). A name is an imitation when it is NOT itself on that list and it is one
edit (insert, delete, substitute, swap of neighbours) from (as written, or with separators
removed and look-alikes folded), or spelled with look-alike
characters as, one of the most popular names (``targets``), or when it is such a name with
extra words (``affixes``: ``torch-gpu``, ``python-requests``, ``torchgpu``; the
"combosquat", red team 41b R41b-4). Names on the list are never flagged, so
``torchvision``, ``tokenizers`` or ``onnxruntime-gpu`` pass while ``torcj`` does not.
The rule's tables are data, ``kernel/deps/imitation-rules.json`` (``ImitationRules``), the one
copy warden-scan (``src/deps/names.ts``) reads too.
"""

import re
from typing import FrozenSet, List, Optional, Tuple

from .shipped_data import data_path  # fixed at the guard's boot (red team 43b R43b-3)

_SEPARATORS = re.compile(r"[-_.]+")
_DIGITS = "0123456789"
RULES_FILE = "imitation-rules.json"
_TABLES = frozenset(("targets", "min_length", "confusables", "affixes", "glued_affixes"))
_WORD = re.compile(r"[a-z0-9]+")  # what a normalized name's words are made of


def normalize(name: str) -> str:
    """PEP 503 normalized form: lowercase, runs of ``-_.`` become one ``-``."""
    return _SEPARATORS.sub("-", name).lower()


class ImitationRules:
    """The tables of ``kernel/deps/imitation-rules.json`` (its README entry says what each is
    for and how its false alarms were measured): ``targets``, how many of the most downloaded
    names are worth imitating (the rest only exempt their own name); ``min_length``, below
    which nearly every edit is another real package (only look-alikes count); ``confusables``,
    look-alike spellings folded in order; ``affixes``, words an imitation adds between
    separators; ``glued_affixes``, those also glued on at the end.

    A file not of exactly this shape raises ValueError naming the table (never its values):
    the check cannot run, so every install is refused (``data.DepsData``), as when the ranking
    is missing. The TypeScript port (``src/deps/names.ts``) refuses the same files
    (schema/vectors/imitation-rules.json)."""

    def __init__(self, table: object):
        if type(table) is not dict:
            raise ValueError(f"{RULES_FILE} is not an object")
        if set(table) - {"about"} != _TABLES:  # a table this reader does not know: a newer rule
            raise ValueError(f"{RULES_FILE} does not hold exactly the tables {sorted(_TABLES)}")
        if "about" in table and type(table["about"]) is not str:
            raise ValueError(f"{RULES_FILE}: about is not text")
        self.targets = _count(table, "targets")
        self.min_length = _count(table, "min_length")
        pairs = table["confusables"]
        if type(pairs) is not list or not pairs or not all(_pair(p) for p in pairs):
            raise ValueError(f"{RULES_FILE}: confusables is not a list of [seen, meant] words")
        self.confusables: Tuple[Tuple[str, str], ...] = tuple((p[0], p[1]) for p in pairs)
        self.affixes: FrozenSet[str] = frozenset(_words(table, "affixes"))
        self.glued_affixes: Tuple[str, ...] = _words(table, "glued_affixes")

    @classmethod
    def load(cls, path: Optional[str] = None) -> "ImitationRules":
        """The rules in ``path`` (the shipped file when None), read as the advisory snapshot is;
        OSError or ValueError when they cannot be read."""
        import json  # here, not at import: ``normalize``'s many importers read no JSON

        with open(path or data_path(RULES_FILE), encoding="utf-8") as fh:
            try:
                table = json.load(fh)
            except RecursionError:  # nested too deep for the parser: not the rules either
                raise ValueError(f"{RULES_FILE} is nested too deeply") from None
        return cls(table)

    def skeleton(self, name: str) -> str:
        """What a name looks like to a reader: no separators, look-alike characters folded."""
        text = _SEPARATORS.sub("", name.lower())
        for seen, meant in self.confusables:
            text = text.replace(seen, meant)
        return text


def _count(table: dict, key: str) -> int:
    """A positive whole number (``3000.0`` too: JSON does not tell it from ``3000``, nor does
    the TypeScript reader)."""
    value = table[key]
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is not int or value < 1:
        raise ValueError(f"{RULES_FILE}: {key} is not a positive whole number")
    return value


def _word(value: object) -> bool:
    return type(value) is str and _WORD.fullmatch(value) is not None


def _pair(value: object) -> bool:
    return type(value) is list and len(value) == 2 and _word(value[0]) and _word(value[1])


def _words(table: dict, key: str) -> Tuple[str, ...]:
    """A list of lowercase words, not empty (an empty table would switch its part off)."""
    value = table[key]
    if type(value) is not list or not value or not all(_word(w) for w in value):
        raise ValueError(f"{RULES_FILE}: {key} is not a list of lowercase words")
    return tuple(value)


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


def read_ranking(path: str) -> List[str]:
    """The names of a ranking file (one a line, ``#`` comments), normalized, in order."""
    with open(path, encoding="utf-8") as fh:
        names = [line.strip() for line in fh if line.strip() and not line.startswith("#")]
    if not names:
        raise ValueError(f"{path} lists no package names")
    return [normalize(n) for n in names]


class PopularNames:
    """The shipped ranking under the rules: ``known`` (every listed name) and ``targets`` (the
    top ones)."""

    def __init__(self, ranked: List[str], rules: ImitationRules):
        self.ranked = ranked
        self.rules = rules
        self.known: FrozenSet[str] = frozenset(ranked)
        self.targets = ranked[: rules.targets]
        skeleton = rules.skeleton
        self._skeletons = {}
        for target in self.targets:
            self._skeletons.setdefault(skeleton(target), target)
        self._target_shapes = [(t, skeleton(t)) for t in self.targets if len(t) >= rules.min_length]

    @classmethod
    def load(cls, path: str, rules: Optional[ImitationRules] = None) -> "PopularNames":
        """The ranking in ``path`` under ``rules`` (the shipped ones when None)."""
        return cls(read_ranking(path), rules or ImitationRules.load())

    def imitated(self, name: str) -> Optional[str]:
        """The popular package ``name`` imitates, or None."""
        name = normalize(name)
        if name in self.known:
            return None
        skeleton = self.rules.skeleton
        look_alike = self._skeletons.get(skeleton(name))
        if look_alike is not None:
            return look_alike
        affixed = self._affixed(name)
        if affixed is not None:
            return affixed
        if len(name) < self.rules.min_length:
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
        """The target ``name`` is once its extra words (``affixes``, with any version digits:
        ``cuda12``, ``py3``) are removed, if the rest (at least ``min_length`` characters)
        looks like one (``torch-gpu``, ``t0rch-cuda12``, ``torchgpu``)."""
        rules = self.rules
        words = name.split("-")
        rest = [w for w in words if w.rstrip(_DIGITS) not in rules.affixes]
        candidates = ["-".join(rest)] if rest and len(rest) < len(words) else []
        glued = name.rstrip(_DIGITS)
        candidates += [glued[: -len(a)] for a in rules.glued_affixes if glued.endswith(a)]
        for candidate in candidates:
            shape = rules.skeleton(candidate)
            if len(shape) >= rules.min_length and shape in self._skeletons:
                return self._skeletons[shape]
        return None
