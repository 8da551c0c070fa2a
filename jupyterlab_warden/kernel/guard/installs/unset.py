"""A variable a start does not have, as the reading's environment holds it.

``env -i`` and bash's ``exec -c`` start a program with none of the variables it would
inherit (``commands._empty_environment``). The reading's environment is a dict that lays
its values over the kernel's, so an unset name cannot simply be left out; it holds an
``Unset``: its text is what a reader that takes the value reads ('' for most, ``os.defpath``
for PATH, where ``execvp`` looks), and a reader whose program acts on "unset" itself tells it
by its type: a shell searches its own default PATH (red team 49a R49a-2), a program finds
``~`` in the password database, not in an empty HOME (R49a, LOW).
"""

from typing import Mapping


class Unset(str):
    """The text a reader takes for a variable the start does not have."""


def is_unset(env: Mapping[str, str], name: str) -> bool:
    """Whether ``env`` holds ``name`` as unset by ``env -i``/``exec -c`` (a name absent from
    ``env`` is the kernel's, which the caller reads on its own)."""
    return isinstance(env.get(name), Unset)


def held(env: Mapping[str, str], name: str) -> bool:
    """Whether the start has ``name`` set (to any text, '' too): in ``env`` and not unset."""
    return name in env and not is_unset(env, name)
