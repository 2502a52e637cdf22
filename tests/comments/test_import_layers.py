"""
Imports in the comments app run one way, from the models up to the views:
a module imports only modules of a lower layer, and no module hides a cycle
behind an import inside a function (task bodies excepted: they import the
service they run, which enqueues them).
"""

import ast
from pathlib import Path

import comments

APP = Path(comments.__file__).parent

LAYERS = [
    {"comments.models"},
    {"comments.tally"},
    {
        "comments.spam",
        "comments.network",
        "comments.visitors",
        "comments.tokens",
        "comments.cookies",
        "comments.forms",
        "comments.checks",
        "comments.selectors.reader",
        "comments.selectors.moderator",
        "comments.selectors.personal_data",
    },
    {"comments.tasks"},
    {"comments.notifications", "comments.emails"},
    {"comments.moderation"},
    {"comments.services.rules"},
    {"comments.services.checking"},
    {
        "comments.services.submit",
        "comments.services.editing",
        "comments.services.reporting",
        "comments.services.retention",
    },
    {"comments.services.personal_data"},
]
TOP = len(LAYERS)  # views, admin, template tags, commands


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    return next((i for i, layer in enumerate(LAYERS) if module in layer), TOP)


def _sources() -> dict[str, ast.Module]:
    """Every module of the app but migrations and packages' __init__."""
    return {
        _module_name(path): ast.parse(path.read_text())
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts and path.name != "__init__.py"
    }


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module:
        names = [node.module]
        names += [f"{node.module}.{alias.name}" for alias in node.names]
        return [n for n in names if n.startswith("comments")]
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("comments")]
    return []


def test_the_layers_name_every_module_that_exists():
    modules = set(_sources())
    named = set().union(*LAYERS)

    assert named <= modules
    assert "comments.views" in modules and _layer("comments.views") == TOP


def test_every_module_level_import_points_down():
    sources = _sources()
    modules = set(sources)
    upward = []
    for module, tree in sources.items():
        for node in tree.body:
            for name in _imported(node):
                if name not in modules or name == module or _layer(module) == TOP:
                    continue
                if _layer(name) >= _layer(module):
                    upward.append(f"{module} imports {name}")
    assert upward == []


def test_only_task_bodies_import_inside_functions():
    inside = []
    for module, tree in _sources().items():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if _imported(node) and module not in (
                    "comments.tasks",
                    "comments.apps",
                ):
                    inside.append(f"{module}.{func.name}")
    assert inside == []
