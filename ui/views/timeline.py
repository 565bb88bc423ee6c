"""Life-stage timeline (ライフステージ) of a household: one lane per member from birth to
today with ages, and the household's events as markers. Paints plain data only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain import vocab
from app.domain.records import HouseholdData
from ui.i18n import tr, vlabel

LANE = 34
LEFT = 170
TOP = 28


class LifeStageTimeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.household: HouseholdData | None = None
        self.today = dt.date.today()
        self.setAccessibleName(tr("ライフステージ", "Life stages"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_household(self, household: HouseholdData | None) -> None:
        self.household = household
        lines = []
        if household:
            for m in household.members:
                age = m.person.age_on(self.today)
                lines.append(
                    f"{m.person.name} {vlabel(vocab.RELATIONSHIP, m.relationship)} {age if age is not None else '?'}"
                )
            for e in household.events:
                lines.append(
                    f"{e.event_date or ''} {vlabel(vocab.LIFE_EVENT_KIND, e.kind)} {e.description or ''}"
                )
        self.setAccessibleDescription("; ".join(lines))
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        n = len(self.household.members) if self.household else 1
        return QSize(600, TOP + LANE * max(1, n) + 40)

    def _years(self) -> tuple[int, int]:
        assert self.household is not None
        births = [m.person.birth_date.year for m in self.household.members if m.person.birth_date]
        events = [e.event_date.year for e in self.household.events if e.event_date]
        start = min(births + events + [self.today.year - 10])
        return (start // 10) * 10, self.today.year + 1

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        if not self.household or not self.household.members:
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                tr("世帯の情報がありません", "No household information"),
            )
            return
        y0, y1 = self._years()
        width = max(100, self.width() - LEFT - 16)

        def x_of(day: dt.date) -> float:
            return LEFT + (day.year + (day.timetuple().tm_yday / 366) - y0) / (y1 - y0) * width

        axis_y = TOP + LANE * len(self.household.members) + 6
        p.setPen(QPen(pal.mid().color(), 1))
        decade_px = width * 10 / max(1, y1 - y0)
        step = 10 if decade_px >= 48 else 20 if decade_px >= 24 else 40  # labels must not overlap
        for year in range(y0, y1 + 1, step):
            x = x_of(dt.date(year, 1, 1))
            p.drawLine(QPointF(x, TOP - 6), QPointF(x, axis_y))
            p.drawText(QRectF(x - 30, axis_y + 2, 60, 18), Qt.AlignmentFlag.AlignCenter, str(year))
        fm = p.fontMetrics()
        for i, m in enumerate(self.household.members):
            y = TOP + i * LANE
            age = m.person.age_on(self.today)
            label = f"{m.person.name}（{vlabel(vocab.RELATIONSHIP, m.relationship)}）"
            p.setPen(pal.text().color())
            p.drawText(QRectF(4, y, LEFT - 10, LANE - 8), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, LEFT - 10))  # fmt: skip
            if m.person.birth_date:
                x = x_of(m.person.birth_date)
                bar = QRectF(x, y + 6, x_of(self.today) - x, LANE - 18)
                color = QColor("#5b8def") if m.person.sex == "male" else QColor("#e58fa5")
                p.fillRect(bar, color.lighter(125))
                p.setPen(color.darker(130))
                p.drawRect(bar)
                p.setPen(pal.text().color())
                text = tr("{age}歳", "{age} y").format(age=age)
                p.drawText(
                    bar.adjusted(4, 0, -4, 0),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    text,
                )
        p.setPen(QPen(QColor("#b3261e"), 2))
        for e in self.household.events:
            if not e.event_date:
                continue
            x = x_of(e.event_date)
            p.drawLine(QPointF(x, TOP - 8), QPointF(x, axis_y))
            text = f"{e.event_date:%Y-%m} {vlabel(vocab.LIFE_EVENT_KIND, e.kind)}: {e.description or ''}"
            w = p.fontMetrics().horizontalAdvance(text) + 6
            left = x + 3 if x + w < self.width() else x - w  # keep the label inside the widget
            p.drawText(QRectF(left, 2, w, 20), Qt.AlignmentFlag.AlignLeft, text)
        p.end()
