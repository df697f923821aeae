"""Layering: the core is pure, the schemas know no Flask, views stay thin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = {"flask", "flask_smorest", "werkzeug", "marshmallow", "webargs", "apispec", "gunicorn"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def modules(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules("service/core"), ids=lambda p: p.name)
def test_core_imports_neither_web_nor_schema_code(path):
    assert not imported_roots(path) & (WEB | {"service", "schemas", "orjson"})


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", modules("schemas"), ids=lambda p: p.name)
def test_schemas_import_no_web_framework_and_of_the_service_only_its_pure_core(path):
    """The wire format reads the model table (service.core: pure), and nothing else of the service."""
    assert not imported_roots(path) & {"flask", "flask_smorest", "werkzeug"}
    service = {name for name in imported_modules(path) if name.split(".")[0] == "service"}
    assert all(name == "service.core" or name.startswith("service.core.") for name in service)


# The service's layers, lowest first. A module imports from its own layer and the layers below it,
# never above: lower layers raise plain errors and take what they need as arguments, the factory
# (the top) wires them together.
LAYERS = (
    "service.core",  # the scoring and its table: pure Python
    "schemas",  # the wire format, generated from the table
    "service.fhir",  # FHIR reading and writing
    "service.cds",  # CDS Hooks: discovery, bounded fetching, cards
    "service.formats",  # a renderer per output format, no web framework
    "service.population",  # scoring whole registries, outside any server
    "service.config",  # the settings, parsed and checked
    "service.ops",  # logs, metrics, the gunicorn worker
    "service.http",  # the envelope, the fast lane, bodies, the gate, problems, the contract's wiring
    "service.ops.front",  # the front's nginx.conf, from the HTTP layer's own headers and limits
    "service.ops.serve",  # the command starting the front and gunicorn together
    "service.services",  # what the views share, built by the factory
    "service.pages",  # the clinician pages
    "service.views",  # the routes
    "service",  # the factory (service/__init__.py): the only module that sees every layer
)
LAYERED = modules("service") + modules("schemas")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """The index of a module's layer in LAYERS (its longest matching package), or None."""
    found = [i for i, name in enumerate(LAYERS) if module == name or module.startswith(f"{name}.")]
    return max(found, key=lambda i: len(LAYERS[i]), default=None)


def upward(source: str, module: str, package: bool = False) -> list[str]:
    """The modules `source` (the code of `module`) imports from a layer above its own."""
    own = layer_of(module)
    assert own is not None, f"{module} is in no layer: add its package to LAYERS"
    home = module.split(".") if package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(home[: len(home) - node.level + 1]) if node.level else ""
            stem = ".".join(part for part in (base, node.module or "") if part)
            names = [stem] if node.module else [f"{stem}.{alias.name}" for alias in node.names]
        found += [name for name in names if (layer_of(name) or -1) > own]
    return found


@pytest.mark.parametrize("path", LAYERED, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_only_point_down_the_layers(path):
    name = module_name(path)
    assert name == "service" or LAYERS[layer_of(name) or 0] != "service", f"{name}: add its package to LAYERS"
    assert upward(path.read_text(encoding="utf-8"), name, path.name == "__init__.py") == []


def test_the_layer_check_can_fail():
    assert upward("from ..http.body import JSON", "service.cds.gather") == ["service.http.body"]
    assert upward("from ..config import ConfigError", "service.cds.wiring") == ["service.config"]
    assert upward("from service.services import services", "service.http.api") == ["service.services"]
    assert upward("from . import config", "service", package=True) == []  # the factory sees all
    assert upward("from ..core import Model\nfrom .cards import cards", "service.cds.respond") == []


# Where the committed model table and the FHIR code table are loaded: the factory, for the app it
# builds; the wire format, whose schemas (and the contract made from them) are the committed table's
# (the factory's model is that same object: tests/test_factory.py); and the population commands, a
# program of their own that builds no app and scores with the committed table as the service does.
LOADERS = {"default_model", "load_terminology"}
LOADED_IN = ("service/__init__.py", "schemas/patient.py", "service/population/")


def loads_a_table(source: str) -> bool:
    calls = [node.func for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    return any(getattr(func, "id", getattr(func, "attr", None)) in LOADERS for func in calls)


@pytest.mark.parametrize("path", LAYERED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_loads_the_model_or_the_terminology_behind_the_factory(path):
    if not str(path.relative_to(ROOT)).startswith(LOADED_IN):
        assert not loads_a_table(path.read_text(encoding="utf-8"))


def test_the_table_loading_check_can_fail():
    assert loads_a_table("from ..core import default_model\nMODEL = default_model()")
    assert loads_a_table("terms = fhir.load_terminology()")
    assert not loads_a_table("from ..core import Model")


@pytest.mark.parametrize("path", modules("service/population"), ids=lambda p: p.name)
def test_population_imports_no_web_framework_and_of_the_service_only_the_core_fhir_and_formats(path):
    """The population commands run where no server does (a registry's machine, a Spark executor): they
    read patients through the wire format's loader (schemas: no web framework, tested above) and the
    FHIR reader, score with the core, write CSV with the formats' renderer, and import nothing of the
    HTTP service."""
    assert not imported_roots(path) & {"flask", "flask_smorest", "werkzeug", "gunicorn"}
    service = {name for name in imported_modules(path) if name.split(".")[0] == "service"}
    allowed = ("service.core", "service.fhir", "service.formats", "service.population")
    assert all(name in allowed or name.startswith(tuple(f"{a}." for a in allowed)) for name in service)


@pytest.mark.parametrize("package", ["service/fhir", "service/formats"])
def test_what_the_population_commands_import_imports_no_web_framework(package):
    """extract-fhir reads bundles with the endpoint's own reader, and the scores' CSV is written by the
    formats' renderer, outside any server."""
    for path in modules(package):
        assert not imported_roots(path) & {"flask", "flask_smorest", "werkzeug", "gunicorn"}, path.name


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 200, 40
CODE = modules("service") + modules("schemas") + modules("tools")
# The module length is a guideline (a module that reads at once), not a reason to split one idea across
# files: these modules hold one idea that reads better whole, each with its reason. Functions stay short.
LONGER = {
    "service/pages/card.py": "the model card: one document, its sections in the card's order",
}


def oversized(source: str, longer: bool = False) -> list[str]:
    """The reasons a module is too big to read at once: its length (unless it is `longer`, allowed to
    be), or a function's."""
    found = []
    if len(source.splitlines()) > MAX_MODULE_LINES and not longer:
        found.append(f"{len(source.splitlines())} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{node.name} has {length} lines")
    return found


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_open_with_a_docstring_and_stay_small(path):
    source = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{path.name} has no module docstring"
    assert not oversized(source, str(path.relative_to(ROOT)) in LONGER)


def test_the_size_check_can_fail():
    body = "\n".join(f"    x = {n}" for n in range(MAX_FUNCTION_LINES))
    assert oversized(f"def long():\n{body}\n") == [f"long has {MAX_FUNCTION_LINES + 1} lines"]
    assert oversized("x = 1\n" * (MAX_MODULE_LINES + 1)) == [f"{MAX_MODULE_LINES + 1} lines"]
    assert oversized("x = 1\n" * (MAX_MODULE_LINES + 1), longer=True) == []
    assert oversized(f"def long():\n{body}\n", longer=True) != []  # a long module's functions stay short


@pytest.mark.parametrize("name", sorted(LONGER))
def test_the_longer_modules_are_longer_and_say_why(name):
    """An entry whose module shrank under the guideline, or is gone, leaves the list."""
    path = ROOT / name
    assert path.is_file() and len(path.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES
    assert LONGER[name].strip()


@pytest.mark.parametrize("path", modules("service/views"), ids=lambda p: p.name)
def test_views_are_thin(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            lines = body[-1].end_lineno - body[0].lineno + 1
            assert lines <= 15, f"{node.name} has {lines} lines"


def test_module_names_do_not_collide():
    """One name, one module: a newcomer searching for `cds.py` finds one file."""
    names = [p.name for p in CODE if p.name not in {"__init__.py", "__main__.py"}]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


def test_the_top_of_the_service_shows_its_plan():
    """At most four loose modules beside the packages (http, ops, core, fhir, cds, views, pages: the
    clinician pages' logic, templates and assets, whose views are thin like the others; formats: a
    renderer per output format; and population: the command-line scoring and validation of whole
    registries)."""
    loose = sorted(p.name for p in (ROOT / "service").glob("*.py"))
    assert len(loose) <= 4, loose
    packages = {p.parent.name for p in (ROOT / "service").glob("*/__init__.py")}
    assert packages == {"http", "ops", "core", "fhir", "cds", "views", "pages", "formats", "population"}


MIRRORED = ("core", "fhir")  # the packages whose every module has its own test file


@pytest.mark.parametrize(
    "path",
    [p for package in MIRRORED for p in modules(f"service/{package}") if p.name != "__init__.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_each_module_has_its_own_test_file(path):
    mirror = ROOT / "tests" / path.parent.name / f"test_{path.name}"
    assert mirror.is_file(), f"{path.relative_to(ROOT)} has no {mirror.relative_to(ROOT)}"


def test_no_file_points_outside_the_repository():
    """What the project needs to say, it says in its own docs: no link to a sibling folder."""
    skipped = {".venv", ".git", "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
    tracked = [p for p in ROOT.rglob("*") if p.is_file() and not skipped & set(p.parts)]
    texts = [p for p in tracked if p.suffix in {".py", ".md", ".yaml", ".yml", ".toml", ".cfg", ".txt", ""}]
    outside = "../" + "shared"  # spelled in two parts so this file does not match itself
    assert [
        str(p.relative_to(ROOT)) for p in texts if outside in p.read_text(encoding="utf-8", errors="ignore")
    ] == []
