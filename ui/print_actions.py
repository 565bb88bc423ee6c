"""Preview, print and save a document of app.reports from a screen (case view, visits view).

The PDF is rendered on the task runner's worker (never on the UI thread); the preview then
offers printing and saving (ui/printing.py). Every output is audited like the CLI's prints
(``service.record_output``: "print" or "export" per case on the document), and opening the
preview is audited as a view of those cases (it shows them on screen).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from ui.context import UiContext


def printing_available() -> bool:
    try:
        importlib.import_module("PySide6.QtPdf")
        importlib.import_module("reportlab")
    except ImportError:
        return False
    return True


def preview_document(
    parent: QWidget,
    ctx: UiContext,
    make: Callable[[Any, Any], Any],
    on_open: Callable[[Any], None] | None = None,
) -> None:
    """``make(store, actor)`` returns an ``app.reports.service.Document`` (worker thread);
    the preview opens on the UI thread and ``on_open(dialog)`` is told (tests, callers)."""
    printing = importlib.import_module("ui.printing")
    service = importlib.import_module("app.reports.service")
    runner, actor = ctx.runner, ctx.actor
    store = runner.store

    def render(_ctl: Any) -> Any:
        doc = make(store, actor)
        _audit_preview(store, actor, doc)
        return doc

    def show(doc: Any) -> None:
        def on_output(action: str, _path: object) -> None:
            runner.run(lambda _c: service.record_output(store, actor, doc, action))

        dialog = printing.preview_and_print(
            parent, doc.pdf, doc.title, suggested_name=doc.suggested_name, on_output=on_output,
            notice=missing_glyphs_note(doc.missing_glyphs),
        )  # fmt: skip
        if on_open is not None:
            on_open(dialog)

    runner.run(render, show)


def _audit_preview(store: Any, actor: Any, doc: Any) -> None:
    from app.services import audit

    with store.session() as s:
        for entity_id in doc.audit_ids or (None,):
            audit.record(s, actor, "view", doc.audit_entity, entity_id, f"preview {doc.kind}")


def missing_glyphs_note(chars: tuple[str, ...]) -> str | None:
    """Which characters print as a box and how to get the font (the CLI's note), or None."""
    if not chars:
        return None
    from app.reports.fonts import missing_note

    return missing_note(chars)
