"""Life-stage timeline (ライフステージ) of a household: one lane per member from birth to
today with ages, and the household's events as markers. Paints plain data only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain import vocab
from app.domain.records import HouseholdData
from ui.i18n import tr, vlabel

LANE = 34
LEFT = 170
ROW = 18  # one line of event labels above the lanes
MAX_ROWS = 4  # then labels that find no room are left out (the marker stays, the text is
# in the accessible description and the tooltip)


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
        events = [ln for ln in lines[len(household.members) :]] if household else []
        self.setToolTip("\n".join(events))  # every event, also one whose label found no room
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        n = len(self.household.members) if self.household else 1
        return QSize(600, self._top() + LANE * max(1, n) + 40)

    def _top(self) -> int:
        """Where the lanes start: below as many rows of event labels as they need."""
        rows = max((row for _r, _t, row in self.event_labels()), default=0) + 1
        return 10 + ROW * rows

    def _x(self, day: dt.date, width: float) -> float:
        y0, y1 = self._years()
        return LEFT + (day.year + (day.timetuple().tm_yday / 366) - y0) / (y1 - y0) * width

    def event_labels(self) -> list[tuple[QRectF, str, int]]:
        """Where each event's label goes: (rect, text, row). Dense events used to be drawn
        on one line over each other; now a label takes the first row where it overlaps no
        other, and one that fits in none of MAX_ROWS is left out."""
        if not self.household or not self.household.members:
            return []
        fm = self.fontMetrics()
        width = max(100, self.width() - LEFT - 16)
        placed: list[tuple[QRectF, str, int]] = []
        ends: list[float] = []  # per row, where its last label ends
        events = sorted((e for e in self.household.events if e.event_date),
                        key=lambda e: e.event_date or dt.date.min)  # fmt: skip
        for e in events:
            assert e.event_date is not None
            x = self._x(e.event_date, width)
            text = f"{e.event_date:%Y-%m} {vlabel(vocab.LIFE_EVENT_KIND, e.kind)}: {e.description or ''}"
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(160, self.width() * 2 // 3))
            w = fm.horizontalAdvance(text) + 6
            left = x + 3 if x + w < self.width() else x - w  # keep the label inside the widget
            left = max(0.0, left)
            row = next((i for i, end in enumerate(ends) if left > end + 4), len(ends))
            if row >= MAX_ROWS:
                continue
            if row == len(ends):
                ends.append(0.0)
            ends[row] = left + w
            placed.append((QRectF(left, 2 + row * ROW, w, ROW), text, row))
        return placed

    def _years(self) -> tuple[int, int]:
        assert self.household is not None
        births = [m.person.birth_date.year for m in self.household.members if m.person.birth_date]
        events = [e.event_date.year for e in self.household.events if e.event_date]
        start = min(births + events + [self.today.year - 10])
        return (start // 10) * 10, self.today.year + 1

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        height = self.sizeHint().height()  # label rows depend on the width
        if height != self.height():
            self.setFixedHeight(height)

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
        TOP = self._top()  # noqa: N806 - the lanes' top, below the event labels

        def x_of(day: dt.date) -> float:
            return self._x(day, width)

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
            if e.event_date:
                x = x_of(e.event_date)
                p.drawLine(QPointF(x, TOP - 8), QPointF(x, axis_y))
        for rect, text, _row in self.event_labels():
            p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        p.end()
