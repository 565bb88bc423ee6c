"""Regional resources (地域資源): list, search (Japanese-aware), add and edit."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from app.domain import vocab
from app.domain.records import ResourceData
from app.services.resources import list_resources
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.rows_table_model import Column
from ui.views.simple_lists import ListView
from ui.widgets import choice_combo, combo_value, empty_state, named


class ResourcesView(ListView):
    watches = frozenset({events.RESOURCE})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns = [
            Column(tr("名称", "Name"), lambda r: r.name),
            Column(tr("種類", "Kind"), lambda r: vlabel(vocab.RESOURCE_KIND, r.kind)),
            Column(tr("地区", "District"), lambda r: r.district_name or ""),
            Column(tr("住所", "Address"), lambda r: r.address or ""),
            Column(tr("日程", "Schedule"), lambda r: r.schedule or ""),
            Column(tr("連絡先", "Contact"), lambda r: r.contact or ""),
        ]
        super().__init__(
            ctx, tr("地域資源一覧", "Regional resources"), columns, lambda s, t: [], parent=parent
        )
        self.search.setPlaceholderText(
            tr("名称・住所・日程で検索", "Search name, address, schedule")
        )
        self.district = named(
            choice_combo(ctx.choices.districts, empty=tr("全地区", "All districts")),
            tr("地区", "District"),
        )
        add = named(QPushButton(tr("新規登録", "Add")), tr("地域資源を登録", "Add resource"))
        edit = named(QPushButton(tr("編集", "Edit")), tr("地域資源を編集", "Edit resource"))
        imp = named(
            QPushButton(tr("取り込み…", "Import…")),
            tr("地域資源を取り込む", "Import resources"),
            tr("CSV・Excel の台帳から取り込む", "Import a register from CSV or Excel"),
        )
        imp.setVisible(ctx.actor.role in ("coordinator", "admin"))
        imp.clicked.connect(self.open_import)
        self.import_button = imp
        for w in (self.district, add, edit, imp):
            self.bar.addWidget(w)
        self.district.currentIndexChanged.connect(lambda _i: self.refresh())
        add.clicked.connect(lambda: self._edit(None))
        edit.clicked.connect(lambda: self._edit(self.current()))
        self.table.activated.connect(lambda i: self._edit(self.model.row_at(i.row())))
        self.empty = empty_state(self.table, "")

    def refresh(self) -> None:
        text, district = self.search.text(), combo_value(self.district)
        self.empty.setText(tr("条件に合う地域資源はありません。", "No resource matches.")
                           if text.strip() or district else tr(
            "地域資源（居場所・サロン・こども食堂など）はまだ登録されていません。"
            "「新規登録」で登録すると、全職員で共有されます。",
            "No regional resources yet. Add one with Add; everyone shares them."))  # fmt: skip
        self.ctx.runner.db(
            lambda s: list_resources(s, text=text, district_id=district), self.model.set_rows
        )

    def _edit(self, resource: ResourceData | None) -> None:
        from ui.dialogs.resource_editor import ResourceEditorDialog

        ResourceEditorDialog(self.ctx, resource, self).open()

    def open_import(self) -> object:
        from ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, "resources", self)
        dialog.open()
        return dialog
