"""The pickle global lists as data: what is always refused, and what may pass in each mode.

Patterns are ``module.qualname`` or ``module.*`` (every name of a module and its submodules),
the same syntax as the policy document's ``pickle.allow_globals`` / ``pickle.deny_globals``.

DENY is the union of the dangerous lists of picklescan, modelscan and fickling, plus the
gadgets named in issue 6. In the default mode most of it is redundant for the standard library
(only STDLIB_PLAIN_DATA passes there), but it is what stops third-party gadgets and what strict
or widened policies still refuse.
"""

DENY = (
    # code execution and import machinery
    "builtins.eval", "builtins.exec", "builtins.compile", "builtins.getattr",
    "builtins.setattr", "builtins.delattr", "builtins.open", "builtins.__import__",
    "builtins.breakpoint", "builtins.apply", "builtins.input", "builtins.vars",
    "builtins.globals", "builtins.locals", "builtins.type", "builtins.super",
    "builtins.memoryview", "builtins.print", "builtins.help", "builtins.exit",
    "builtins.quit", "builtins.license", "builtins.copyright", "builtins.credits",
    "importlib.*", "pkgutil.*", "runpy.*", "code.*", "codeop.*", "imp.*", "zipimport.*",
    "types.CodeType", "types.FunctionType", "types.MethodType", "types.ModuleType",
    "marshal.*", "pickle.*", "_pickle.*", "pickletools.*", "shelve.*", "copyreg.add_extension",
    "dill.*", "cloudpickle.*", "joblib.load", "joblib.numpy_pickle.load",
    "inspect.*", "ast.*", "dis.*", "gc.*", "weakref.*", "ctypes.*", "_ctypes.*", "cffi.*",
    # processes, system and files
    "os.*", "posix.*", "nt.*", "_posixsubprocess.*", "_winapi.*", "subprocess.*", "commands.*",
    "sys.*", "pty.*", "shutil.*", "tempfile.*", "signal.*", "resource.*", "fcntl.*",
    "multiprocessing.connection.*", "multiprocessing.popen_fork.*", "multiprocessing.spawn.*",
    "multiprocessing.util.*", "threading.*", "_thread.*", "asyncio.*",
    "io.*", "_io.*", "fileinput.*", "glob.*", "pathlib.Path.write_text",
    "pathlib.Path.write_bytes", "logging.FileHandler", "logging.config.*",
    "zipfile.*", "tarfile.*", "distutils.*", "setuptools.*", "pip.*", "ensurepip.*",
    "venv.*", "site.*", "sysconfig.*", "platform.*", "uuid._get_command_stdout",
    "_osx_support.*", "_aix_support.*", "_pyrepl.*", "ctypes.util.*",
    # debuggers, profilers and helpers that run strings as code
    "bdb.*", "pdb.*", "cProfile.*", "profile.*", "timeit.*", "trace.*", "doctest.*",
    "pydoc.*", "idlelib.*", "lib2to3.*", "test.*", "unittest.*", "tkinter.*", "turtle.*",
    "IPython.*", "ipykernel.*",
    # network
    "socket.*", "_socket.*", "ssl.*", "select.*", "selectors.*", "http.*", "httplib.*",
    "urllib.*", "urllib2.*", "ftplib.*", "smtplib.*", "telnetlib.*", "poplib.*",
    "imaplib.*", "nntplib.*", "socketserver.*", "xmlrpc.*", "webbrowser.*", "antigravity.*",
    "requests.*", "httpx.*", "aiohttp.*", "urllib3.*", "paramiko.*",
    # generic gadgets: call something chosen by the data
    "functools.partial", "functools.reduce", "functools.partialmethod",
    "operator.*", "_operator.*", "builtins.map", "builtins.filter", "builtins.sorted",
    "builtins.staticmethod", "builtins.classmethod", "builtins.property",
    "collections.ChainMap.__init__",
    # third-party gadgets known from scanner bypass reports
    "numpy.f2py.*", "numpy.testing.*", "numpy.distutils.*", "numpy.load",
    "numpy.lib.npyio.load", "numpy.ctypeslib.*", "numpy.lib.utils.*",
    "torch.serialization.*", "torch.load", "torch.jit.*", "torch._dynamo.*",
    "torch._inductor.*", "torch.fx.*", "torch.utils.collect_env.*",
    "torch.utils.bottleneck.*", "torch.utils._config_module.*",
    "torch.utils.data.datapipes.*", "torch.hub.*", "torch.package.*", "torch.ops.*",
    "torch._ops.*", "torch.compile", "torch.utils.cpp_extension.*",
    "pandas.read_pickle", "pandas.io.*", "pandas.eval", "pandas.core.computation.*",
    "keras.*", "tensorflow.*", "transformers.*", "sklearn.utils._testing.*",
    "_io.FileIO",
)

# Standard-library globals that only rebuild plain data; every other standard-library global
# is refused in the default mode (public bypasses chain through unlisted stdlib modules).
STDLIB_PLAIN_DATA = (
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.set", "builtins.frozenset",
    "builtins.int", "builtins.float", "builtins.complex", "builtins.bool", "builtins.str",
    "builtins.bytes", "builtins.bytearray", "builtins.slice", "builtins.range",
    "builtins.object", "builtins.NotImplemented", "builtins.Ellipsis",
    "builtins.Exception", "builtins.ValueError", "builtins.KeyError", "builtins.TypeError",
    "builtins.RuntimeError", "builtins.IndexError", "builtins.AttributeError",
    "copyreg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__",
    "_codecs.encode", "collections.OrderedDict", "collections.defaultdict",
    "collections.deque", "collections.Counter", "datetime.*", "decimal.Decimal",
    "fractions.Fraction", "uuid.UUID", "argparse.Namespace", "types.SimpleNamespace",
    "array.array", "array._array_reconstructor", "re._compile", "enum.Enum",
    "pathlib.PurePath", "pathlib.PurePosixPath", "pathlib.PureWindowsPath",
    "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.Path", "ipaddress.*",
    "zoneinfo.ZoneInfo", "zoneinfo.ZoneInfo._unpickle", "_datetime.*",
    "numbers.Number",
    # Inter-process plumbing of multiprocessing / DataLoader workers: rebuilds an exception or
    # a shared file descriptor handle, nothing else.
    "multiprocessing.pool.rebuild_exc", "multiprocessing.pool.RemoteTraceback",
    "concurrent.futures.process._rebuild_exc", "concurrent.futures.process._RemoteTraceback",
    "multiprocessing.resource_sharer.DupFd",
)

# Strict mode: only these pass (plus STDLIB_PLAIN_DATA and the policy's allow_globals).
ML_SAFE = (
    "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor_v3", "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state", "torch._utils._rebuild_sparse_tensor",
    "torch._utils._rebuild_nested_tensor", "torch._utils._rebuild_qtensor",
    "torch._utils._rebuild_device_tensor_from_numpy",
    "torch._utils._rebuild_meta_tensor_no_storage",
    "torch._utils._rebuild_wrapper_subclass", "torch._tensor._rebuild_from_type_v2",
    "torch._tensor._rebuild_from_type", "torch.nn.parameter.Parameter", "torch.Tensor",
    "torch.Size", "torch.device", "torch.dtype", "torch.float32", "torch.float16",
    "torch.bfloat16", "torch.float64", "torch.int64", "torch.int32", "torch.int8",
    "torch.uint8", "torch.bool", "torch.storage._load_from_bytes",
    "torch.storage.TypedStorage", "torch.storage.UntypedStorage",
    "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.LongStorage",
    "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
    "torch.BoolStorage", "torch.BFloat16Storage", "torch.ComplexFloatStorage",
    "torch.ComplexDoubleStorage", "torch.QUInt8Storage", "torch.QInt8Storage",
    "torch.QInt32Storage", "torch.QUInt4x2Storage", "torch.QUInt2x4Storage",
    "torch.per_tensor_affine", "torch.per_channel_affine",
    "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
    "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar", "numpy.ndarray",
    "numpy.dtype", "numpy.dtypes.*", "numpy.core.numeric._frombuffer",
    "numpy._core.numeric._frombuffer", "numpy.random._pickle.*",
    "numpy.int64", "numpy.int32", "numpy.float64", "numpy.float32", "numpy.bool_",
)

# Old (protocol 0-2) pickles name Python 2 modules; the unpickler maps them before importing,
# but the audit event carries the original names, so the guard maps them too.
PY2_MODULES = {"__builtin__": "builtins", "copy_reg": "copyreg", "exceptions": "builtins"}

# Fallback for Python < 3.10, which lacks sys.stdlib_module_names: top-level names only.
STDLIB_TOP_LEVEL_FALLBACK = frozenset("""
__future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bz2 _codecs _collections
_collections_abc _compat_pickle _compression _contextvars _csv _ctypes _datetime _decimal
_elementtree _functools _hashlib _heapq _imp _io _json _locale _lsprof _lzma _markupbase
_md5 _multiprocessing _opcode _operator _osx_support _pickle _posixshmem _posixsubprocess
_py_abc _pydecimal _pyio _pyrepl _queue _random _sha1 _sha256 _sha3 _sha512 _signal _socket
_sqlite3 _sre _ssl _stat _statistics _string _strptime _struct _symtable _thread
_threading_local _tkinter _tracemalloc _uuid _warnings _weakref _weakrefset _winapi
_zoneinfo abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop
base64 bdb binascii binhex bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd
code codecs codeop collections colorsys compileall concurrent configparser contextlib
contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib
dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp
fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob
graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect
io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap
marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt
ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle
pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty
pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib
resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site
smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse
ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig syslog
tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter
token tokenize tomllib trace traceback tracemalloc tty turtle turtledemo types typing
unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser winreg winsound
wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
__builtin__ copy_reg exceptions commands httplib urllib2 cPickle
""".split())
