"""The apps import one another in one direction only.

lib ← privacy ← notifications ← accounts ← network ← directory ← intake, following
← founding ← companion ← workspace / api: an app imports only from apps to its left
(plus Django and third-party packages); apps of one rank do not import each other.
`cerchio` (settings, urls) may import anything. Tests and migrations do not count;
management commands count as their app.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    ["lib"],
    ["privacy"],
    ["notifications"],
    ["accounts"],
    ["network"],
    ["directory"],
    ["intake", "following"],
    ["founding"],
    ["companion"],
    ["workspace", "api"],
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
APPS = [app for app in RANK if (ROOT / app).is_dir()]


def _app_of(module: str) -> str | None:
    head = module.split(".", 1)[0]
    return head if head in RANK or head == "cerchio" else None


def _imports(path: Path, package: str):
    """(line, module) of every import in a file, module-level and inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                yield node.lineno, ".".join([*base, node.module] if node.module else base)
            elif node.module:
                yield node.lineno, node.module


def _source_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def app_imports() -> list[tuple[str, str, str]]:
    """(importing app, imported app, "file:line") for every import across apps."""
    found = []
    for app in [*APPS, "cerchio"]:
        for path in _source_files(app):
            relative = path.relative_to(ROOT)
            package = ".".join(relative.with_suffix("").parts[:-1])
            for line, module in _imports(path, package):
                target = _app_of(module)
                if target is not None and target != app:
                    found.append((app, target, f"{relative}:{line} imports {module}"))
    return found


def test_the_walk_sees_the_apps_and_their_imports():
    edges = app_imports()
    assert {"lib", "privacy", "accounts", "network", "directory", "workspace", "api"} <= set(APPS)
    assert any(source == "directory" and target == "network" for source, target, _ in edges)
    assert any(source == "network" and target == "accounts" for source, target, _ in edges)


def test_no_app_imports_an_app_to_its_right():
    wrong = [
        where
        for source, target, where in app_imports()
        if source != "cerchio" and (target == "cerchio" or RANK[target] >= RANK[source])
    ]
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_app_graph_has_no_cycle():
    graph: dict[str, set[str]] = {}
    where: dict[tuple[str, str], str] = {}
    for source, target, place in app_imports():
        graph.setdefault(source, set()).add(target)
        where.setdefault((source, target), place)

    def cycle_from(start, node, path, seen):
        for following in sorted(graph.get(node, ())):
            if following == start:
                return [*path, following]
            if following not in seen:
                seen.add(following)
                found = cycle_from(start, following, [*path, following], seen)
                if found:
                    return found
        return None

    for app in sorted(graph):
        cycle = cycle_from(app, app, [app], {app})
        if cycle:
            steps = [where[(a, b)] for a, b in zip(cycle, cycle[1:], strict=False)]
            raise AssertionError(f"import cycle {' → '.join(cycle)}:\n" + "\n".join(steps))
