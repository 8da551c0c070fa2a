"""Malicious pickles made the way attackers make them. Each one, if it runs, creates ``marker``.

Every builder returns bytes (or writes a file) and never loads anything itself.
"""

import os
import pickle
import struct
import subprocess


class _Reduce:
    """An object whose unpickling calls ``func(*args)``."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _touch_cmd(marker):
    return f"touch {marker}"


def os_system(marker, protocol=4):
    return pickle.dumps(_Reduce(os.system, (_touch_cmd(marker),)), protocol=protocol)


def builtins_exec(marker, protocol=4):
    return pickle.dumps(_Reduce(exec, (f"open({str(marker)!r}, 'w').close()",)), protocol=protocol)


def subprocess_call(marker, protocol=4):
    return pickle.dumps(_Reduce(subprocess.call, (["touch", str(marker)],)), protocol=protocol)


def runpy_run_path(marker, script_dir, protocol=4):
    import runpy

    script = os.path.join(str(script_dir), "payload_script.py")
    with open(script, "w") as fh:
        fh.write(f"open({str(marker)!r}, 'w').close()\n")
    return pickle.dumps(_Reduce(runpy.run_path, (script,)), protocol=protocol)


def nested_loads(marker):
    inner = os_system(marker)
    return pickle.dumps(_Reduce(pickle.loads, (inner,)), protocol=4)


def _op_unicode(s):
    raw = s.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def stack_global_memo(marker):
    """Protocol 4: 'posix' and 'system' memoised, the memo slot overwritten, then fetched."""
    cmd = _touch_cmd(marker).encode()
    return (
        b"\x80\x04"
        + _op_unicode("collections")
        + b"\x94"  # memo 0 = 'collections' (decoy)
        + b"0"  # POP
        + _op_unicode("posix")
        + b"q\x00"  # BINPUT 0: overwrite memo 0 with 'posix'
        + b"0"
        + _op_unicode("system")
        + b"\x94"  # memo 1 = 'system'
        + b"0"
        + b"h\x00"
        + b"h\x01"  # BINGET 0, BINGET 1
        + b"\x93"  # STACK_GLOBAL -> posix.system
        + b"X"
        + struct.pack("<I", len(cmd))
        + cmd
        + b"\x85R."  # TUPLE1 REDUCE STOP
    )


def stack_global_computed(marker):
    """The module name is computed at load time: builtins.str('posix') then STACK_GLOBAL."""
    cmd = _touch_cmd(marker).encode()
    return (
        b"\x80\x04"
        + _op_unicode("builtins")
        + _op_unicode("str")
        + b"\x93"
        + _op_unicode("posix")
        + b"\x85R"  # str('posix') - not a constant any more
        + _op_unicode("system")
        + b"\x93"
        + b"X"
        + struct.pack("<I", len(cmd))
        + cmd
        + b"\x85R."
    )


def protocol0_text(marker):
    return b"cos\nsystem\n(S'%s'\ntR." % _touch_cmd(marker).encode()


def dup_trick(marker):
    """DUP of a pushed name: 'posix' duplicated, the copy used."""
    cmd = _touch_cmd(marker).encode()
    return (
        b"\x80\x04"
        + _op_unicode("posix")
        + b"2"
        + b"0"  # DUP, POP
        + _op_unicode("system")
        + b"\x93"
        + b"X"
        + struct.pack("<I", len(cmd))
        + cmd
        + b"\x85R."
    )


def reexport(marker, name="run_command"):
    """A module re-exporting os.system under another name (scanner bypass): the pickle names
    only ``warden_testpkg.gadget.run_command`` (or ``run_assigned``)."""
    cmd = _touch_cmd(marker).encode()
    return (
        b"\x80\x04"
        + _op_unicode("warden_testpkg.gadget")
        + _op_unicode(name)
        + b"\x93"
        + b"X"
        + struct.pack("<I", len(cmd))
        + cmd
        + b"\x85R."
    )


def main_reexport(marker):
    """Protocol 4 dotted name through __main__'s imported os module: __main__ . os.system."""
    cmd = _touch_cmd(marker).encode()
    return (
        b"\x80\x04"
        + _op_unicode("warden_testpkg")
        + _op_unicode("payloads.os.system")
        + b"\x93"
        + b"X"
        + struct.pack("<I", len(cmd))
        + cmd
        + b"\x85R."
    )


def torch_zip(marker, path):
    import torch

    torch.save(
        {"weights": torch.zeros(2), "hook": _Reduce(os.system, (_touch_cmd(marker),))}, str(path)
    )


def torch_legacy(marker, path):
    import torch

    torch.save(
        {"weights": torch.zeros(2), "hook": _Reduce(os.system, (_touch_cmd(marker),))},
        str(path),
        _use_new_zipfile_serialization=False,
    )


def npy_object_array(marker, path):
    import numpy as np

    arr = np.empty(2, dtype=object)
    arr[0] = _Reduce(os.system, (_touch_cmd(marker),))
    arr[1] = 1
    np.save(str(path), arr, allow_pickle=True)


def all_bytes_payloads(marker, script_dir):
    """name -> pickle bytes, for table-driven tests."""
    return {
        "os.system p0": os_system(marker, 0),
        "os.system p2": os_system(marker, 2),
        "os.system p5": os_system(marker, 5),
        "builtins.exec": builtins_exec(marker),
        "subprocess.call": subprocess_call(marker),
        "runpy.run_path": runpy_run_path(marker, script_dir),
        "nested pickle.loads": nested_loads(marker),
        "stack_global memo": stack_global_memo(marker),
        "stack_global computed": stack_global_computed(marker),
        "protocol 0 text": protocol0_text(marker),
        "dup trick": dup_trick(marker),
        "re-exported os.system": reexport(marker),
        "dotted path through a module": main_reexport(marker),
    }


def save_to(data, path):
    with open(str(path), "wb") as fh:
        fh.write(data)
    return str(path)
