"""The import graph of ``pyjit_core`` and ``pyjit_server`` has no cycles.

The graph is read from the sources with ``ast``; nothing is imported. A node
is a module (a package is its ``__init__``); there is an edge ``a -> b`` for
every import statement in ``a`` that executes ``b``, wherever the statement
is: at module level, in a function (run on first call), in a class body.
An import of ``p.q.r`` also executes the packages ``p`` and ``p.q``, unless
they enclose the importer (then they are already being imported). A name
taken from a package that loads it lazily (a module-level ``_EXPORTS`` map
of name to submodule, read by the package's ``__getattr__``) is an edge to
the submodule that holds it.

Imports under ``if TYPE_CHECKING:`` are left out, because they never run:
``typing.TYPE_CHECKING`` is ``False`` at run time, and nothing in pyjit
shadows or sets it. The names imported so appear only in annotations, which
``from __future__ import annotations`` keeps as strings, so no code path
needs the import to have run. A cycle through one exists for a type checker
only. ``test_type_checking_imports_never_run`` checks these premises.

Dynamic imports (``importlib.import_module`` with a computed name) are not
seen; the one in ``engine.warm_up`` only loads modules ahead of time.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Import name -> folder.
PACKAGES = {"pyjit_core": ROOT / "pyjit_core", "pyjit_server": ROOT / "server"}

# Cycles allowed while the front doors (the session, the editor layer, the
# checks package, server/) are rewritten (issue 9), each written from the
# import that is to go. The test fails when one of them no longer exists, so
# the list can only shrink. Since the session work it is empty: the cycles
# analysis <-> frontend.driver and checks/__init__ <-> each check are gone.
KNOWN_FRONT_DOOR_CYCLES: list[tuple[str, ...]] = []


def module_files(packages: dict[str, Path]) -> dict[str, Path]:
    """Every module of the packages, by dotted name."""
    modules = {}
    for package, folder in packages.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join((package, *parts))] = path
    return modules


def import_graph(packages: dict[str, Path] = PACKAGES) -> dict[str, dict[str, int]]:
    """``graph[a][b]`` is the line of the first import in ``a`` that executes ``b``."""
    files = module_files(packages)
    lazy = {name: _lazy_exports(path) for name, path in files.items() if path.name == "__init__.py"}
    return {name: _imports_of(name, path, files, lazy) for name, path in files.items()}


def find_cycles(graph: dict[str, dict[str, int]], limit: int = 200) -> list[tuple[str, ...]]:
    """The elementary cycles of ``graph``, each starting at its smallest module
    (at most ``limit`` of them: a tangle is reported by its first cycles)."""
    cycles: list[tuple[str, ...]] = []
    for start in sorted(graph):
        # Only cycles whose smallest module is ``start``: each cycle is found once.
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        on_path = {start}
        while stack and len(cycles) < limit:
            _, successors = stack[-1]
            following = next(successors, None)
            if following is None:
                stack.pop()
                on_path.discard(path.pop())
            elif following == start:
                cycles.append(tuple(path))
            elif following > start and following not in on_path and following in graph:
                stack.append((following, iter(sorted(graph[following]))))
                path.append(following)
                on_path.add(following)
    return cycles


def describe_cycle(graph: dict[str, dict[str, int]], cycle: tuple[str, ...]) -> str:
    edges = zip(cycle, cycle[1:] + cycle[:1], strict=False)
    return "\n".join(f"  {a} (line {graph[a][b]}) imports {b}" for a, b in edges)


def _imports_of(module: str, path: Path, files: dict[str, Path], lazy: dict[str, dict[str, str]]) -> dict[str, int]:
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    enclosing = _with_ancestors(package)
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        # The packages enclosing the importer are being imported already.
        for executed in _with_ancestors(target)[:-1]:
            if executed in files and executed not in enclosing:
                found.setdefault(executed, line)
        if target in files and target != module:
            found.setdefault(target, line)

    for node in _executed_statements(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base is None:
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in files:
                    add(submodule, node.lineno)
                elif alias.name in lazy.get(base, {}):
                    add(f"{base}.{lazy[base][alias.name]}", node.lineno)
                else:  # a name the package's ``__init__`` (or the module) defines
                    add(base, node.lineno)
    return found


def _executed_statements(tree: ast.AST):
    """Every import statement in ``tree`` except those under ``if TYPE_CHECKING:``."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _absolute(node: ast.ImportFrom, package: str) -> str | None:
    if node.level == 0:
        return node.module
    parts = package.split(".")
    if node.level - 1 >= len(parts):
        return None
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return f"{base}.{node.module}" if node.module else base


def _with_ancestors(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _lazy_exports(path: Path) -> dict[str, str]:
    """A package's ``_EXPORTS`` literal (name -> submodule), if it has one."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "_EXPORTS" for target in node.targets):
            return _literal_string_map(node.value)
    return {}


def _literal_string_map(value: ast.expr) -> dict[str, str]:
    """A dict display of strings, with ``**{name: "mod" for name in (...)}`` spreads."""
    mapping: dict[str, str] = {}
    if not isinstance(value, ast.Dict):
        return mapping
    for key, item in zip(value.keys, value.values, strict=False):
        if key is not None:
            mapping[ast.literal_eval(key)] = ast.literal_eval(item)
        elif isinstance(item, ast.DictComp):
            names = ast.literal_eval(item.generators[0].iter)
            mapping.update(dict.fromkeys(names, ast.literal_eval(item.value)))
    return mapping


def _canonical(cycle: tuple[str, ...]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


# -- the specification ------------------------------------------------------


def test_the_graph_counts_every_import_that_runs(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("X = 1\n")
    (package / "sub" / "__init__.py").write_text(
        "_EXPORTS = {'Lazy': 'lazy', **{name: 'other' for name in ('A', 'B')}}\n")
    (package / "sub" / "lazy.py").write_text("from .. import low\n")
    (package / "sub" / "other.py").write_text("")
    (package / "high.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from .sub.other import A\n"
        "def f():\n"
        "    from .sub import Lazy\n"
        "    import pkg.low\n")
    graph = import_graph({"pkg": package})
    assert graph["pkg.high"] == {"pkg.sub": 5, "pkg.sub.lazy": 5, "pkg.low": 6}
    assert graph["pkg.sub.lazy"] == {"pkg.low": 1}
    assert find_cycles(graph) == []
    (package / "low.py").write_text("def g():\n    from .high import f\n")
    cycles = find_cycles(import_graph({"pkg": package}))
    assert cycles == [("pkg.high", "pkg.low"), ("pkg.high", "pkg.sub.lazy", "pkg.low")]


def test_type_checking_imports_never_run():
    """The premises for leaving them out of the graph (see the module docstring)."""
    for module, path in module_files(PACKAGES).items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = [n for n in ast.walk(tree) if isinstance(n, ast.If) and _is_type_checking(n.test)]
        if not guarded:
            continue
        imported_from_typing = any(
            isinstance(n, ast.ImportFrom) and n.module == "typing" and any(a.name == "TYPE_CHECKING" for a in n.names)
            for n in tree.body)
        assigned = [n for n in ast.walk(tree) if isinstance(n, (ast.Name, ast.Attribute))
                    and isinstance(n.ctx, ast.Store) and getattr(n, "id", getattr(n, "attr", "")) == "TYPE_CHECKING"]
        postponed = any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                        and any(a.name == "annotations" for a in n.names) for n in tree.body)
        assert imported_from_typing, module
        assert not assigned, module
        assert postponed, module


def test_there_are_no_import_cycles_but_the_known_front_door_ones():
    graph = import_graph()
    found = {_canonical(cycle) for cycle in find_cycles(graph)}
    known = {_canonical(cycle) for cycle in KNOWN_FRONT_DOOR_CYCLES}
    new = sorted(found - known)
    assert not new, "import cycles:\n" + "\n\n".join(describe_cycle(graph, cycle) for cycle in new)


def test_every_known_front_door_cycle_still_exists():
    graph = import_graph()
    gone = [cycle for cycle in KNOWN_FRONT_DOOR_CYCLES
            if not all(b in graph.get(a, {}) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=False))]
    assert not gone, f"no longer cycles; remove them from KNOWN_FRONT_DOOR_CYCLES: {gone}"
