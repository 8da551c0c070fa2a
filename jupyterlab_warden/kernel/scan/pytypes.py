"""The built-in types the guard judges, defined as the ``types`` module defines them.

``types`` is not imported at interpreter start (it costs the guard's start-up more than this
module, bench/guard_startup.py); these are the same objects (tests/guard/test_records.py).
"""

import sys


def _function():
    pass


FunctionType = type(_function)
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)  # the same type as BuiltinFunctionType
ModuleType = type(sys)
MappingProxyType = type(type.__dict__)
GetSetDescriptorType = type(FunctionType.__code__)
MemberDescriptorType = type(FunctionType.__globals__)
