"""A user's project helper module, as notebooks' projects often have: it imports a function from
subprocess for its own use. A pickle can name that function through this module."""

from subprocess import getoutput


def describe_run(cmd):
    return f"{cmd}: {getoutput('true')}"
