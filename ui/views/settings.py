"""Settings: language (system / 日本語 / English) and the auto-lock idle time."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.i18n import tr
from ui.settings import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES
from ui.widgets import heading, named, set_combo


class SettingsView(QWidget):
    applied = Signal(bool)  # language changed

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("設定", "Settings")))
        form = QFormLayout()
        self.language = named(QComboBox(), tr("表示言語", "Language"))
        self.language.addItem(tr("システムの設定に従う", "Follow the system"), "")
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        set_combo(self.language, ctx.settings.language)
        self.idle = named(QSpinBox(), tr("自動ロックまでの時間（分）", "Auto-lock after (minutes)"))
        self.idle.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.idle.setValue(ctx.settings.idle_minutes)
        self.idle.setSuffix(tr(" 分", " min"))
        form.addRow(tr("表示言語", "Language"), self.language)
        form.addRow(tr("自動ロック", "Auto-lock"), self.idle)
        layout.addLayout(form)
        profile = QLabel(tr("利用者: {name}", "User: {name}").format(name=ctx.actor.name))
        layout.addWidget(profile)
        self.save = named(QPushButton(tr("保存", "Save")), tr("設定を保存", "Save settings"))
        self.save.clicked.connect(self.apply)
        layout.addWidget(self.save)
        self.saved = QLabel()
        layout.addWidget(self.saved)
        layout.addStretch(1)

    def activate(self) -> None:
        pass

    def apply(self) -> None:
        lang = str(self.language.currentData() or "")
        changed = lang != self.ctx.settings.language
        self.ctx.settings.language = lang
        self.ctx.settings.idle_minutes = self.idle.value()
        self.saved.setText(tr("保存しました。", "Saved."))
        self.applied.emit(changed)
