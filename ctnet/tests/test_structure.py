"""The shape of the code, enumerated (issue 11): rules that docs/architecture.md states for the
whole tree are checked here over every module, so a sentence there that says "every" or "no"
stays true.

The checks read the source with ``ast``; they import nothing of what they check.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from ctnet.core.capabilities import CapabilityConfig, capabilities
from ctnet.core.policy import BasePolicy

PACKAGE = Path(__file__).resolve().parent.parent
CORE = PACKAGE / "core"

MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 600


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    name = ".".join(parts)
    return name.removesuffix(".__init__")


def python_files(under: Path = PACKAGE) -> Iterator[Path]:
    yield from sorted(under.rglob("*.py"))


def outside_engines(path: Path) -> bool:
    rel = path.relative_to(PACKAGE).parts
    return "engine" not in rel and "migrations" not in rel


@cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def capability_labels() -> list[str]:
    return sorted(config.label for config in capabilities())


def runtime_imports(tree: ast.Module) -> Iterator[tuple[ast.stmt, str]]:
    """Every ``import`` of the module, at any depth, except those under ``if TYPE_CHECKING``."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node, node.module
            for alias in node.names:
                yield node, f"{node.module}.{alias.name}"


# --- Core is a base ---------------------------------------------------------------------------


def test_every_installed_ctnet_app_but_core_is_a_capability() -> None:
    from django.apps import apps

    ours = {c.label for c in apps.get_app_configs() if c.name.startswith("ctnet.")}
    assert ours - {"core", "specimens"} == set(capability_labels())
    assert all(isinstance(c, CapabilityConfig) for c in capabilities())


def test_core_imports_no_capability() -> None:
    labels = capability_labels()
    offenders = []
    for path in python_files(CORE):
        for node, name in runtime_imports(parsed(path)):
            if any(
                name == f"ctnet.{label}" or name.startswith(f"ctnet.{label}.") for label in labels
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {name}")
    # The TYPE_CHECKING imports are skipped above; core has none of a capability either.
    for path in python_files(CORE):
        text = path.read_text(encoding="utf-8")
        for label in labels:
            if re.search(rf"\bctnet\.{label}\b", text):
                offenders.append(f"{path.relative_to(PACKAGE)} names ctnet.{label}")
    assert offenders == []


# Shared vocabulary that a capability's enum may repeat without core naming that capability: the
# UN languages (settings), core's expertise topics (``core.topics``), and plain words that core
# uses for its own ends: "message", a template context key of the error pages (also a kind of
# exchange reply); "text", a format key of the picker's messages, and "multiple", an HTML
# attribute of its widget (also consultations' question kinds); "open", the picker-free POST
# field of the notification page's "Open" button (also a coordination need's status).
SHARED_WORDS = {"message", "text", "multiple", "open"}


def core_vocabulary() -> set[str]:
    from django.conf import settings

    from ctnet.core.topics import TOPICS

    values = {
        str(value)
        for name in ("ctnet.core.models", "ctnet.core.roles", "ctnet.core.markings")
        for obj in vars(importlib.import_module(name)).values()
        if isinstance(obj, type) and issubclass(obj, models.Choices)
        for value in obj.values
    }
    languages = {code for code, _name in settings.LANGUAGES}
    return values | languages | {c.split("-")[0] for c in languages} | set(TOPICS) | SHARED_WORDS


def capability_choice_values() -> dict[str, str]:
    """Every value of every choices enum a capability defines (value -> where), minus core's."""
    core_values = core_vocabulary()
    values = {}
    for label in capability_labels():
        for path in python_files(PACKAGE / label):
            if not outside_engines(path) or "tests" in path.parts:
                continue
            module = importlib.import_module(module_name(path))
            for obj in vars(module).values():
                if (
                    isinstance(obj, type)
                    and issubclass(obj, models.Choices)
                    and obj.__module__ == module.__name__
                ):
                    for value in obj.values:
                        if isinstance(value, str) and str(value) not in core_values:
                            values[str(value)] = f"{module.__name__}.{obj.__name__}"
    return values


def test_core_names_no_capability_value() -> None:
    """No string literal in core's code is one of a capability's choice values (statuses,
    audiences, categories ...): such a rule belongs in that capability's policy."""
    values = capability_choice_values()
    assert len(values) > 50  # the enumeration found the capabilities' vocabularies
    offenders = []
    for path in python_files(CORE):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(parsed(path)):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in values
            ):
                offenders.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r} "
                    f"({values[node.value]})"
                )
    assert offenders == []


def capability_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, inside: bool) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                module = getattr(p.urlconf_module, "__name__", "")
                walk(p.url_patterns, inside or module.split(".")[1:2] != ["core"])
            elif isinstance(p, URLPattern) and p.name and inside:
                names.add(p.name)

    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            module = getattr(p.urlconf_module, "__name__", "")
            parts = module.split(".")
            if len(parts) > 1 and parts[1] in capability_labels():
                walk(p.url_patterns, True)
    return names


def test_core_templates_name_no_capability_page() -> None:
    names = capability_url_names()
    assert {"directory", "screening", "exchange"} <= names  # the enumeration reached them
    offenders = []
    for path in sorted((CORE / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"{%\s*url\s+['\"]([\w:-]+)['\"]", text):
            if match.group(1) in names:
                offenders.append(f"{path.name}: url {match.group(1)}")
        for label in capability_labels():
            if re.search(rf"{{%\s*load\s+[^%]*\b{label}_", text):
                offenders.append(f"{path.name}: loads {label}'s tags")
    assert offenders == []


@pytest.mark.parametrize(
    "label",
    [
        "directory",
        "practices",
        "hashes",
        "exchange",
        "screening",
        "coordination",
        "consultations",
        "monitoring",
    ],
)
def test_capability_has_its_own_policy(label: str) -> None:
    assert label in capability_labels()
    module = importlib.import_module(f"ctnet.{label}.policy")
    policy = module.policy
    assert isinstance(policy, BasePolicy)
    assert type(policy) is not BasePolicy
    assert type(policy).__module__ == module.__name__


def test_every_capability_is_listed_in_the_policy_test() -> None:
    # The parametrised test above names them; a new capability must join it.
    assert capability_labels() == sorted(
        [
            "directory",
            "practices",
            "hashes",
            "exchange",
            "screening",
            "coordination",
            "consultations",
            "monitoring",
        ]
    )


def test_capability_modules_use_their_own_policy() -> None:
    """Outside core, ``from ctnet.core.policy import policy`` is core's decisions only: a
    capability asks its own policy (which inherits the base)."""
    offenders = []
    for label in capability_labels():
        for path in python_files(PACKAGE / label):
            for node in ast.walk(parsed(path)):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "ctnet.core.policy"
                    and any(a.name == "policy" for a in node.names)
                ):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


# --- Sizes --------------------------------------------------------------------------------------


def test_no_function_over_80_lines_outside_engines() -> None:
    long = []
    for path in python_files():
        if not outside_engines(path):
            continue
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} {length}")
    assert long == []


def test_no_module_over_600_lines_outside_engines() -> None:
    big = []
    for path in python_files():
        if outside_engines(path):
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > MAX_MODULE_LINES:
                big.append(f"{path.relative_to(PACKAGE)} {lines}")
    assert big == []


# --- Typed requests, rate limits, cycles --------------------------------------------------------


def test_no_type_ignore_on_an_acting_user() -> None:
    offenders = []
    for path in python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore[arg-type]" in line and (
                "request.user" in line or "acting_user" in line
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert offenders == []


def test_rate_limit_rules_live_in_one_table() -> None:
    from ctnet import ratelimits
    from ctnet.core.ratelimit import Rule

    table = [v for v in vars(ratelimits).values() if isinstance(v, Rule)]
    assert len({r.name for r in table}) == len(table)  # every name once
    assert set(ratelimits.ALL_RULES) == set(table)
    offenders = []
    for path in python_files():
        if path.name == "ratelimits.py" or "tests" in path.parts:
            continue
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Call):
                func = ast.unparse(node.func)
                if func == "Rule" or func.endswith(".Rule"):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def import_graph() -> dict[str, set[str]]:
    """Module -> the ctnet modules it imports at run time (at any depth, lazy ones included)."""
    files = {module_name(p): p for p in python_files() if "tests" not in p.parts}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for _node, target in runtime_imports(parsed(path)):
            while target and target not in files:
                target = target.rpartition(".")[0]
            if target and target != name and target != "ctnet":
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_even_through_lazy_imports() -> None:
    """A function-level import that only dodges a cycle still is one: services that enqueue
    notices and jobs that call services are separate modules."""
    assert cycles(import_graph()) == []


def test_pages_and_api_never_import_each_other() -> None:
    """STYLE.md 14: a page module and an API module both call access, services and presenters;
    neither imports the other."""

    def kind(module: str) -> str | None:
        parts = module.split(".")
        if len(parts) < 3 or parts[1] not in [*capability_labels(), "core"]:
            return None
        if parts[2] in ("views", "views_more"):
            return "page"
        if parts[2] == "api" or parts[2].startswith("api_"):
            return "api"
        return None

    graph = import_graph()
    assert any(kind(m) == "page" for m in graph) and any(kind(m) == "api" for m in graph)
    crossings = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if kind(module) and kind(target) and kind(module) != kind(target)
    ]
    assert crossings == []
