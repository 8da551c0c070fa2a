"""The PATH of a shell that reads start-up files (red team 86 F6): a login shell (``bash -l``,
``--login``, ``sh -l``, an argv[0] starting with ``-``, ``su -``, ``sudo -i``), an
interactive one (``-i``) and every zsh (``.zshenv``, even for ``zsh -c``) run profile and
rc files before their commands, and those set PATH anew: Debian's /etc/profile replaces it
with the system's folders, and its /etc/skel/.profile (in every home useradd makes) puts
``$HOME/bin`` and ``$HOME/.local/bin`` (pip's ``--user`` scripts) in front when they exist.
So ``bash -lc 'tar czf o.tgz a.txt'`` ran a new ``~/.local/bin/gzip`` that the start's PATH
does not hold, unread.

Warden does not run those files. It reads such a shell's commands with the folders they may
add in front of the start's PATH (``search``): the home's ``.local/bin`` and ``bin`` (whether
they exist now or not: a line may make them first), and the system folders /etc/profile sets
after it, so every program file written there since the kernel started is read, and a writer
on the line into them is refused, as for any PATH (``commands._refuse_path_programs``,
``_refuse_path_written``). What it cannot tell is refused (``changed_file``): a start-up
file written since the kernel started may set any PATH or run anything. Still open: an
OLDER start-up file of the user's that adds another folder (``~/.cargo/bin``, conda's
``condabin``): read as the open class of the user's older files (see the threat model).
Only ``os`` at import."""

import os

# the shells that read start-up files at EVERY start, -c too (zsh: /etc/zsh/zshenv, .zshenv)
ALWAYS = frozenset(("zsh",))
# Debian's /etc/skel/.profile: `PATH="$HOME/bin:$PATH"`, then `PATH="$HOME/.local/bin:$PATH"`
HOME_FOLDERS = (".local/bin", "bin")
# Debian's /etc/profile: root's PATH, then any other user's (set anew, whatever it was)
SYSTEM_FOLDERS = (
    "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
    "/usr/local/games", "/usr/games",
)  # fmt: skip
# the start-up files bash, dash, ksh/mksh and zsh may read, in the home (or ZDOTDIR)...
HOME_FILES = (
    ".profile", ".bash_profile", ".bash_login", ".bashrc", ".bash_aliases", ".kshrc",
    ".mkshrc", ".zshenv", ".zprofile", ".zshrc", ".zlogin",
)  # fmt: skip
# ... and the machine's (each also sources /etc/profile.d/*.sh: listed at each reading)
SYSTEM_FILES = (
    "/etc/profile", "/etc/bash.bashrc", "/etc/environment", "/etc/mkshrc", "/etc/zsh/zshenv",
    "/etc/zsh/zprofile", "/etc/zsh/zshrc", "/etc/zsh/zlogin", "/etc/zshenv", "/etc/zprofile",
    "/etc/zshrc", "/etc/zlogin",
)  # fmt: skip
PROFILE_D = "/etc/profile.d"


def startup_kind(shell: str, argv0: str, words: list, login: bool, interactive: bool) -> str:
    """Which start-up files the shell ``shell`` (its name), started as ``argv0`` with
    ``words``, reads before its commands: "login" (its ``-l`` on, bash's ``--login``, also
    ``-login``, among its long options before any short one; an argv[0] starting with ``-``,
    the login convention: ``exec -l``) whose profile sets PATH anew (Debian's /etc/profile);
    "rc" (``-i``, and every zsh: .zshenv) whose files add to the PATH it was given; ''
    none."""
    if login or os.path.basename(argv0).startswith("-"):
        return "login"
    from .shell_options import BASH_LONG, BASH_LONG_VALUED  # loaded with commands already

    i = 0
    while i < len(words) and words[i].startswith("-"):
        name = words[i].lstrip("-")
        if name == "login":
            return "login"
        if name not in BASH_LONG and name not in BASH_LONG_VALUED:
            break  # the short options begin: long ones come first
        i += 2 if name in BASH_LONG_VALUED else 1
    return "rc" if interactive or shell in ALWAYS else ""


def search(homes: list, given: str) -> str:
    """The PATH a shell reading start-up files is read with: the homes' folders, then the
    start's PATH ``given`` ('' for a login shell, whose profile sets PATH anew: its folders
    were read at the start that runs the shell), then the system's /etc/profile sets (each
    once)."""
    folders = [os.path.join(home, f) for home in homes for f in HOME_FOLDERS]
    folders += given.split(os.pathsep) if given else []  # unset: not the current folder
    return os.pathsep.join(dict.fromkeys(folders + list(SYSTEM_FOLDERS)))


def startup_files(home: str, zdotdir: str) -> list:
    """Every start-up file such a shell may read, the machine's and the home's (and
    ZDOTDIR's, zsh's home for its files)."""
    homes = [home] + ([zdotdir] if zdotdir and zdotdir != home else [])
    files = list(SYSTEM_FILES) + [os.path.join(h, f) for h in homes for f in HOME_FILES]
    try:
        files += sorted(os.path.join(PROFILE_D, n) for n in os.listdir(PROFILE_D))
    except OSError:
        pass
    return files


def changed_file(home: str, zdotdir: str) -> str:
    """The first start-up file such a shell may read that was written since the kernel
    started ('' none): Warden does not read it, so it cannot tell the PATH the shell's
    commands get, nor what else it runs."""
    from .kernel_age import changed_since_start

    for path in startup_files(home, zdotdir):
        if os.path.lexists(path) and changed_since_start(path):
            return path
    return ""
