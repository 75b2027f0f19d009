"""Layering rules for the protocol core.

``vlcp_core`` must stay usable on its own: it may import only the standard
library, itself, and (via relative imports) its own modules. In particular it
must never import ``workbench``, the interactive layer built on top of it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORE_NAME = "vlcp_core"
FORBIDDEN = "workbench"

# Calls that import a module named by a string literal.
_DYNAMIC_IMPORTERS = {("importlib", "import_module"), (None, "__import__"), (None, "import_module")}


@dataclass(frozen=True)
class Import:
    file: Path
    line: int
    module: str  # absolute dotted name ("" if it cannot be resolved at all)
    relative: bool
    escapes: bool  # a relative import that climbs out of the top-level package
    source: str  # how the import is written, for messages

    def where(self) -> str:
        try:
            shown = self.file.relative_to(REPO_ROOT)
        except ValueError:
            shown = self.file
        return f"{shown}:{self.line}: {self.source}"


def _package_of(path: Path, root: Path) -> list[str]:
    """Dotted package (as parts) that contains the module at ``path``.

    ``root`` is the directory of the top-level package (e.g. .../vlcp_core).
    For ``pkg/__init__.py`` that is ``pkg`` itself, for ``pkg/mod.py`` too.
    """
    return [root.name, *path.relative_to(root).with_suffix("").parts][:-1]


def _relative_base(package: list[str], level: int) -> list[str] | None:
    """Package that ``level`` leading dots refer to; [] is above the top level.

    None when the dots climb even further than that.
    """
    if level - 1 > len(package):
        return None
    return package[: len(package) - (level - 1)]


def _dynamic_target(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        key: tuple[str | None, str] = (func.value.id, func.attr)
    elif isinstance(func, ast.Name):
        key = (None, func.id)
    else:
        return None
    if key not in _DYNAMIC_IMPORTERS or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def iter_imports(root: Path) -> Iterator[Import]:
    """Every import statement (and literal dynamic import) under package dir ``root``."""
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = _package_of(path, root)
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom | ast.Call)]
        nodes.sort(key=lambda n: (n.lineno, n.col_offset))  # report in source order
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    written = f"import {alias.name}"
                    yield Import(path, node.lineno, alias.name, False, False, written)
            elif isinstance(node, ast.ImportFrom):
                dots = "." * node.level
                names = ", ".join(alias.name for alias in node.names)
                written = f"from {dots}{node.module or ''} import {names}"
                if node.level == 0:
                    assert node.module is not None
                    yield Import(path, node.lineno, node.module, False, False, written)
                    continue
                base = _relative_base(package, node.level)
                if base is None:
                    yield Import(path, node.lineno, "", True, True, written)
                    continue
                escapes = not base
                if node.module is not None:
                    targets = [".".join([*base, node.module])]
                else:
                    # "from . import x" may name a module x: check it as well,
                    # so that neither form can hide a target.
                    targets = [".".join(base)] if base else []
                    targets += [".".join([*base, alias.name]) for alias in node.names]
                for target in targets:
                    yield Import(path, node.lineno, target, True, escapes, written)
            elif isinstance(node, ast.Call):
                named = _dynamic_target(node)
                if named is not None:
                    yield Import(path, node.lineno, named, False, False, ast.unparse(node))


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def workbench_violations(root: Path) -> list[str]:
    return [imp.where() for imp in iter_imports(root) if _top(imp.module) == FORBIDDEN]


def dependency_violations(root: Path) -> list[str]:
    bad: list[str] = []
    for imp in iter_imports(root):
        if imp.relative:
            allowed = not imp.escapes
        else:
            top = _top(imp.module)
            allowed = top == root.name or top in sys.stdlib_module_names
        if not allowed and imp.where() not in bad:
            bad.append(imp.where())
    return bad


def _fmt(violations: list[str]) -> str:
    return "\n  " + "\n  ".join(violations)


# --- the rules, applied to the real package ---------------------------------

CORE_ROOT = REPO_ROOT / CORE_NAME


def test_core_package_has_sources() -> None:
    # Guards the tests below against passing vacuously on a wrong path.
    assert (CORE_ROOT / "__init__.py").is_file()


def test_core_never_imports_workbench() -> None:
    violations = workbench_violations(CORE_ROOT)
    assert not violations, f"{CORE_NAME} must not import {FORBIDDEN}:{_fmt(violations)}"


def test_core_imports_only_stdlib_and_itself() -> None:
    violations = dependency_violations(CORE_ROOT)
    assert not violations, (
        f"{CORE_NAME} may import only the standard library and itself:{_fmt(violations)}"
    )


# --- the checker itself catches what it should --------------------------------


def _make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / CORE_NAME
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "__init__.py").touch()
    return root


def test_checker_accepts_clean_package(tmp_path: Path) -> None:
    root = _make_package(
        tmp_path,
        {
            "a.py": "import os\nimport collections.abc\nfrom typing import Any\nfrom . import b\n",
            "b.py": "from __future__ import annotations\nimport vlcp_core.a\n",
            "sub/__init__.py": "from .. import a\nfrom ..b import x\nfrom .c import y\n",
            "sub/c.py": "import importlib\nimportlib.import_module('json')\n",
        },
    )
    assert workbench_violations(root) == []
    assert dependency_violations(root) == []


def test_checker_flags_workbench_imports(tmp_path: Path) -> None:
    root = _make_package(
        tmp_path,
        {
            "a.py": "import os\nimport workbench\n",
            "b.py": "\n\nfrom workbench.shell import Shell\n",
            "c.py": "import importlib\nm = importlib.import_module('workbench.lab')\n",
            "d.py": "from .. import workbench\n",
        },
    )
    found = workbench_violations(root)
    assert [v.split(": ", 1)[0].rsplit("/", 1)[-1] for v in found] == [
        "a.py:2",
        "b.py:3",
        "c.py:2",
        "d.py:1",
    ]
    # Each of those is also a disallowed dependency.
    assert len(dependency_violations(root)) == 4


def test_checker_flags_third_party_imports(tmp_path: Path) -> None:
    root = _make_package(
        tmp_path,
        {
            "a.py": "import json\ntry:\n    import prompt_toolkit\nexcept ImportError:\n    pass\n",
            "b.py": "def f():\n    from pygments import lexers\n",
        },
    )
    found = dependency_violations(root)
    assert len(found) == 2
    assert found[0].endswith("a.py:3: import prompt_toolkit")
    assert found[1].endswith("b.py:2: from pygments import lexers")
    assert workbench_violations(root) == []
