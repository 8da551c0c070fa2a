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
# the start-up files bash, dash, ksh/mksh and zsh may read, in the home (or ZDOTDIR), as
# bash(1) and zsh(1) list them under INVOCATION / STARTUP/SHUTDOWN FILES: the logout files
# too, which a login shell runs as it ends, at its `exit` (red team 88 F4: Debian's /etc/skel
# puts a .bash_logout in every home; `bash -lc 'echo hi; exit'` ran what a cell appended);
# bash-completion's user files, which an interactive bash sources through ~/.bashrc or
# /etc/profile.d/bash_completion.sh where it is installed (.config is XDG_CONFIG_HOME's default)
HOME_FILES = (
    ".profile", ".bash_profile", ".bash_login", ".bashrc", ".bash_aliases", ".bash_logout",
    ".bash_completion", ".config/bash_completion", ".kshrc", ".mkshrc", ".zshenv",
    ".zprofile", ".zshrc", ".zlogin", ".zlogout",
)  # fmt: skip
# ... and the machine's (each also sources /etc/profile.d/*.sh: listed at each reading);
# /etc/bash.bash_logout is Debian's SYS_BASH_LOGOUT, the zlogout files zsh's at logout
SYSTEM_FILES = (
    "/etc/profile", "/etc/bash.bashrc", "/etc/bash.bash_logout", "/etc/environment",
    "/etc/mkshrc", "/etc/zsh/zshenv", "/etc/zsh/zprofile", "/etc/zsh/zshrc", "/etc/zsh/zlogin",
    "/etc/zsh/zlogout", "/etc/zshenv", "/etc/zprofile", "/etc/zshrc", "/etc/zlogin",
    "/etc/zlogout", "/etc/bash_completion", "/usr/share/bash-completion/bash_completion",
)  # fmt: skip
# folders whose every file is sourced: /etc/profile's profile.d, bash-completion's compat folder
PROFILE_D = "/etc/profile.d"
SOURCED_FOLDERS = (PROFILE_D, "/etc/bash_completion.d")


def startup_kind(shell: str, argv0: str, words: list, login: bool, interactive: bool) -> str:
    """Which start-up files the shell ``shell`` (its name), started as ``argv0`` with
    ``words``, reads before its commands: "login" (its ``-l`` on, bash's ``--login``, also
    ``-login``, among its long options before any short one; an argv[0] starting with ``-``,
    the login convention: ``exec -l``) whose profile sets PATH anew (Debian's /etc/profile);
    "rc" (``-i``, and every zsh: .zshenv) whose files add to the PATH it was given; ''
    none."""
    if login or login_argv0(argv0):
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


def login_argv0(argv0: str) -> bool:
    """Whether a shell started with ``argv0`` is a login shell by the convention login(1) and
    bash's ``exec -l`` use: bash and dash test argv[0]'s first character (``-/bin/bash`` is
    one too); its base name too (``/x/-bash``: not one to bash, read as one, the safer)."""
    return argv0.startswith("-") or os.path.basename(argv0).startswith("-")


def search(homes: list, given: str) -> str:
    """The PATH a shell reading start-up files is read with: the homes' folders, then the
    start's PATH ``given`` ('' for a login shell, whose profile sets PATH anew: its folders
    were read at the start that runs the shell), then the system's /etc/profile sets (each
    once)."""
    folders = [os.path.join(home, f) for home in homes for f in HOME_FOLDERS]
    folders += given.split(os.pathsep) if given else []  # unset: not the current folder
    return os.pathsep.join(dict.fromkeys(folders + list(SYSTEM_FOLDERS)))


def startup_files(home: str, zdotdir: str, named: tuple = ()) -> list:
    """Every start-up file such a shell may read, the machine's and the home's (and
    ZDOTDIR's, zsh's home for its files), and ``named``: those the start's environment names
    (bash-completion's BASH_COMPLETION_USER_FILE, XDG_CONFIG_HOME's ``bash_completion``)."""
    homes = [home] + ([zdotdir] if zdotdir and zdotdir != home else [])
    files = list(SYSTEM_FILES) + [os.path.join(h, f) for h in homes for f in HOME_FILES]
    files += list(named)
    for folder in SOURCED_FOLDERS:
        try:
            files += sorted(os.path.join(folder, n) for n in os.listdir(folder))
        except OSError:
            pass
    return files


def named_files(env: dict) -> tuple:
    """The start-up files the start's environment ``env`` names (``startup_files``): the
    values as given, placed by the caller (a relative one is refused there)."""
    files = []
    if env.get("BASH_COMPLETION_USER_FILE"):
        files.append(env["BASH_COMPLETION_USER_FILE"])
    if env.get("XDG_CONFIG_HOME"):
        files.append(os.path.join(env["XDG_CONFIG_HOME"], "bash_completion"))
    return tuple(files)


def changed_file(home: str, zdotdir: str, named: tuple = ()) -> str:
    """The first start-up file such a shell may read that was written since the kernel
    started ('' none): Warden does not read it, so it cannot tell the PATH the shell's
    commands get, nor what else it runs."""
    from .kernel_age import changed_since_start

    for path in startup_files(home, zdotdir, named):
        if os.path.lexists(path) and changed_since_start(path):
            return path
    return ""
