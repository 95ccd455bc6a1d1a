"""Runs the frontend over one file: find roots, compile each, collect diagnostics.

Unlike torch, which stops at the first error, every root is compiled on its
own, so independent errors in one file are all reported; an error inside a
function shared by several roots is reported once and fails each of them.
"""

from __future__ import annotations

import ast
import time
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, RelatedLocation, TextRange
from ..diagnostics.catalog import CATALOG
from ..gcpause import gc_paused
from ..line_ends import unchanged_ends
from .build_reuse import BuildMemo
from .compilation_unit import CalleeFailed, GraphFunction
from .compiler import Compiler
from .errors import CompileError
from .function_cache import FunctionCache
from .module_names import module_name_for
from .pyworld import ClassRef, FunctionRef, PyWorld
from .results import Analysis, CompiledFunction, Root
from .roots import RootSpec, find_roots
from .source import SourceFile
from .workspace_method_cache import WorkspaceMethodCache, world_snapshot

if TYPE_CHECKING:
    from .construction_sites import ConstructionIndex

#: ``torch_root="auto"``: the torch the running interpreter would find (see pyjit_core.environment).
AUTO = "auto"


def analyze_source(source: str, path: str, *, module_name: str | None = None, roots: str = "decorated",
                   search_paths: Iterable[str] = (), torch_root: str | None = AUTO, world: PyWorld | None = None,
                   previous: Analysis | None = None, constructions: ConstructionIndex | None = None,
                   budget: float | None = None, clock: Callable[[], float] = time.monotonic) -> Analysis:
    """Compile every root of one file the way ``torch.jit.script`` would.

    The frontend alone: :class:`pyjit_core.session.Session` adds the checks,
    the settings and the presentation. ``world``, when given, is the module
    world to read (and ``search_paths``/``torch_root`` are its own);
    ``previous``, the analysis of an earlier version of the same file, lets
    functions whose source (and whatever they depend on) did not change keep
    their graphs instead of being compiled again. ``constructions``, the
    workspace's index of where module classes are built, lets a module root be
    compiled as its callers build it (without it: as the file builds it, else
    a representative instance).

    ``budget``, in seconds of ``clock`` (None or 0: no limit), bounds the
    time spent on roots: it is checked between roots, and once it is spent
    the roots left are not analysed (see :class:`_Budget`).
    """
    with gc_paused():
        search_paths = list(search_paths)
        if world is None:
            if torch_root == AUTO:
                from ..environment import find_environment

                torch_root = find_environment().torch_root
            world = PyWorld(search_paths, torch_root)
        if module_name is None:
            module_name = module_name_for(path, search_paths)
        return _analyze(source, path, module_name, roots, world, previous, constructions,
                        _Budget(budget, clock) if budget else None)


def _analyze(source: str, path: str, module_name: str, roots: str, world: PyWorld,
             previous: Analysis | None, constructions: ConstructionIndex | None,
             budget: _Budget | None = None) -> Analysis:
    source_file = SourceFile(path, source)
    scope = world.add_source(module_name, source_file, is_package=path.endswith("__init__.py"))
    analysis = Analysis(path, module_name, [], {}, [])
    analysis.source_file = source_file
    earlier = previous.source_file if previous is not None and previous.path == path else None
    try:
        source_file.parse(earlier)  # a syntax error is the only finding for the file
    except SyntaxError as e:
        line = min(max(e.lineno or 1, 1), len(source_file.lines))
        text = source_file.lines[line - 1].rstrip("\r")
        col = min(max((e.offset or 1) - 1, 0), len(text))   # past the end: a truncated last line
        analysis.diagnostics.append(Diagnostic("PJ001", f"{e.msg}", path,
                                               TextRange(line - 1, col, line - 1, min(col + 1, len(text)))))
        return analysis
    cache = None
    if previous is not None and previous.path == path and previous.module_name == module_name:
        cache = previous.cache
    root_compiler = _RootCompiler(world, analysis, cache, scope)
    root_compiler.compiler.constructions = constructions
    if previous is not None and previous.path == path and previous.module_name == module_name \
            and isinstance(previous.builds, BuildMemo):
        root_compiler.compiler.previous_builds = previous.builds
    compiler = root_compiler.compiler
    if cache is not None and previous is not None:
        compiler.previous_methods = previous.method_cache
    compiler.workspace_methods = WorkspaceMethodCache()
    specs = find_roots(scope, roots, compiler.class_kind)
    order = list(range(len(specs)))
    if budget is not None and previous is not None and previous.source_file is not None:
        order = _edited_first(specs, previous.source_file.lines, source_file.lines, path)
    done: list[tuple[int, Root]] = []
    left: list[tuple[int, Root]] = []
    for i in order:
        spec = specs[i]
        if spec.held and not root_compiler.held_by_a_module(spec):
            continue
        if budget is not None and budget.skips(spec, compiler):
            left.append((i, _unanalysed_root(spec, path)))
            continue
        done.append((i, root_compiler.compile_root(spec)))
    analysis.roots = [root for _, root in sorted(done, key=lambda pair: pair[0])]   # in source order
    analysis.unanalysed = [root for _, root in sorted(left, key=lambda pair: pair[0])]
    if analysis.unanalysed:
        assert budget is not None
        analysis.diagnostics.append(budget.spent_diagnostic(analysis))
    root_compiler.collect_functions()
    if "_module_support" in compiler.__dict__:
        # Imported on first use (start-up cost): it brings the nn.Module interpreter.
        from .script_modules import summarize_module_types

        analysis.module_types = summarize_module_types(compiler)
        analysis.builds = builds = compiler.__dict__["_module_support"].builds
        builds.previous = {}   # (what the previous analysis built is this one's now, or stale)
    analysis.cache = compiler.export_cache()
    if compiler.workspace_methods.entries and compiler.environment is not None:
        kept = compiler.workspace_methods
        kept.world, kept.torch_root = world_snapshot(world, scope), world.torch_root
        kept.edited_base, kept.edited_headers = compiler.environment.base, compiler.environment.headers
        analysis.method_cache = kept
    if analysis.unanalysed and isinstance(cache, FunctionCache) and analysis.cache is not None:
        _keep_unanalysed_entries(cache, analysis.cache, set(compiler.unit.functions))
    compiler.release()
    return analysis


class _Budget:
    """The time one analysis may spend on its roots, read from ``clock`` between roots.

    Past it, a root is left out, but for two: the first root compiled afresh
    is always compiled (each analysis makes progress), and a function root
    whose graph the previous analysis of the file kept for its current text
    is still taken: reusing it costs next to nothing, and skipping it would
    hide what the editor already showed.
    """

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self.clock = clock
        self.started = clock()
        self.compiled_afresh = False

    def skips(self, spec: RootSpec, compiler: Compiler) -> bool:
        if isinstance(spec.ref, FunctionRef) and compiler.is_cached(spec.ref):
            return False
        if self.compiled_afresh and self.clock() - self.started >= self.seconds:
            return True
        self.compiled_afresh = True
        return False

    def spent_diagnostic(self, analysis: Analysis) -> Diagnostic:
        """PJ905 at the first root left out, naming them."""
        left = sorted(analysis.unanalysed, key=lambda r: r.first_line)
        considered = len(analysis.roots) + len(left)
        names = ", ".join(f"`{r.name}`" for r in left[:3]) + (f" and {len(left) - 3} more" if len(left) > 3 else "")
        line = left[0].first_line - 1
        text = analysis.source_file.lines[line] if analysis.source_file is not None else ""
        start = len(text) - len(text.lstrip(" \t"))
        words = text[start:].rstrip().split("(")[0].split(":")[0].split()   # `def f`, `class M`
        end = start + len(" ".join(words[:2])) if words[:1] in (["def"], ["class"]) else len(text.rstrip())
        return Diagnostic("PJ905", f"analysis stopped after {len(analysis.roots)} of {considered} roots "
                          f"(analysis-budget {self.seconds:g} s); not analysed, so nothing is reported for them: "
                          f"{names}", analysis.path, TextRange(line, start, line, max(end, start + 1)))


def _unanalysed_root(spec: RootSpec, path: str) -> Root:
    """A root left out, spanning its lines in the analysed file: its definition, or
    the ``torch.jit.script(...)`` call that made an imported one a root."""
    node: ast.stmt | ast.expr = spec.ref.node
    if spec.ref.scope.source.path != path and spec.script_call is not None:
        node = spec.script_call
    return Root(spec.name, spec.kind, node.lineno, node.end_lineno or node.lineno,
                spec.script_call.lineno if spec.script_call is not None else None)


def _edited_first(specs: list[RootSpec], before: list[str], after: list[str], path: str) -> list[int]:
    """Indexes of ``specs``: the roots touching the lines an edit changed (``before`` ->
    ``after``) first, then the others, each in source order. With a budget, what the
    user is typing is what gets analysed; the rest mostly reuses its graphs anyway."""
    same, tail = unchanged_ends(before, after)
    first, last = same + 1, max(len(after) - tail, same + 1)   # 1-based lines of `after` (a deletion: one)

    def edited(spec: RootSpec) -> bool:
        node: ast.stmt | ast.expr = spec.ref.node
        if spec.ref.scope.source.path != path:
            if spec.script_call is None:
                return False
            node = spec.script_call
        decorators = getattr(node, "decorator_list", [])
        start = min([node.lineno, *(d.lineno for d in decorators)])
        return start <= last and first <= (node.end_lineno or node.lineno)

    return sorted(range(len(specs)), key=lambda i: not edited(specs[i]))


def _keep_unanalysed_entries(previous: FunctionCache, cache: FunctionCache, compiled: set[str]) -> None:
    """Carry the previous analysis' graphs of functions this one never reached into its cache,
    so that a later analysis still reuses them (an entry is reused only if its fingerprint,
    made from the function's text and the module's environment, still matches)."""
    for name, entry in previous.entries.items():
        if name not in compiled:
            cache.entries.setdefault(name, entry)


class _RootCompiler:
    def __init__(self, world: PyWorld, analysis: Analysis, cache=None, scope=None) -> None:
        self.world = world
        self.analysis = analysis
        self.compiler = Compiler(world, cache, scope)
        self._reported: dict[int, list[Diagnostic]] = {}
        self._downgraded: dict[int, Diagnostic] = {}   # an error (by id) -> the PJ903 shown instead
        self._alive: list[object] = []   # what _reported's id() keys name must outlive it (ids are reused)

    # --- roots -------------------------------------------------------------------------

    def held_by_a_module(self, spec: RootSpec) -> bool:
        """Whether a module of the workspace stores an instance of this plain class (see RootSpec.held)."""
        index = self.compiler.constructions
        if index is None or not isinstance(spec.ref, ClassRef):
            return False
        owner = index.held_by_module(self.world, spec.ref, lambda c: self.compiler.class_kind(c) == "module")
        if owner is None:
            return False
        spec.constructed_by = f"an instance held by `{owner}`"
        return True

    def compile_root(self, spec: RootSpec) -> Root:
        node = spec.node
        first = node.lineno
        root = Root(spec.name, spec.kind, first, node.end_lineno or first,
                    spec.script_call.lineno if spec.script_call is not None else None)
        before = set(self.compiler.unit.functions)
        try:
            self._compile(spec)
        except CompileError as e:
            e.detach()
            root.diagnostics.extend(self.report(e, self._failed_function(e)))
        except CalleeFailed as e:
            root.diagnostics.extend(self.report_function_failure(e.callee))
        except RecursionError:
            root.diagnostics.append(self.internal_error(spec, "recursion too deep"))
        except Exception as e:
            root.diagnostics.append(self.internal_error(spec, f"{type(e).__name__}: {e}",
                                                        traceback.format_exc(limit=8)))
        root.functions = [q for q in self.compiler.unit.functions if q not in before]
        # Errors of callees compiled earlier for another root fail this one too.
        for q in root.functions:
            fn = self.compiler.unit.functions[q]
            if fn.failed:
                for d in self.report_function_failure(fn):
                    if d not in root.diagnostics:
                        root.diagnostics.append(d)
        root.constructed_by, root.representative = spec.constructed_by, spec.representative
        if spec.representative or spec.held or spec.guessed is not None:
            self.not_the_users(root, spec)
        else:
            self.the_users_after_all(root)
        return root

    def not_the_users(self, root: Root, spec: RootSpec) -> None:
        """A representative instance's failures may come from the values pyjit invented
        (so may those of an instance built past a condition pyjit guessed): each is reported
        once, as information (PJ903), never as an error -- unless a root the user really
        builds fails the same way (then that root reports it)."""
        kept = []
        for d in root.diagnostics:
            if not d.is_error or d.code == "PJ901":
                kept.append(d)
                continue
            shown = self._downgraded.get(id(d))
            if shown is None:
                made = (root.constructed_by or "").removeprefix("a representative instance: ")
                if root.representative:
                    message = f"with {made}, pyjit's representative instance: {d.message}"
                elif spec.held:
                    message = f"compiled as a class for {made}: {d.message}"
                else:
                    assert spec.guessed
                    first, more = spec.guessed[0].describe(), len(spec.guessed) - 1
                    which = first if not more else f"{first} and {more} more"
                    message = f"as {made} builds it, past conditions pyjit could not evaluate ({which}): {d.message}"
                shown = Diagnostic("PJ903", message, d.path, d.range, d.related)
                self._downgraded[id(d)] = shown
                self._alive.append(d)
                self.analysis.diagnostics[:] = [shown if x is d else x for x in self.analysis.diagnostics]
            kept.append(shown)
        root.diagnostics = kept

    def the_users_after_all(self, root: Root) -> None:
        """An error first met through a representative instance, met again by a root the
        user builds: it is an error after all."""
        for d in root.diagnostics:
            shown = self._downgraded.pop(id(d), None)
            if shown is not None:
                self.analysis.diagnostics[:] = [d if x is shown else x for x in self.analysis.diagnostics]

    def _compile(self, spec: RootSpec) -> None:
        compiler = self.compiler
        ref = spec.ref
        if isinstance(ref, FunctionRef):
            if compiler.overload_declarations(ref):
                # torch: _check_directly_compile_overloaded
                qualified = compiler.graph_function(ref).qualified_name
                raise CompileError(f"Function {qualified} cannot be directly compiled because it is overloaded. It "
                                   "must be used in a context of a function where its inputs can determine which "
                                   "overload to call.", compiler.ranges_for(ref.scope).keyword(ref.node), code="PJ200")
            compiler.graph_function(ref).ensure_defined()
            return
        assert isinstance(ref, ClassRef)
        kind = compiler.class_kind(ref)
        loc = compiler.ranges_for(ref.scope).keyword(ref.node)
        if kind == "class" and not spec.held and [b for b in compiler.class_bases(ref) if b != "builtins.object"]:
            # torch.jit.script(cls) checks the MRO; classes compiled because
            # they are used are not checked (torch: _script.py).
            raise CompileError("TorchScript classes does not support inheritance yet. Please directly inherit from "
                               "'object'.", loc, code="PJ200")
        if kind == "module":
            module_compiler = getattr(compiler, "compile_module_root", None)
            if module_compiler is None:
                raise CompileError("pyjit cannot compile nn.Module roots yet", loc, code="PJ901")
            module_compiler(ref, spec)
            return
        compiler.class_type(ref, loc)

    def _failed_function(self, error: CompileError) -> GraphFunction | None:
        for fn in self.compiler.unit.functions.values():
            if fn.error is error:
                return fn
        return None

    # --- diagnostics ----------------------------------------------------------------------

    def report_function_failure(self, fn: GraphFunction) -> list[Diagnostic]:
        if fn.error is None:
            return self._reported.get(id(fn), [])
        return self.report(fn.error, fn)

    def report(self, error: CompileError, fn: GraphFunction | None) -> list[Diagnostic]:
        key = id(error)
        if key in self._reported:
            return self._reported[key]
        error.detach()
        diagnostics = [self.to_diagnostic(e) for e in error.all_errors()]
        self._reported[key] = diagnostics
        self._alive.append(error)
        if fn is not None:
            self._reported[id(fn)] = diagnostics
        self.analysis.diagnostics.extend(diagnostics)
        return diagnostics

    def to_diagnostic(self, error: CompileError) -> Diagnostic:
        r = error.range
        path = r.path if r is not None else self.analysis.path
        source = self._source_for(path)
        text_range = TextRange(0, 0, 0, 0) if r is None or source is None else source.text_range(r)
        related = []
        for rel in error.related:
            rel_source = self._source_for(rel.range.path)
            if rel_source is not None:
                related.append(RelatedLocation(rel.range.path, rel_source.text_range(rel.range), rel.message))

        code = error.code if error.code in CATALOG else "PJ200"
        # torch starts some messages with a newline (one schema that does not match: "\nh(Tensor x)...");
        # an editor would show an empty headline.
        return Diagnostic(code, error.message.strip("\n"), path, text_range, tuple(related))

    def internal_error(self, spec: RootSpec, message: str, details: str = "") -> Diagnostic:
        node = spec.node
        diagnostic = Diagnostic("PJ900", f"internal error while compiling '{spec.name}': {message}",
                                self.analysis.path,
                                TextRange(node.lineno - 1, node.col_offset, node.lineno - 1, node.col_offset + 1),
                                data={"traceback": details} if details else None)
        self.analysis.diagnostics.append(diagnostic)
        return diagnostic

    def _source_for(self, path: str) -> SourceFile | None:
        return self.world.source_for(path)

    # --- results ----------------------------------------------------------------------------

    def collect_functions(self) -> None:
        for q, fn in self.compiler.unit.functions.items():
            if not (fn.is_defined or fn.failed):
                continue  # referenced but never needed (e.g. the unused side of a boolean dispatch)
            node = fn.node
            first = node.lineno if node is not None else 0
            last = (node.end_lineno or first) if node is not None else 0
            python_name = q.split(".", 1)[1] if q.startswith("__torch__.") else q
            why = fn.__dict__.get("signature_only")   # torch's own code pyjit could not lower
            graph = fn.graph if fn.is_defined and why is None else None
            self.analysis.functions[q] = CompiledFunction(q, python_name, graph, fn.source_path, first, last)
            if why is not None and fn.source_path == self.analysis.path and node is not None:
                self.analysis.diagnostics.append(Diagnostic(
                    "PJ901", f"pyjit knows '{python_name.rsplit('.', 2)[-2:][0]}.{fn.name}' by its signature only: "
                    f"{why}", self.analysis.path,
                    TextRange(node.lineno - 1, node.col_offset, node.lineno - 1, node.col_offset + 3)))
