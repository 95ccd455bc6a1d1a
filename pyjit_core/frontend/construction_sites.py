"""Where a workspace constructs each ``nn.Module`` class: the index behind construction roots.

``torch.jit.script`` compiles an *instance*: a module class whose constructor
needs arguments is seen by torch only as some caller builds it. pyjit finds
those callers statically, in this order of preference:

1. ``torch.jit.script(C(...))`` anywhere in the workspace, tests included
   (the user's own choice of arguments);
2. a *builder*: a top-level function callable with no arguments (every
   parameter has a default, or is ``*args``/``**kwargs``) that constructs
   ``C``, directly or through helpers (``resnet18()`` calls ``_resnet(BasicBlock, ...)``,
   which calls ``ResNet(block, ...)``);
3. a parent module whose ``__init__`` constructs ``C`` (``self.roi_heads =
   RoIHeads(...)``), itself constructed by a builder or a script call.

The index is text first: only files whose text spells the class's name (or
the helper's) are parsed, and names are then resolved through the analysis'
own module world, so an import alias or a re-export through ``__init__.py``
counts, and a same-named class elsewhere does not. Which files it searches:
the top-level package that holds the class (``torchvision/``), and the
workspace's own folders. Each file's text is read once per change (size and
mtime), and an open buffer replaces the file.
"""

from __future__ import annotations

import ast
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from . import read_log
from .module_names import module_name_for
from .pyworld import ClassRef, FunctionRef, ModuleScope, PyWorld, Ref

SiteKind = Literal["script-call", "builder"]

#: Folders never searched (build products, environments, caches).
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist", "site-packages", "dist-packages",
                           "venv", ".venv", "__pypackages__", ".git", ".tox", ".nox", ".eggs"})
_SCRIPT_CALLS = frozenset({"torch.jit.script", "torch.jit._script.script"})
#: How many helper and parent hops separate a class from the builder that reaches it, at most.
MAX_DEPTH = 4
#: How many files one search may parse (a huge workspace is searched in part, never slowly).
MAX_FILES = 200
#: How many files of the workspace the index looks at, at most.
MAX_FILES_LISTED = 5000


@dataclass(frozen=True)
class ConstructionSite:
    """A place that constructs a module class, and the chain that leads there."""

    kind: SiteKind
    scope: ModuleScope          # the module holding ``node``
    node: ast.AST               # the builder's ``def``, or the ``torch.jit.script(...)`` call
    via: tuple[str, ...]        # what the site calls on the way to the class: ("_resnet", "ResNet")

    @property
    def path(self) -> str:
        return self.scope.source.path

    @property
    def name(self) -> str:
        if isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return self.node.name
        return "torch.jit.script(...)"

    def describe(self) -> str:
        """``resnet18()`` in resnet.py, through ``_resnet`` and ``ResNet``."""
        where = os.path.basename(self.path)
        head = f"{self.name}()" if self.kind == "builder" else f"torch.jit.script(...) at {where}:{self.node.lineno}"
        chain = f", through {', '.join(f'`{v}`' for v in self.via)}" if self.via else ""
        return (f"`{head}` in {where}" if self.kind == "builder" else f"`{head}`") + chain


class ConstructionIndex:
    """See the module docstring. ``read(path)`` gives a file's text (an open buffer first)."""

    def __init__(self, folders: Iterable[str], read: Callable[[str], str | None]) -> None:
        self.folders = [os.path.abspath(f) for f in folders]
        self._read = read
        self._texts: dict[str, tuple[tuple[int, int], str | None]] = {}
        self._listings: dict[tuple[str, ...], list[str]] = {}
        self._mentions: dict[tuple[str, str], tuple[str, bool]] = {}   # (path, word) -> (the text read, answer)
        self._stats: dict[str, tuple[int, int] | None] = {}   # path -> (mtime, size), this analysis

    # --- the public question -------------------------------------------------------------------

    def sites_of(self, world: PyWorld, cls: ClassRef) -> Iterator[ConstructionSite]:
        """The places that construct ``cls``, best first, found lazily: a caller that
        takes the first workable one parses no more files than that needs."""
        folders = self.folders_for(cls.scope)
        seen: set[int] = set()
        searches = (lambda: _Search(self, world, folders).script_calls(cls),
                    lambda: _Search(self, world, folders, only=cls.scope).sites(cls),
                    lambda: _Search(self, world, folders).sites(cls))
        for search in searches:
            for site in search():
                if id(site.node) not in seen:
                    seen.add(id(site.node))
                    yield site

    def subclasses_of(self, world: PyWorld, cls: ClassRef) -> Iterator[ClassRef]:
        """Top-level classes of the searched files that derive from ``cls`` directly
        (``class FasterRCNN(GeneralizedRCNN)``): a class built only as the base of others."""
        name = cls.node.name
        search = _Search(self, world, self.folders_for(cls.scope))
        for count, path in enumerate(self.files_mentioning(search.folders, name)):
            if count >= MAX_FILES:
                return
            scope = search._scope(path)
            if scope is None or scope.tree is None:
                continue
            for stmt in scope.tree.body:
                if isinstance(stmt, ast.ClassDef) and stmt is not cls.node and any(
                        _name_of(b) == name and _same(scope.evaluate(b), cls) for b in stmt.bases):
                    yield ClassRef(scope, stmt, stmt.name)

    def held_by_module(self, world: PyWorld, cls: ClassRef, is_module: Callable[[ClassRef], bool]) -> str | None:
        """A module class whose method stores an instance of the plain class ``cls`` in an attribute
        (``self.box_coder = det_utils.BoxCoder(...)``), which makes torch compile ``cls`` when it
        scripts that module: its name, or None. Configuration objects passed around by helpers
        do not count."""
        name = cls.node.name
        search = _Search(self, world, self.folders_for(cls.scope))
        for count, path in enumerate(self.files_mentioning(search.folders, name)):
            if count >= MAX_FILES:
                return None
            scope = search._scope(path)
            if scope is None or scope.tree is None:
                continue
            for function, owner in _functions(scope.tree):
                if owner is None or not _spells(scope, function, name):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                            and any(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                                    and t.value.id == "self" for t in node.targets) \
                            and _name_of(node.value.func) == name and _same(scope.evaluate(node.value.func), cls) \
                            and is_module(ClassRef(scope, owner, owner.name)):
                        return owner.name
        return None

    # --- files ---------------------------------------------------------------------------------

    def folders_for(self, scope: ModuleScope) -> list[str]:
        """The top-level package holding ``scope``, then the workspace folders. torch's own
        package is never searched: what torch builds of its own layers (quantization,
        fusion) is no user's construction, and it holds thousands of files."""
        out: list[str] = []
        top_name = scope.module_name.split(".")[0]
        top = self._package_dir(scope)
        if top is not None and top_name != "torch":
            out.append(top)
        for folder in self.folders:
            if top_name == "torch" and top is not None and (folder == top or folder.startswith(top + os.sep)):
                continue
            if os.path.basename(folder) in ("site-packages", "dist-packages"):
                continue   # every installed package: only the class's own is searched (above)
            if not any(folder == o or folder.startswith(o + os.sep) for o in out):
                out.append(folder)
        return out

    @staticmethod
    def _package_dir(scope: ModuleScope) -> str | None:
        directory = os.path.dirname(os.path.abspath(scope.source.path))
        for _ in range(scope.module_name.count(".") - (0 if scope.is_package else 1)):
            directory = os.path.dirname(directory)
        top = scope.module_name.split(".")[0]
        if os.path.basename(directory) != top:
            return None
        init = os.path.join(directory, "__init__.py")
        found = os.path.isfile(init)
        read_log.note_is_file(init, found)
        return directory if found else None

    def begin_analysis(self) -> None:
        """Files on disk are taken as they are when an analysis starts: each is looked at once
        per analysis, however many questions read it (an edit's analysis asks dozens)."""
        self._stats.clear()

    def forget(self) -> None:
        """Files may have appeared or gone: list the folders again."""
        self._listings.clear()
        self._mentions.clear()

    def files_mentioning(self, folders: list[str], word: str) -> Iterator[str]:
        """Files whose text uses ``word`` as a call, an argument or an item (not only in prose).
        Where the word is in a file on disk, the answer is kept per file and word while its
        text stays the one read (every edit asks again of every file of the package; kept only
        there, the answers stay as few as the files that spell the word); an open buffer is
        always asked anew."""
        for path in self._files(folders):
            text = self.text(path)
            if text is None or word not in text:
                continue
            if text is not self._texts.get(path, (None, None))[1]:   # an open buffer: asked anew
                if used_as_value(text, word):
                    yield path
                continue
            known = self._mentions.get((path, word))
            if known is None or known[0] is not text:
                known = self._mentions[(path, word)] = (text, used_as_value(text, word))
            if known[1]:
                yield path

    def files_containing(self, folders: list[str], needles: tuple[str, ...]) -> Iterator[str]:
        """Files whose text holds any of ``needles`` (a custom operator's namespace as a string)."""
        for path in self._files(folders):
            text = self.text(path)
            if text is not None and any(n in text for n in needles):
                yield path

    def listing(self, folders: list[str]) -> list[str]:
        """The files searched under ``folders`` (listed once, until :meth:`forget`)."""
        return self._files(folders)

    def _files(self, folders: list[str]) -> list[str]:
        key = tuple(folders)
        found = self._listings.get(key)
        if found is None:
            found = self._listings[key] = list(itertools.islice(_python_files(folders), MAX_FILES_LISTED))
        read_log.note_listing(key, found)
        return found

    def text(self, path: str) -> str | None:
        buffered = self._read(path)
        if buffered is not None:
            read_log.note_text(path, buffered, None, read_log.INDEX)
            return buffered
        if path not in self._stats:
            try:
                st = os.stat(path)
                self._stats[path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                self._stats[path] = None
        key = self._stats[path]
        if key is None:
            read_log.note_is_file(path, False)
            return None
        cached = self._texts.get(path)
        if cached is None or cached[0] != key:
            cached = self._texts[path] = (key, read_index_text(path))
        read_log.note_text(path, cached[1], key, read_log.INDEX)
        return cached[1]


def used_as_value(text: str, word: str) -> bool:
    """Whether ``text`` has ``word`` at a word boundary followed, after any spaces, by ``(``,
    ``,``, ``)`` or ``]`` -- what ``re.search(rf"\\b{word}\\s*[(,)\\]]", text)`` finds for an
    identifier, ~9x faster (``str.find`` skips ahead; the regex tries every position)."""
    n, end = len(word), len(text)
    start = text.find(word)
    while start != -1:
        before = text[start - 1] if start else " "
        if not (before.isalnum() or before == "_"):
            i = start + n
            while i < end and text[i].isspace():
                i += 1
            if i < end and text[i] in "(,)]":
                return True
        start = text.find(word, start + 1)
    return False


def read_index_text(path: str) -> str | None:
    """A file's text as the index reads it (None: not readable)."""
    from ..sources import UnreadableSource, read_source_text

    try:
        return read_source_text(path)
    except UnreadableSource:
        return None


class _Search:
    """One question to the index, within one module world."""

    def __init__(self, index: ConstructionIndex, world: PyWorld, folders: list[str], *,
                 only: ModuleScope | None = None) -> None:
        self.index = index
        self.world = world
        self.folders = folders
        self.only = only           # search this module alone (the class's own file first)
        self._scopes: dict[str, ModuleScope | None] = {}
        self._seen: set[int] = set()

    def sites(self, cls: ClassRef) -> Iterator[ConstructionSite]:
        yield from self._constructors(cls, cls.node.name, (), 0)

    def script_calls(self, cls: ClassRef) -> Iterator[ConstructionSite]:
        name = cls.node.name
        spelled = re.compile(rf"script\s*\((?:[\w.]*\.)?{re.escape(name)}\s*\(")
        for path in self.index.files_mentioning(self.folders, name):
            text = self.index.text(path) or ""
            if "script" in text and spelled.search(text):
                scope = self._scope(path)
                if scope is not None:
                    yield from self._script_calls(scope, name, cls, ())

    def _constructors(self, target: ClassRef | FunctionRef, name: str, via: tuple[str, ...],
                      depth: int) -> Iterator[ConstructionSite]:
        """Breadth first: builders that name ``target`` themselves before those that reach it
        through a helper or a parent class."""
        level = [(target, name, via)]
        for _ in range(MAX_DEPTH + 1):
            following: list[tuple[ClassRef | FunctionRef, str, tuple[str, ...]]] = []
            for target, name, via in level:
                if id(target.node) in self._seen:
                    continue
                self._seen.add(id(target.node))
                for scope in self._scopes_mentioning(name):
                    for function, owner in _functions(scope.tree):
                        if not _spells(scope, function, name) or not _refers_to(scope, function, name, target):
                            continue
                        if owner is None and _callable_without_arguments(function):
                            yield ConstructionSite("builder", scope, function, via)
                        elif owner is None:     # a helper: whoever calls it
                            following.append((FunctionRef(scope, function, function.name), function.name,
                                              (function.name, *via)))
                        else:                   # a method of a class: whoever constructs the class
                            following.append((ClassRef(scope, owner, owner.name), owner.name, (owner.name, *via)))
            level = following
            if not level:
                return

    def _script_calls(self, scope: ModuleScope, name: str, target: Ref, via: tuple[str, ...]
                      ) -> Iterator[ConstructionSite]:
        if not isinstance(target, ClassRef) or scope.tree is None:
            return
        lines = [i + 1 for i, text in enumerate(scope.source.lines) if "script" in text and name in text]
        for stmt in _statements_on(scope.tree, lines):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Call) \
                        and scope.dotted_name(node.func) in _SCRIPT_CALLS:
                    callee = node.args[0].func
                    if _name_of(callee) == name and _same(scope.evaluate(callee), target):
                        yield ConstructionSite("script-call", scope, node, via)

    def _scopes_mentioning(self, name: str) -> Iterator[ModuleScope]:
        if self.only is not None:
            if self.only.tree is not None:
                yield self.only
            return
        for count, path in enumerate(self.index.files_mentioning(self.folders, name)):
            if count >= MAX_FILES:
                return
            scope = self._scope(path)
            if scope is not None and scope.tree is not None:
                yield scope

    def _scope(self, path: str) -> ModuleScope | None:
        if path not in self._scopes:
            name = module_name_for(path, self.world.search_paths)
            scope = self.world.module(name)
            self._scopes[path] = scope if scope is not None and os.path.abspath(scope.source.path) == path else None
        return self._scopes[path]


def _python_files(folders: list[str]) -> Iterator[str]:
    seen: set[str] = set()
    for folder in folders:
        for directory, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
            for f in sorted(files):
                if f.endswith(".py"):
                    path = os.path.join(directory, f)
                    if path not in seen:
                        seen.add(path)
                        yield path


def _statements_on(tree: ast.Module, lines: list[int]) -> Iterator[ast.stmt]:
    """The top-level statements spanning any of ``lines`` (1-based)."""
    for stmt in tree.body:
        first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
        if any(first <= line <= last for line in lines):
            yield stmt


def _functions(tree: ast.Module | None) -> Iterator[tuple[ast.FunctionDef, ast.ClassDef | None]]:
    """Top-level functions (owner None) and the methods of top-level classes."""
    if tree is None:
        return
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            yield stmt, None
        elif isinstance(stmt, ast.ClassDef):
            for member in stmt.body:
                if isinstance(member, ast.FunctionDef):
                    yield member, stmt


def _callable_without_arguments(fn: ast.FunctionDef) -> bool:
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    return len(a.defaults) == len(positional) and all(d is not None for d in a.kw_defaults)


def _spells(scope: ModuleScope, function: ast.FunctionDef, name: str) -> bool:
    """Whether the function's text holds ``name`` at all (cheap; most functions do not)."""
    lines = scope.source.lines[function.lineno - 1: function.end_lineno or function.lineno]
    return any(name in line for line in lines)


def _refers_to(scope: ModuleScope, function: ast.FunctionDef, name: str, target: Ref) -> bool:
    """Whether ``function`` uses ``target`` (as ``name`` or ``module.name``) in a way that may
    construct it: annotations and ``isinstance`` tests do not."""
    for node in _used_expressions(function):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            if _same(scope.lookup(name), target):
                return True
        elif (isinstance(node, ast.Attribute) and node.attr == name and isinstance(node.ctx, ast.Load)
              and _same(scope.evaluate(node), target)):
            return True
    return False


def _used_expressions(function: ast.FunctionDef) -> Iterator[ast.AST]:
    skipped: set[int] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.arg) and node.annotation is not None:
            skipped.update(id(n) for n in ast.walk(node.annotation))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            skipped.update(id(n) for n in ast.walk(node.returns))
        elif isinstance(node, ast.AnnAssign):
            skipped.update(id(n) for n in ast.walk(node.annotation))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("isinstance", "issubclass") and len(node.args) == 2:
            skipped.update(id(n) for n in ast.walk(node.args[1]))
        if id(node) not in skipped:
            yield node


def _same(found: Ref | None, target: Ref) -> bool:
    return isinstance(found, type(target)) and getattr(found, "node", None) is getattr(target, "node", None)


def _name_of(expr: ast.expr) -> str | None:
    return expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else None
