"""app/ never imports Qt or ui/, the library packages never import the CLI, and the server
imports of the laptop's code only the shared contract, app/protocol: checked by importing every
module in a clean interpreter and by reading the import statements."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_app_imports_no_qt():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "app").rglob("*.py")
        if p.name != "__init__.py" or p.parent != ROOT / "app"
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_statements_in_app():
    offenders = []
    for p in (ROOT / "app").rglob("*.py"):
        for line in p.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if s.startswith(("import PySide6", "from PySide6", "import ui", "from ui")):
                offenders.append(f"{p}: {s}")
    assert offenders == []


# Library packages: the CLI (app.cli) is built on them, never the other way round.
LIBRARIES = ("app.domain", "app.storage", "app.services", "app.sync", "app.reports")


def _modules_of(package: str) -> list[str]:
    folder = ROOT.joinpath(*package.split("."))
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in folder.rglob("*.py")
    )


def test_library_packages_do_not_import_the_cli():
    import ast

    offenders = []
    for package in LIBRARIES:
        for p in ROOT.joinpath(*package.split(".")).rglob("*.py"):
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    names = [node.value]  # a name for importlib would hide the import
                if any(n == "app.cli" or n.startswith("app.cli.") for n in names):
                    offenders.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
    # And at run time, whatever they import indirectly.
    modules = [m for package in LIBRARIES for m in _modules_of(package)]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'app.cli' or m.startswith('app.cli.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _storage_imports() -> dict[str, set[str]]:
    """app.storage module -> the app.storage modules it imports, at any depth of the file
    (a function-level import counts: it only hides a circle)."""
    import ast

    graph: dict[str, set[str]] = {}
    for p in (ROOT / "app" / "storage").glob("*.py"):
        name = f"app.storage.{p.stem}"
        found: set[str] = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "app.storage":
                    found |= {f"app.storage.{a.name}" for a in node.names}
                elif node.module.startswith("app.storage."):
                    found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("app.storage.")}
        graph[name] = found - {name}
    return graph


def test_storage_imports_have_no_circle():
    graph = _storage_imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module in done:
            return
        for dep in sorted(graph.get(module, ())):
            visit(dep, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    # The store module needs neither migrations nor backups nor its own life cycle.
    assert not graph["app.storage.db"] & {
        "app.storage.migrate",
        "app.storage.backup",
        "app.storage.lifecycle",
    }


def test_storage_private_names_stay_in_their_module():
    offenders = []
    for p in (ROOT / "app").rglob("*.py"):
        if p == ROOT / "app" / "storage" / "db.py":
            continue
        text = p.read_text(encoding="utf-8")
        offenders += [f"{p.name}: {n}" for n in ("_raw_connect", "_quote(", "._passphrase")
                      if n in text]  # fmt: skip
    assert offenders == []


def _app_imports(path: Path) -> set[str]:
    """The app.* modules a file imports, at any depth (``from app import X`` counts as ``app``
    unless X is itself a module)."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "app" or node.module.startswith("app."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "app"}
    return found


# What the server may import from the rest of the application: the shared contract
# (app.protocol), the pure vocabulary and seed data (app.domain), message picking (app.i18n)
# and the version numbers in app/__init__.py. Never the laptop's store, sync, services or CLI.
SERVER_MAY_IMPORT = ("app.server", "app.protocol", "app.domain", "app.i18n")


def _allowed(module: str, prefixes: tuple[str, ...]) -> bool:
    return module == "app" or any(module == p or module.startswith(p + ".") for p in prefixes)


def test_server_imports_only_the_protocol():
    offenders = [
        f"{p.relative_to(ROOT)}: {m}"
        for p in sorted((ROOT / "app" / "server").rglob("*.py"))
        for m in sorted(_app_imports(p))
        if not _allowed(m, SERVER_MAY_IMPORT)
    ]
    assert offenders == []


def test_protocol_imports_nothing_of_the_client_but_the_synced_models():
    # app.protocol.schema re-exports the synced models from app/storage/models.py; that module
    # in turn may use only app.protocol, so the server reaches no further into the laptop.
    offenders = [
        f"{p.relative_to(ROOT)}: {m}"
        for p in sorted((ROOT / "app" / "protocol").rglob("*.py"))
        for m in sorted(_app_imports(p))
        if not _allowed(m, ("app.protocol", "app.storage.models"))
    ]
    offenders += [
        f"app/storage/models.py: {m}"
        for m in sorted(_app_imports(ROOT / "app" / "storage" / "models.py"))
        if not _allowed(m, ("app.protocol",))
    ]
    assert offenders == []


def test_server_loads_none_of_the_client_at_run_time():
    """Importing every server module loads no laptop module beyond the synced models (a
    re-export or a package __init__ could otherwise pull one in unseen)."""
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "app" / "server").rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "ok = ('app', 'app.storage', 'app.storage.models')\n"
        "bad = sorted(m for m in sys.modules if m.startswith('app.')\n"
        "             and m not in ok and m.split('.')[1] not in ('server', 'protocol', 'domain',\n"
        "                                                     'i18n'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
