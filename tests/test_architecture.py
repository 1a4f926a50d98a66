"""The portal's layers (README, "Architecture"), checked on the source itself.

Every hand-written module is parsed (not imported) and its imports of project modules are
collected, those inside functions included: an import that runs late still ties two
modules together. Only imports under `if TYPE_CHECKING:` are left out. Two rules follow:

- a module imports only its own app or apps of a lower layer; among the domain apps, the
  modules that hold rules (models, selectors, services, querysets, tasks) import only the
  domain apps below theirs, while their pages and admin (views, forms, admin, urls, api)
  may read any domain app;
- no two modules import each other, directly or round a loop.

A new top-level package must be given its layer in LAYERS before this test passes."""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Not hand-written, or not part of the running portal's code.
SKIPPED_DIRECTORIES = {"migrations", "tests", ".venv", "node_modules", "__pycache__", "var", ".git"}
SKIPPED_PATHS = {Path("data/neaspec/build")}

LAYERS = {
    "common": 1,
    "governance": 2,
    "protected_areas": 3,
    "species": 3,
    "projects": 3,
    "meetings": 3,
    "programme": 3,
    "monitoring": 3,
    "dashboards": 4,
    "maps": 4,
    "dataset": 4,
    "api": 4,
    # Above the map: its collections are read through maps.selectors.
    "opendata": 5,
    "imports": 4,
    "portal": 5,
    "neaspec_portal": 6,
    # Tools around the portal: they may use all of it, and nothing uses them.
    "bench": 7,
    "scripts": 7,
    "manage": 7,
}
# Within layer 3, lowest first.
DOMAIN_ORDER = ["protected_areas", "species", "projects", "meetings", "programme", "monitoring"]
# The modules of a domain app that hold its rules (`models.py` or a `models/` package…).
RULE_MODULES = {"models", "selectors", "services", "querysets", "tasks"}

# Known offenders, each with the branch or follow-up that removes it (the test below fails
# once an exception no longer occurs, so that it is deleted here):
# (importing file, imported module).
ALLOWED_LAYER_VIOLATIONS: set[tuple[str, str]] = {
    # A species' page prefetches its projects; to go the way protected areas went (a
    # projects selector called from the view).
    ("species/selectors.py", "projects.models"),
    # Follow-up outside issue 9's branches: the map benchmark's command reads the benchmark
    # database settings of bench/, the tools' layer.
    ("maps/management/commands/generate_map_benchmark.py", "bench.database"),
}
# Known import loops, as the set of modules on the loop.
ALLOWED_CYCLES: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the project root
    line: int
    module: str  # the project module imported

    def __str__(self):
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRECTORIES.intersection(relative.parts[:-1]):
            continue
        if any(relative.is_relative_to(skipped) for skipped in SKIPPED_PATHS):
            continue
        yield path


MODULES = {module_name(path): path for path in source_files()}
PACKAGES = {name for name, path in MODULES.items() if path.name == "__init__.py"}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _project_module(dotted: str) -> str | None:
    """The deepest project module that `dotted` names (`a.b.function` → `a.b`)."""
    parts = dotted.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def imports_of(name: str) -> list[Import]:
    path = MODULES[name]
    relative = str(path.relative_to(ROOT))
    package = name if name in PACKAGES else name.rpartition(".")[0]
    found = {}
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), relative)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            module = _project_module(target)
            if module is not None and module != name:
                found.setdefault((node.lineno, module), Import(relative, node.lineno, module))
    return list(found.values())


IMPORTS = {name: imports_of(name) for name in MODULES}


def app_of(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


def is_rule_module(module: str) -> bool:
    return bool(RULE_MODULES.intersection(module.split(".")[1:]))


def breaks_layers(importer: str, imported: str) -> bool:
    own, other = app_of(importer), app_of(imported)
    if own == other:
        return False
    if LAYERS[other] != LAYERS[own]:
        return LAYERS[other] > LAYERS[own]
    if own in DOMAIN_ORDER and other in DOMAIN_ORDER:
        upward = DOMAIN_ORDER.index(other) > DOMAIN_ORDER.index(own)
        return upward and is_rule_module(importer)
    return True


def test_every_top_level_package_has_a_layer():
    unplaced = sorted({app_of(name) for name in MODULES} - LAYERS.keys())
    assert not unplaced, f"Give these a layer in LAYERS (and the README): {unplaced}"


def layer_violations() -> list[Import]:
    return [
        found
        for name, imports in IMPORTS.items()
        for found in imports
        if app_of(name) in LAYERS
        and app_of(found.module) in LAYERS
        and breaks_layers(name, found.module)
    ]


def test_modules_import_only_their_own_app_and_lower_layers():
    offenders = [
        found
        for found in layer_violations()
        if (found.path, found.module) not in ALLOWED_LAYER_VIOLATIONS
    ]
    assert not offenders, "Imports against the layers:\n" + "\n".join(map(str, offenders))


def import_cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    graph = {name: sorted({found.module for found in imports}) for name, imports in IMPORTS.items()}
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                lowlink[node] = min(lowlink[node], lowlink[successor])
            elif successor in on_stack:
                lowlink[node] = min(lowlink[node], index[successor])
        if lowlink[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return components


def _describe(cycle: list[str]) -> str:
    members = set(cycle)
    edges = [str(found) for name in cycle for found in IMPORTS[name] if found.module in members]
    return " / ".join(cycle) + "\n    " + "\n    ".join(edges)


def test_no_import_loop_between_modules():
    cycles = [c for c in import_cycles() if frozenset(c) not in ALLOWED_CYCLES]
    assert not cycles, "Import loops:\n" + "\n".join(map(_describe, cycles))


def test_every_allowed_exception_still_occurs():
    """An exception that no longer occurs is deleted, so it cannot come back unseen."""
    violations = {(found.path, found.module) for found in layer_violations()}
    cycles = {frozenset(cycle) for cycle in import_cycles()}
    stale = sorted(ALLOWED_LAYER_VIOLATIONS - violations) + sorted(
        sorted(cycle) for cycle in ALLOWED_CYCLES - cycles
    )
    assert not stale, f"Delete from ALLOWED_LAYER_VIOLATIONS / ALLOWED_CYCLES: {stale}"
