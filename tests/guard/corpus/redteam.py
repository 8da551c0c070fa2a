"""The red-team corpus: which payload goes into which file format, read by which loader.

``ENTRIES`` is static (test ids are known at collection); ``build(workdir)`` writes every file
and returns the manifest the runner and the scanner use.
"""

import os
from collections import namedtuple

import asm
import containers
import gadgets as g

Entry = namedtuple("Entry", "fid family gadget loader writer")

# writer name -> (file suffix, function(path, expr))
WRITERS = {
    "pickle": (".pkl", containers.write_pickle),
    "pickle-p2": (".pkl", lambda p, e: containers.write_bytes(p, asm.dumps(e, proto=2))),
    "big-pickle": (".pkl", containers.write_big_pickle),
    "p0-long-line": (".pkl", containers.write_long_first_line),
    "torch-zip": (".pt", containers.write_torch_zip),
    "torch-legacy": (".pt", containers.write_torch_legacy),
    "torch-legacy-tar": (".pt", containers.write_torch_legacy_tar),
    "torch-legacy-p0-then-payload": (".pt", containers.write_torch_legacy_p0_then_payload),
    "torch-legacy-p0-second": (".pt", containers.write_torch_legacy_p0_second),
    "npy": (".npy", containers.write_npy),
    "npz": (".npz", containers.write_npz),
    "joblib": (".joblib", lambda p, e: containers.write_joblib(p, e, None)),
    "joblib-zlib": (".joblib.z", lambda p, e: containers.write_joblib(p, e, "zlib")),
    "joblib-gzip": (".joblib.gz", lambda p, e: containers.write_joblib(p, e, "gzip")),
    "joblib-bz2": (".joblib.bz2", lambda p, e: containers.write_joblib(p, e, "bz2")),
    "joblib-lzma": (".joblib.lzma", lambda p, e: containers.write_joblib(p, e, "lzma")),
    "joblib-xz": (".joblib.xz", lambda p, e: containers.write_joblib(p, e, "xz")),
    "pandas": (".pkl", lambda p, e: containers.write_pandas(p, e, None)),
    "pandas-gzip": (".pkl.gz", lambda p, e: containers.write_pandas(p, e, "gzip")),
    "pandas-bz2": (".pkl.bz2", lambda p, e: containers.write_pandas(p, e, "bz2")),
    "pandas-xz": (".pkl.xz", lambda p, e: containers.write_pandas(p, e, "xz")),
    "pandas-zip": (".zip", lambda p, e: containers.write_pandas(p, e, "zip")),
    "pandas-tar": (".tar", lambda p, e: containers.write_pandas(p, e, "tar")),
    "pandas-zstd": (".pkl.zst", lambda p, e: containers.write_pandas(p, e, "zstd")),
    "shelve": ("", containers.write_shelve),
}


def _p0_resolve_system(fid, ctx):
    """Protocol 0 has no dotted names: pkgutil.resolve_name('os:system') via GLOBAL."""
    return asm.Call(asm.Call(asm.G("pkgutil", "resolve_name"), "os:system"), g.shell(fid))


def _p0_locate_system(fid, ctx):
    return asm.Call(asm.Call(asm.G("pydoc", "locate"), "os.system"), g.shell(fid))


def _fast_admitted_prefix_then_system(fid, ctx):
    """Fast path (big pickle.load/loads): globals the hook admits without a scan first (C
    classes safe in every role), then the payload: the hook must switch to the scan there."""
    prefix = [asm.Call(asm.G("datetime", "date"), 2020, 1, 1 + i) for i in range(20)]
    prefix += [
        asm.Call(asm.G("decimal", "Decimal"), "1.5"),
        asm.Call(asm.G("builtins", "complex"), 1, 2),
    ]
    return asm.Seq(*prefix, asm.Call(asm.G("posix", "system"), g.shell(fid)))


def _fast_zoneinfo_then_getattr_system(fid, ctx):
    """Fast path: the zoneinfo getattr shape (cleared only by the scan) first, then getattr in
    another shape reaching os.system: the scan's roles must not clear the second use."""
    zone = asm.Call(
        asm.Call(asm.G("builtins", "getattr"), asm.G("zoneinfo", "ZoneInfo"), "_unpickle"), "UTC", 1
    )
    os_module = asm.Call(asm.G("builtins", "__import__"), "os")
    system = asm.Call(asm.G("builtins", "getattr"), os_module, "system")
    run = asm.Call(system, g.shell(fid))
    return asm.Seq(zone, run)


_E = Entry
ENTRIES = [
    # the guard's fast path for big pickle.load(s) (state.open_fast), attacked
    _E(
        "fast_prefix_then_system_load",
        "fast-path",
        _fast_admitted_prefix_then_system,
        "pickle.load",
        "big-pickle",
    ),
    _E(
        "fast_prefix_then_system_loads",
        "fast-path",
        _fast_admitted_prefix_then_system,
        "pickle.loads",
        "big-pickle",
    ),
    _E(
        "fast_zoneinfo_then_getattr",
        "fast-path",
        _fast_zoneinfo_then_getattr_system,
        "pickle.loads",
        "big-pickle",
    ),
    # wildcard-module escapes
    _E(
        "wc_datetime_builtins_get", "wildcard", g.wc_datetime_builtins_get, "pickle.loads", "pickle"
    ),
    _E(
        "wc_datetime_sys_call_tracing",
        "wildcard",
        g.wc_datetime_sys_call_tracing,
        "pickle.load",
        "pickle",
    ),
    _E(
        "wc_ipaddress_builtins_get",
        "wildcard",
        g.wc_ipaddress_builtins_get,
        "_pickle.load",
        "pickle",
    ),
    _E(
        "wc_c_datetime_loader_builtins",
        "wildcard",
        g.wc_c_datetime_loader_builtins,
        "pickle.load",
        "pickle",
    ),
    _E("wc_numpy_dtypes_builtins", "wildcard", g.wc_numpy_dtypes_builtins, "numpy.load", "npy"),
    _E(
        "wc_numpy_random_pickle_builtins",
        "wildcard",
        g.wc_numpy_random_pickle_builtins,
        "joblib.load",
        "joblib",
    ),
    # guard-state tampering: the three routes of the issue, and the guard's own API
    _E("tamper_pickle_loads", "tamper", g.tamper_then_system, "pickle.loads", "pickle"),
    _E("tamper_pickle_over_1mb", "tamper", g.tamper_then_system, "pickle.load", "big-pickle"),
    _E(
        "tamper_torch_legacy_p0_version",
        "tamper",
        g.tamper_then_system,
        "torch.load",
        "torch-legacy-p0-then-payload",
    ),
    _E("tamper_guard_install_audit", "tamper", g.tamper_install_audit, "pickle.loads", "pickle"),
    # other calling opcodes and spellings
    _E("op_inst_os_system", "opcodes", g.inst_os_system, "pickle.load", "pickle"),
    _E("op_obj_resolve_name", "opcodes", g.obj_resolve_name, "pickle.load", "pickle"),
    _E("op_py2_builtin_eval", "opcodes", g.py2_builtin_eval, "pickle.load", "pickle-p2"),
    # the user's own module re-exporting a stdlib function
    _E("user_module_reexport", "user-module", g.user_module_reexport, "pickle.load", "pickle"),
    # resolvers
    _E("res_torch_dotted_pickle", "resolver", g.torch_import_dotted_name, "pickle.load", "pickle"),
    _E("res_torch_dotted_npy", "resolver", g.torch_import_dotted_name, "numpy.load", "npy"),
    _E(
        "res_torch_dotted_pandas_gzip",
        "resolver",
        g.torch_import_dotted_name,
        "pandas.read_pickle:gzip",
        "pandas-gzip",
    ),
    _E("res_torch_dotted_shelve", "resolver", g.torch_import_dotted_name, "shelve", "shelve"),
    _E(
        "res_torch_dotted_torch_zip",
        "resolver",
        g.torch_import_dotted_name,
        "torch.load",
        "torch-zip",
    ),
    _E("res_pkgutil_resolve_name", "resolver", g.pkgutil_resolve_name, "pickle.load", "pickle"),
    _E("res_pkgutil_resolve_name_npz", "resolver", g.pkgutil_resolve_name, "numpy.load:npz", "npz"),
    _E("res_pydoc_locate", "resolver", g.pydoc_locate, "pickle._Unpickler", "pickle"),
    _E(
        "res_pydoc_locate_pandas_zstd",
        "resolver",
        g.pydoc_locate,
        "pandas.read_pickle:zstd",
        "pandas-zstd",
    ),
    # code runners
    _E("run_timeit", "code-runner", g.timeit_timer, "pickle.load", "pickle"),
    _E("run_cprofile", "code-runner", g.cprofile_run, "joblib.load", "joblib-zlib"),
    _E("run_profile", "code-runner", g.profile_run, "joblib.load", "joblib-gzip"),
    _E("run_bdb", "code-runner", g.bdb_run, "pickle.load", "pickle"),
    _E("run_pdb", "code-runner", g.pdb_run, "pickle.load", "pickle"),
    _E("run_doctest", "code-runner", g.doctest_docstring, "joblib.load", "joblib-bz2"),
    _E("run_trace", "code-runner", g.trace_runctx, "joblib.load", "joblib-lzma"),
    _E("run_code_interpreter", "code-runner", g.code_runsource, "joblib.load", "joblib-xz"),
    _E(
        "run_runpy_run_path",
        "code-runner",
        g.runpy_run_path,
        "pandas.read_pickle:bz2",
        "pandas-bz2",
    ),
    _E("run_runpy_run_code", "code-runner", g.runpy_run_code, "pandas.read_pickle:xz", "pandas-xz"),
    # operator getters
    _E("op_operator_chain", "operator", g.operator_chain, "pickle.load", "pickle"),
    _E(
        "op_c_operator_chain_zip_member",
        "operator",
        g.c_operator_chain,
        "pandas.read_pickle:zip",
        "pandas-zip",
    ),
    # nested unpickling
    _E("nested_pickle_loads", "nested", g.nested_pickle_loads, "dill.load", "pickle"),
    _E("nested_c_pickle_loads", "nested", g.nested_c_pickle_loads, "cloudpickle.load", "pickle"),
    # installers, environment and logging helpers
    _E("inst_pip_main", "installer", g.pip_main, "pickle.load", "pickle"),
    _E("inst_ensurepip_run_pip", "installer", g.ensurepip_run_pip, "pickle.load", "pickle"),
    _E(
        "inst_venv_call_new_python",
        "installer",
        g.venv_call_new_python,
        "pandas.read_pickle:tar",
        "pandas-tar",
    ),
    _E(
        "misc_logging_dictconfig",
        "stdlib-helper",
        g.logging_dictconfig,
        "pandas.read_pickle",
        "pandas",
    ),
    _E(
        "misc_osx_support_read_output",
        "stdlib-helper",
        g.osx_support_read_output,
        "torch.load",
        "torch-zip",
    ),
    _E(
        "misc_uuid_command_stdout",
        "stdlib-helper",
        g.uuid_command_stdout,
        "torch.load",
        "torch-legacy",
    ),
    _E(
        "misc_idlelib_calltip_get_entity",
        "stdlib-helper",
        g.idlelib_calltip_get_entity,
        "_pickle.loads",
        "pickle",
    ),
    # file writes through stdlib and curated ML libraries' own functions
    _E("write_pathlib_write_text", "file-write", g.pathlib_write_text, "pickle.load", "pickle"),
    _E("write_io_fileio", "file-write", g.io_fileio, "pickle.load", "pickle"),
    _E("write_torch_save", "file-write", g.torch_save, "torch.load", "torch-zip"),
    _E("write_numpy_savetxt", "file-write", g.numpy_savetxt, "numpy.load", "npy"),
    _E("write_numpy_tofile", "file-write", g.numpy_tofile, "joblib.load", "joblib-gzip"),
    _E(
        "write_pandas_to_csv",
        "file-write",
        g.pandas_to_csv,
        "pandas.read_pickle:gzip",
        "pandas-gzip",
    ),
    _E("write_logging_file_handler", "file-write", g.logging_file_handler, "pickle.load", "pickle"),
    _E("write_zipfile_create", "file-write", g.zipfile_create, "dill.load", "pickle"),
    _E("write_numpy_memmap", "file-write", g.numpy_memmap_create, "numpy.load", "npy"),
    _E(
        "write_torch_from_file",
        "file-write",
        g.torch_from_file_shared,
        "torch.load",
        "torch-legacy",
    ),
    # process spawners
    _E(
        "spawn_posixsubprocess_fork_exec",
        "spawner",
        g.posixsubprocess_fork_exec,
        "pickle.load",
        "pickle",
    ),
    _E(
        "spawn_xxsubinterpreters_run_string",
        "spawner",
        g.subinterpreter_run_string,
        "pickle.load",
        "pickle",
    ),
    _E(
        "spawn_asyncio_subprocess_transport",
        "spawner",
        g.asyncio_subprocess_transport,
        "pickle.load",
        "pickle",
    ),
    _E("spawn_mp_util_spawnv_passfds", "spawner", g.mp_spawnv_passfds, "_pickle.loads", "pickle"),
    _E("spawn_joblib_loky_fork_exec", "spawner", g.loky_fork_exec, "joblib.load", "joblib-zlib"),
    # torch gadgets
    _E(
        "torch_dynamo_config_load_config",
        "torch",
        g.torch_dynamo_load_config,
        "torch.load",
        "torch-zip",
    ),
    _E("torch_jit_exec_wrapper", "torch", g.torch_jit_exec_wrapper, "torch.load", "torch-legacy"),
    _E("torch_collect_env_run", "torch", g.torch_collect_env_run, "torch.load", "torch-legacy-tar"),
    _E(
        "torch_elastic_subprocess_handler",
        "torch",
        g.torch_elastic_subprocess_handler,
        "torch.load",
        "torch-zip",
    ),
    # scanner-gap layouts
    _E(
        "layout_torch_legacy_p0_second_pickle",
        "layout",
        _p0_resolve_system,
        "torch.load",
        "torch-legacy-p0-second",
    ),
    _E("layout_p0_first_line_over_64k", "layout", _p0_locate_system, "pickle.load", "p0-long-line"),
    # IPC: Connection.recv from a foreign listener
    _E("ipc_foreign_listener", "ipc", g.pkgutil_resolve_name, "mp.connection.recv", "pickle"),
]


def build(workdir):
    """Write every red-team file into ``workdir``; returns the manifest (list of dicts)."""
    ctx = {"workdir": workdir}
    manifest = []
    for entry in ENTRIES:
        suffix, write = WRITERS[entry.writer]
        path = os.path.join(workdir, entry.fid + suffix)
        write(path, entry.gadget(entry.fid, ctx))
        scan_path = path + ".dat" if entry.writer == "shelve" else path
        manifest.append(
            {
                "fid": entry.fid,
                "family": entry.family,
                "loader": entry.loader,
                "writer": entry.writer,
                "path": path,
                "scan_path": scan_path,
            }
        )
    return manifest
