"""What a parsed Jinja2 template can reach when an unsandboxed ``jinja2.Environment`` renders it.

Pure logic over the syntax tree (``jinja2.nodes``; Jinja2 is imported by the caller, which
parsed the template). Deny by default, on the constructs that lead from a template to Python:

* attributes: only names that are not Python internals - not ``_``-led, not the frame / code /
  generator / traceback families (``gi_frame.f_builtins`` needs no underscore), not ``mro``,
  and ``format``/``format_map`` only on a constant format string whose fields do not traverse
  (``"{0.__class__}".format(x)`` walks attributes inside the string);
* item keys (a plain environment falls back to ``getattr`` when ``obj[key]`` fails): a constant
  that is a safe name or a number, number arithmetic (``loop.index0 - 1``), or a value from the
  render context used on render-context data or a literal container; a key the template
  builds (``'_' ~ '_class__'``, ``'%c'|format(95)``, ``'__CLASS__'.lower()``, a variable set to
  one) is dangerous. Names take the render context's value only where Jinja2's own code
  generator reads them from there;
* what such a lookup by a key the template does not fix returns is tainted (with the file's
  own ``bos_token`` as key, ``raise_exception[bos_token]`` is a module's globals): it may be
  shown, tested, compared or filtered; an attribute, lookup or call on it, an attribute-taking
  filter, handing it to a call or to another template is dangerous;
* filters that take attribute paths (``map(attribute=)``, ``selectattr``, ``sort``,
  ``groupby``, ``sum``, ``unique``, ``min``/``max``, ``join``, ``attr``, ``map('attr', ..)``):
  only constant paths of safe names.

Suspicious only (a sandbox would allow them, or they cost time rather than run code): the
globals no chat template needs (``self``, ``lipsum``...), other templates pulled in
(``include``/``import``/``extends``: compiled - and judged - on their own), ``**`` and huge
numbers in ``range``/``*`` (denial of service).
"""

import string
from typing import List

from ..report import DANGEROUS, SUSPICIOUS, Finding
from .jinjaorigins import DATA, NUM, OTHER, SAFE, TAINT, ValueOrigins, is_safe_name

KIND = "chat-template"
MAX_RANGE = 100_000  # what jinja2.sandbox allows range() to make
_FORMAT_METHODS = frozenset(("format", "format_map"))
_RISKY_GLOBALS = frozenset(("self", "lipsum", "cycler", "joiner", "config", "request", "url_for"))
# filter -> (position of its attribute argument after the value, keyword) for Jinja2's filters
# that look attributes up by name (make_attrgetter: environment.getitem, then getattr)
_ATTRIBUTE_ARGS = {
    "attr": (0, "name"),
    "selectattr": (0, None),
    "rejectattr": (0, None),
    "sort": (2, "attribute"),
    "groupby": (0, "attribute"),
    "sum": (0, "attribute"),
    "unique": (1, "attribute"),
    "min": (1, "attribute"),
    "max": (1, "attribute"),
    "join": (1, "attribute"),
}


def judge_tree(tree, where: str, environment=None) -> List[Finding]:
    """Findings for a parsed template (``jinja2.nodes.Template`` or any node). ``environment``
    generates the code that tells which names the template reads from the render context."""
    from jinja2 import nodes

    return _Judge(nodes, tree, where, environment).findings()


class _Judge(ValueOrigins):
    def __init__(self, nodes, tree, where, environment):
        super().__init__(nodes, tree, environment)
        self.where = where
        self.out: List[Finding] = []

    def findings(self) -> List[Finding]:
        n = self.n
        for node in self.tree.find_all(n.Node):
            if isinstance(node, n.Getattr):
                self._check_getattr(node)
            elif isinstance(node, n.Getitem):
                self._check_getitem(node)
            elif isinstance(node, n.Filter):
                self._check_attribute_filter(node, node.name, list(node.args), node)
                self._check_tainted_filter(node)
            elif isinstance(node, n.Call):
                self._check_tainted_call(node)
                self._check_huge(node)
            elif isinstance(node, n.Name) and node.ctx == "load" and node.name in _RISKY_GLOBALS:
                if node.name not in self.value:
                    self._add(node, SUSPICIOUS, f"global {node.name} (no chat template needs it)")
            elif isinstance(node, (n.Include, n.Import, n.FromImport, n.Extends)):
                self._add(node, SUSPICIOUS, f"{type(node).__name__.lower()} of another template")
            elif isinstance(node, n.Pow):
                self._add(node, SUSPICIOUS, "power operator (denial of service)")
            elif isinstance(node, n.Mul):
                self._check_huge(node)
        self._check_shared_taint()
        return self.out

    def _check_tainted_filter(self, node):
        """The filters that look attributes up (``|attr``: getattr, then obj[name]) on a value
        that may already be a Python internal."""
        if node.node is not None and node.name in ("map", *_ATTRIBUTE_ARGS):
            if self.origin(node.node) == TAINT:
                self._add(node, DANGEROUS, f"|{node.name} on {_TAINTED}")

    def _check_tainted_call(self, node):
        n = self.n
        func = node.node
        if not isinstance(func, n.Getattr) and self.origin(func) == TAINT:
            self._add(node, DANGEROUS, f"call of {_TAINTED}")
            return
        params = []  # not a macro of this template (imported, caller): judged elsewhere
        if isinstance(func, n.Name) and func.name not in self.bindings:
            params = self.macro_params.get(func.name, [])
        # a local macro's named parameters carry the taint into its body; its varargs and
        # kwargs, and everything handed to other callables, do not
        args = list(node.args[len(params) :]) + [d for d in (node.dyn_args, node.dyn_kwargs) if d]
        args += [k.value for k in node.kwargs if k.key not in params]
        if any(self.origin(a) == TAINT for a in args):
            self._add(node, DANGEROUS, f"{_TAINTED} passed to a call")

    def _check_shared_taint(self):
        """A template that hands its names to another (include, import with context, extends)
        must not hold a tainted value in one: the other template is judged on its own."""
        n = self.n
        shares = self.tree.find(n.Include) or self.tree.find(n.Extends)
        shares = shares or any(
            getattr(i, "with_context", False) for i in self.tree.find_all((n.Import, n.FromImport))
        )
        tainted = [name for name, value in self.value.items() if value == TAINT]
        if shares and tainted:
            self._add(self.tree, DANGEROUS, f"{tainted[0][:40]} holds {_TAINTED}, shared")

    def _add(self, node, verdict, detail):
        self.out.append(Finding(KIND, f"{self.where}:{node.lineno}", verdict, detail[:120]))

    def _check_getattr(self, node):
        attr = node.attr
        if self.origin(node.node) == TAINT:
            self._add(node, DANGEROUS, f"attribute {attr[:60]} of {_TAINTED}")
        elif attr in _FORMAT_METHODS:
            if not self._plain_format_string(node.node):
                self._add(node, DANGEROUS, f"str.{attr} on a string that is not a plain constant")
        elif not is_safe_name(attr):
            self._add(node, DANGEROUS, f"attribute {attr}")

    def _plain_format_string(self, e) -> bool:
        """A constant format string whose fields name arguments only (no ``.attr``/``[key]``)."""
        if not (isinstance(e, self.n.Const) and isinstance(e.value, str)):
            return False
        try:
            fields = [f for _text, f, _spec, _conv in string.Formatter().parse(e.value)]
            specs = [s for _text, _f, s, _conv in string.Formatter().parse(e.value) if s]
        except ValueError:
            return False
        return all(f is None or not any(c in f for c in ".[") for f in fields) and not any(
            "{" in s and ("." in s or "[" in s) for s in specs
        )

    def _check_getitem(self, node):
        n = self.n
        key = node.arg
        if self.origin(node.node) == TAINT:
            self._add(node, DANGEROUS, f"item of {_TAINTED}")
            return
        if isinstance(key, n.Slice):
            return
        if isinstance(key, n.Const):
            if isinstance(key.value, str) and not is_safe_name(key.value):
                self._add(node, DANGEROUS, f"item {key.value}")
            return
        found = self.origin(key)
        if found == OTHER and self._safe_constant_or_context(key):
            found = DATA  # either is a fine key: only string operations on it make it OTHER
        if found in (NUM, SAFE):
            return
        if found == TAINT:
            self._add(node, DANGEROUS, f"item key that is {_TAINTED}")
            return
        if found == DATA:
            if self.origin(node.node) != DATA and not self._is_container(node.node):
                self._add(node, DANGEROUS, "item key from the render context on a computed object")
            return
        self._add(node, DANGEROUS, "item key computed by the template")

    def _safe_constant_or_context(self, e) -> bool:
        """A name the template sets only to safe constant strings (else the context's)."""
        n = self.n
        binds = self.bindings.get(e.name) if isinstance(e, n.Name) else None
        return bool(binds) and all(
            how == "expr" and isinstance(b, n.Const) and self.origin(b) == SAFE for how, b in binds
        )

    def _check_attribute_filter(self, node, name, args, call):
        """Filters that look attributes up by a name they are given."""
        n = self.n
        kwargs = {k.key: k.value for k in call.kwargs}
        if name in ("map", "attr", *_ATTRIBUTE_ARGS) and (call.dyn_args or call.dyn_kwargs):
            self._add(node, DANGEROUS, f"|{name} with arguments not written in the template")
            return
        if name == "map":
            if "attribute" in kwargs:
                self._check_path(node, name, kwargs["attribute"])
            elif args:
                first = args[0]
                if not (isinstance(first, n.Const) and isinstance(first.value, str)):
                    self._add(node, DANGEROUS, "|map with a filter name computed by the template")
                elif first.value in _ATTRIBUTE_ARGS or first.value == "map":
                    self._check_attribute_filter(node, first.value, args[1:], _NoExtra(kwargs))
            return
        if name not in _ATTRIBUTE_ARGS:
            return
        position, keyword = _ATTRIBUTE_ARGS[name]
        if keyword and keyword in kwargs:
            self._check_path(node, name, kwargs[keyword])
        elif len(args) > position:
            self._check_path(node, name, args[position])

    def _check_path(self, node, name, value):
        n = self.n
        if isinstance(value, n.Const) and isinstance(value.value, int):
            return
        if not (isinstance(value, n.Const) and isinstance(value.value, str)):
            self._add(node, DANGEROUS, f"|{name} with an attribute name computed by the template")
            return
        parts = [p for path in value.value.split(",") for p in path.strip().split(".")]
        bad = [p for p in parts if not p.isdigit() and not is_safe_name(p)]
        if bad:
            self._add(node, DANGEROUS, f"|{name} attribute {bad[0]}")

    def _check_huge(self, node):
        n = self.n
        if isinstance(node, n.Call):
            if not (self._is_call_of(node, "range") or self._is_call_of(node, "lipsum")):
                return
            operands = list(node.args) + [k.value for k in node.kwargs]
        else:
            operands = (node.left, node.right)
        for value in operands:
            if isinstance(value, n.Const) and isinstance(value.value, int):
                if abs(value.value) > MAX_RANGE:
                    self._add(node, SUSPICIOUS, _HUGE)
                    return


_TAINTED = "a value looked up by a key the template does not fix"
_HUGE = "a huge number in range(), lipsum() or * (denial of service)"


class _NoExtra:
    """The call shape ``map('attr', ...)`` hands to the filter it names: its keyword arguments,
    nothing spread (a spread was refused before)."""

    dyn_args = dyn_kwargs = None

    def __init__(self, kwargs):
        self.kwargs = [_Keyword(k, v) for k, v in kwargs.items()]


class _Keyword:
    def __init__(self, key, value):
        self.key = key
        self.value = value
