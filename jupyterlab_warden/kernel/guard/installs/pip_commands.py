"""Which pip command installs, told by what the command IS, not by the name it carries.

pip's in-process decision (``gate.pip_parse_args_wrapper``) runs for the commands that install
(``install``, ``download``, ``wheel``, ``lock``). A command's ``name`` is an attribute its
caller chooses (red team 45b R45b-2: ``InstallCommand("inst", "x").main([...])``, or
``create_command("install")`` with ``.name`` reassigned, installed with no decision), so the
command is told by its class: one of pip's installing command classes, or any subclass of
pip's ``RequirementCommand`` (the base every installing command shares), by identity with the
class pip's module holds or by the module and name it was defined with. The name still counts
too. A command whose class is none of pip's registry (``pip._internal.commands.
commands_dict``) and no installing one cannot be told: decided as an install (fail closed).

Nothing here imports pip: the classes are read off the command's own type when pip runs it.
Only ``sys`` at import: every guarded Python imports this as its guard installs, before its
own code, and a module imported then (``typing``) would be the standard library's copy where
the process's own search path would have found another (``pip_process``'s rule).
"""

import sys

# the pip commands that install (the reading of a command line, arguments.pip_request, too)
PIP_INSTALLING = ("install", "download", "wheel", "lock")
# pip's installing command classes, by (module, class name) as pip defines them
_INSTALLING_CLASSES = {
    ("pip._internal.commands.install", "InstallCommand"): "install",
    ("pip._internal.commands.download", "DownloadCommand"): "download",
    ("pip._internal.commands.wheel", "WheelCommand"): "wheel",
    ("pip._internal.commands.lock", "LockCommand"): "lock",
}
_REQUIREMENT_COMMAND = ("pip._internal.cli.req_command", "RequirementCommand")


def installing(command):
    """The installing command ``command`` is (``PIP_INSTALLING``'s word, which the decision
    reads it as), or None when it is one of pip's commands that install nothing (``list``,
    ``show``, ``config``...)."""
    name = getattr(command, "name", None)
    named = name if isinstance(name, str) and name in PIP_INSTALLING else None
    try:
        classes = type(command).__mro__
    except Exception:  # noqa: BLE001 - a type Warden cannot read: decided as an install
        return named or "install"
    for cls in classes:
        kind = _known(cls, _INSTALLING_CLASSES)
        if kind:
            return kind
    if any(_known(cls, {_REQUIREMENT_COMMAND: "install"}) for cls in classes):
        return named or "install"  # pip's requirement commands all install something
    if named:
        return named
    return None if _pip_own(type(command)) else "install"


def _known(cls, table: dict) -> str:
    """``table``'s word for ``cls`` ('' when none): the class its module holds under that name
    (a class renamed since), or a class defined with that module and name."""
    for (module, class_name), kind in table.items():
        held = getattr(sys.modules.get(module), class_name, None)
        if cls is held or (_attr(cls, "__module__"), _attr(cls, "__qualname__")) == (
            module,
            class_name,
        ):
            return kind
    return ""


def _pip_own(cls) -> bool:
    """Whether ``cls`` is one of the command classes pip's registry names (its non-installing
    commands: ``list``, ``show``, ``freeze``, ``config``...); False when the registry is not
    there to tell."""
    registry = getattr(sys.modules.get("pip._internal.commands"), "commands_dict", None)
    try:
        infos = list(registry.values())
    except Exception:  # noqa: BLE001 - no registry: cannot be told
        return False
    for info in infos:
        module, class_name = getattr(info, "module_path", None), getattr(info, "class_name", None)
        held = getattr(sys.modules.get(module or ""), class_name or "", None)
        if cls is held:
            return True
    return False


def _attr(cls, name: str):
    try:
        return getattr(cls, name, None)
    except Exception:  # noqa: BLE001 - a metaclass's property
        return None
