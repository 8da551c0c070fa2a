"""The machine's own folders, as the guard's readings of programs and places name them.

Defined once here, with no import, so that both the line reading (``commands``, heavy) and the
PATH listing (``path_programs``, loaded with the guard at every Python's start) take them from
one place."""

# Folders of a PATH that are the system's: a writer Warden cannot place is not taken to write
# there (the kernel's user writing /usr/bin is the machine's own business, not a cell's line),
# each with everything under it; /usr/local/ excepted, and any folder root does not own
# (``commands._user_folder``: docker-stacks' /opt/conda is the notebook user's, red team 23
# R23-4)
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/snap", "/etc")
# where a root-owned program file or standard library is the machine's
# (``commands._machine_program``, ``startup_modules._machine_stdlib``,
# ``path_programs._machine_folder``): the system folders and /usr/local (root's npm from
# Node's tarball, red team 28b R28b-4)
MACHINE = SYSTEM + ("/usr/local",)
# The system's standard folders, whose own ctime changes with every package a manager installs
# there (apt's /usr/bin, pip's /usr/local/bin): ``commands._settled_place`` and
# ``path_programs._machine_folder`` stop at them.
STANDARD = frozenset(
    (
        "/", "/usr", "/usr/local", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64",
        "/usr/libexec", "/usr/share", "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib",
        "/usr/local/share", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/opt", "/snap",
    )
)  # fmt: skip
