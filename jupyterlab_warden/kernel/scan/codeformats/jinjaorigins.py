"""Where each value of a parsed Jinja2 template can come from: the inference ``jinjatree``
judges lookups by. Pure logic over the syntax tree.

Levels, least to most attacker-made: ``NUM`` (a number), ``SAFE`` (a constant that is a safe
name), ``DATA`` (the render context: messages, tools, the tokens a runtime passes), ``OTHER``
(something the template made: a string built from pieces, a global, a call result) and
``TAINT`` (what a lookup by a key the template does not fix returned: a plain environment
falls back to ``getattr(obj, key)``, and a context function's ``__globals__`` is one such lookup
away). Names get the worst of every value the template binds them to (``set``, ``for``,
``with``, macro parameters from the template's own call sites, namespace attributes), and the
render context's where Jinja2's own code generator reads them from there.
"""

from typing import Dict

_MAX_ROUNDS = 64  # of the fixed point (see _solve)
# where a value can come from, least to most attacker-made: a number, a safe constant, the
# render context, something the template made, and TAINT - what a lookup by a key that is not
# fixed in the template returned (a plain environment falls back to getattr: a context
# function's __globals__ is one such lookup away)
NUM, SAFE, DATA, OTHER, TAINT = range(5)
# Python attributes without a leading underscore that still lead to frames, code and globals
_INTERNAL_PREFIXES = ("gi_", "cr_", "ag_", "f_", "tb_", "co_", "func_", "im_")
_INTERNAL_NAMES = frozenset(("mro", "format", "format_map"))
# globals every Jinja2 environment has; not render-context data
_JINJA_GLOBALS = frozenset(
    ("range", "dict", "lipsum", "cycler", "joiner", "namespace", "self", "loop", "caller")
    + ("varargs", "kwargs", "super", "config", "request", "url_for")
)
_LOOP_NUMBERS = frozenset(
    ("index", "index0", "revindex", "revindex0", "length", "depth", "depth0", "first", "last")
)
_NUMBER_FILTERS = frozenset(("length", "count", "int", "float", "abs", "round", "wordcount"))
# filters whose result is a new string (or number), whatever went in
_STRING_FILTERS = frozenset(
    ("string", "tojson", "e", "escape", "safe", "trim", "upper", "lower", "title", "capitalize")
    + ("indent", "truncate", "wordwrap", "center", "striptags", "urlencode", "format", "pprint")
)


def is_safe_name(name: str) -> bool:
    """Whether an attribute of this name is plain data, not a way into Python's internals."""
    return (
        not name.startswith("_")
        and not name.startswith(_INTERNAL_PREFIXES)
        and name not in _INTERNAL_NAMES
    )


def join(*origins) -> int:
    """The least origin covering all of ``origins``: SAFE (a constant the template wrote) and
    DATA (the render context) together are OTHER - the template could pick either."""
    found = set(origins) - {NUM}
    if not found:
        return NUM
    if found == {SAFE, DATA}:
        return OTHER
    return max(found)


class ValueOrigins:
    """The origin of every value of ``tree`` (``nodes``: the ``jinja2.nodes`` module)."""

    def __init__(self, nodes, tree, environment):
        self.n = nodes
        self.environment = environment
        self.tree = tree
        self.bindings: Dict[str, list] = {}  # name -> ("expr"|"iter"|"other"|"param", node)
        self.attr_bindings: Dict[str, list] = {}  # namespace attribute -> value nodes
        self.value: Dict[str, int] = {}
        self.attr_value: Dict[str, int] = {}
        self.calls: Dict[str, list] = {}  # name -> Call nodes calling it (macro call sites)
        self.loads: Dict[str, int] = {}  # name -> times it is read
        self.macros = set()  # their output is text the template wrote
        self.macro_params: Dict[str, list] = {}
        self._collect()
        self._solve()

    def _bind_target(self, target, how, node):
        n = self.n
        if isinstance(target, n.Name):
            self.bindings.setdefault(target.name, []).append((how, node))
        elif isinstance(target, n.NSRef):
            self.attr_bindings.setdefault(target.attr, []).append(node if how == "expr" else None)
        elif isinstance(target, (n.Tuple, n.List)):
            for item in target.items:
                self._bind_target(item, "iter" if how == "expr" else how, node)

    def _collect(self):
        n = self.n
        for node in self.tree.find_all(n.Node):
            if isinstance(node, n.Assign):
                self._bind_target(node.target, "expr", node.node)
            elif isinstance(node, n.For):
                self._bind_target(node.target, "iter", node.iter)
                if node.recursive:
                    # `loop(items)` inside a recursive loop rebinds the target to whatever is
                    # passed: not only the written list (red team red5 J1)
                    self._bind_target(node.target, "other", None)
            elif isinstance(node, n.With):
                for target, value in zip(node.targets, node.values):
                    self._bind_target(target, "expr", value)
            elif isinstance(node, n.Macro):
                self.macros.add(node.name)
                self.macro_params[node.name] = [param.name for param in node.args]
                first_default = len(node.args) - len(node.defaults)
                for index, param in enumerate(node.args):
                    has_default = index >= first_default
                    default = node.defaults[index - first_default] if has_default else None
                    binding = (node.name, index, param.name, default)
                    self.bindings.setdefault(param.name, []).append(("param", binding))
            elif isinstance(node, (n.AssignBlock, n.CallBlock)):
                targets = [node.target] if isinstance(node, n.AssignBlock) else node.args
                for target in targets:
                    self._bind_target(target, "other", None)
            elif isinstance(node, n.Import):
                self.bindings.setdefault(node.target, []).append(("other", None))
            elif isinstance(node, n.FromImport):
                for name in node.names:
                    alias = name[1] if isinstance(name, tuple) else name
                    self.bindings.setdefault(alias, []).append(("other", None))
            elif isinstance(node, n.Name) and node.ctx == "load":
                self.loads[node.name] = self.loads.get(node.name, 0) + 1
            if isinstance(node, n.Call) and isinstance(node.node, n.Name):
                self.calls.setdefault(node.node.name, []).append(node)
            if self._is_namespace_call(node):
                for kw in node.kwargs:
                    self.attr_bindings.setdefault(kw.key, []).append(kw.value)
                if node.args or node.dyn_args or node.dyn_kwargs:
                    self.attr_bindings.setdefault("*", []).append(None)

    def _solve(self):
        """Each bound name's origin: the worst of every value the template binds it to, and of
        the render context where Jinja2 reads it from there (read before it is set, or set in
        one branch only); iterated to a fixed point."""
        resolved = self._context_reads()
        floor = {
            name: DATA if resolved is None or name in resolved else NUM for name in self.bindings
        }
        self.value = dict(floor)
        self.attr_value = {attr: NUM for attr in self.attr_bindings}
        # every origin is monotone in the names' values: from the floor up, this settles in a
        # few rounds unless a chain of sets is built against it; past the cap, assume the worst
        # rather than spend the caller's time
        for _ in range(min(4 * (len(self.value) + len(self.attr_value)) + 2, _MAX_ROUNDS)):
            changed = False
            for name, binds in self.bindings.items():
                found = [self.value[name]] + [self._binding_origin(h, b) for h, b in binds]
                worst = join(*found)  # never lower than last round: the rounds end
                if worst != self.value[name]:
                    self.value[name], changed = worst, True
            for attr, values in self.attr_bindings.items():
                found = [OTHER if v is None else self.origin(v) for v in values]
                worst = join(self.attr_value[attr], *found)
                if worst != self.attr_value[attr]:
                    self.attr_value[attr], changed = worst, True
            if not changed:
                return
        self.value = dict.fromkeys(self.value, OTHER)  # did not settle: assume the worst
        self.attr_value = dict.fromkeys(self.attr_value, OTHER)

    def _context_reads(self):
        """Names the compiled template resolves from the render context, as Jinja2's own code
        generator decides (``resolve('name')``); None when it cannot tell (all of them)."""
        n = self.n
        if not self.bindings or not isinstance(self.tree, n.Template):
            return None
        keys = (g.arg for g in self.tree.find_all(n.Getitem))
        if all(isinstance(k, (n.Const, n.Slice)) for k in keys):
            return None  # no key to judge: the floor does not matter, spare the code generation
        try:
            import re

            from jinja2 import Environment
            from jinja2.compiler import generate

            env = self.environment if self.environment is not None else Environment()  # noqa: S701
            # Python source only, never run; unoptimized: the tree is not rewritten
            code = generate(self.tree, env, None, None, optimized=False)
        except Exception:  # noqa: BLE001 - what the compiler refuses compiles nowhere
            return None
        return set(re.findall(r"\bresolve\('(\w+)'\)", code))

    def _binding_origin(self, how, node):
        if how == "param":
            return self._param_origin(*node)
        if how == "other" or node is None:
            return OTHER
        if how == "expr":
            return self.origin(node)
        return self.element_origin(node)

    def _param_origin(self, macro, index, param, default):
        """A macro parameter: whatever its call sites in this template pass (and its default);
        a macro read other than by calling it (passed around, ``caller``) could get anything."""
        calls = self.calls.get(macro, [])
        if self.loads.get(macro, 0) > len(calls) or macro in self.bindings:
            return OTHER
        worst = NUM if default is None else self.origin(default)
        for call in calls:
            if call.dyn_args is not None or call.dyn_kwargs is not None:
                return OTHER
            if index < len(call.args):
                worst = join(worst, self.origin(call.args[index]))
            for kw in call.kwargs:
                if kw.key == param:
                    worst = join(worst, self.origin(kw.value))
        return worst

    def element_origin(self, iterable) -> int:
        """Origin of the items a ``for`` loop takes from ``iterable``."""
        n = self.n
        if self._is_call_of(iterable, "range"):
            return NUM
        if isinstance(iterable, (n.List, n.Tuple)):
            return join(*[self.origin(item) for item in iterable.items])
        if isinstance(iterable, n.Dict):  # a dict iterates into its keys
            return join(*[self.origin(pair.key) for pair in iterable.items])
        found = self.origin(iterable)
        return OTHER if found == SAFE else found  # a constant string iterates into characters

    def origin(self, e) -> int:
        n = self.n
        if isinstance(e, n.Const):
            return _const_origin(e.value)
        if isinstance(e, n.Name):
            if e.name in self.value:
                return self.value[e.name]
            return OTHER if e.name in _JINJA_GLOBALS or e.name in self.macros else DATA
        if isinstance(e, n.Getattr):
            return self._getattr_origin(e)
        if isinstance(e, n.Getitem):
            base = self.origin(e.node)
            if base == TAINT:
                return TAINT
            if isinstance(e.arg, n.Slice) or self.origin(e.arg) in (NUM, SAFE):
                return DATA if base in (NUM, DATA) else OTHER
            return TAINT  # obj[key] with a key not fixed here: maybe getattr(obj, key)
        if isinstance(e, n.Filter):
            if e.name in _NUMBER_FILTERS:
                return NUM
            if e.name in _STRING_FILTERS:
                return min(self._derived(e.node, e), OTHER)  # a new string
            return self._derived(e.node, e)
        if isinstance(e, (n.Test, n.Not, n.Compare)):
            return NUM
        if isinstance(e, n.Call):
            if self._is_call_of(e, "range"):
                return NUM
            func = e.node
            base = func.node if isinstance(func, n.Getattr) else func
            return self._derived(base, e)
        if isinstance(e, (n.And, n.Or)):
            return join(self.origin(e.left), self.origin(e.right))
        if isinstance(e, n.BinExpr):
            return _combined([self.origin(e.left), self.origin(e.right)])
        if isinstance(e, n.Concat):  # a new string
            return min(_combined([self.origin(part) for part in e.nodes]), OTHER)
        if isinstance(e, (n.Neg, n.Pos)):
            inner = self.origin(e.node)
            return inner if inner in (NUM, DATA) else OTHER
        if isinstance(e, n.CondExpr):
            return join(self.origin(e.expr1), NUM if e.expr2 is None else self.origin(e.expr2))
        if isinstance(e, (n.List, n.Tuple)):
            return join(*[self.origin(item) for item in e.items])
        if isinstance(e, n.Dict):
            return self._dict_origin(e)
        if isinstance(e, (n.MarkSafe, n.MarkSafeIfAutoescape)):
            return self.origin(e.expr)
        return OTHER

    def _dict_origin(self, e):
        """A dict literal: what its lookups return, when its keys are constants the template
        wrote (``{"type": t}`` handed to a schema macro is as much data as ``t``; the keys, safe
        names, are what iterating it gives: element_origin). A key computed or not a safe name
        makes the whole dict count with its keys."""
        keys = [self.origin(pair.key) for pair in e.items]
        values = [self.origin(pair.value) for pair in e.items]
        if all(isinstance(pair.key, self.n.Const) for pair in e.items) and all(
            k in (NUM, SAFE) for k in keys
        ):
            return join(*values)
        return join(*[join(k, v) for k, v in zip(keys, values)])

    def _getattr_origin(self, e):
        n = self.n
        base = e.node
        if isinstance(base, n.Name):
            if base.name == "loop" and "loop" not in self.value:
                # loop.previtem / nextitem: an item of some loop's iterable
                return NUM if e.attr in _LOOP_NUMBERS else join(OTHER, *self._loop_items())
            if self._is_namespace_name(base.name):
                return join(self.attr_value.get(e.attr, NUM), self.attr_value.get("*", NUM))
        found = self.origin(base)
        if found in (NUM, DATA) and is_safe_name(e.attr):
            return DATA
        return TAINT if found == TAINT else OTHER

    def _loop_items(self):
        n = self.n
        return [self.element_origin(f.iter) for f in self.tree.find_all(n.For)]

    def _derived(self, base, e):
        """A call or filter result: render-context data when it is computed from data alone (a
        method of a message string, a filter over messages); anything the template could have
        spelled is OTHER (``'%c'|format(95)`` is ``'_'``)."""
        inputs = [self.origin(a) for a in e.args] + [self.origin(k.value) for k in e.kwargs]
        inputs += [self.origin(d) for d in (e.dyn_args, e.dyn_kwargs) if d is not None]
        base_origin = DATA if base is None else self.origin(base)
        if TAINT in inputs or base_origin == TAINT:
            return TAINT
        if base_origin in (NUM, DATA) and all(i in (NUM, SAFE, DATA) for i in inputs):
            return DATA
        return OTHER

    def _is_call_of(self, e, global_name):
        n = self.n
        return (
            isinstance(e, n.Call)
            and isinstance(e.node, n.Name)
            and e.node.name == global_name
            and global_name not in self.value
        )

    def _is_namespace_call(self, e):
        return self._is_call_of(e, "namespace")

    def _is_namespace_name(self, name):
        binds = self.bindings.get(name)
        return bool(binds) and all(
            how == "expr" and self._is_namespace_call(node) for how, node in binds
        )

    def _is_container(self, e):
        n = self.n
        if isinstance(e, (n.List, n.Tuple, n.Dict)):
            return True
        binds = self.bindings.get(e.name) if isinstance(e, n.Name) else None
        return bool(binds) and all(
            how == "expr" and isinstance(node, (n.List, n.Tuple, n.Dict)) for how, node in binds
        )

    # --- the checks ---------------------------------------------------------------------------


def _const_origin(value) -> int:
    """A constant, folded by the parser (``[]``, ``('a', 1)`` are constants too)."""
    if isinstance(value, str):
        return SAFE if is_safe_name(value) else OTHER
    if value is None or isinstance(value, (bool, int, float)):
        return NUM
    if isinstance(value, (list, tuple)):
        return join(*[_const_origin(item) for item in value])
    if isinstance(value, dict):
        return join(*[join(_const_origin(k), _const_origin(v)) for k, v in value.items()])
    return OTHER


def _combined(parts) -> int:
    """Arithmetic or concatenation: numbers stay numbers; pieces of render-context data stay
    data; anything with a piece the template wrote (``'_' ~ x``, ``'_' * 2``) is OTHER."""
    if TAINT in parts:
        return TAINT
    if all(p == NUM for p in parts):
        return NUM
    return DATA if all(p in (NUM, DATA) for p in parts) else OTHER
