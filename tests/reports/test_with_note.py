"""Printed names carry their note in brackets only when there is one: an outside member
without an agency is 「民生 一郎」 on the minutes, never 「民生 一郎（）」."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.reports import service
from app.reports.layout import with_note
from app.services import meetings


def test_with_note() -> None:
    assert with_note("井上 英樹", "地域課") == "井上 英樹（地域課）"
    assert with_note("民生 一郎", None) == with_note("民生 一郎", "") == "民生 一郎"
    assert with_note(None, None) == ""


def test_minutes_list_an_outside_member_without_empty_brackets(store, actor) -> None:
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
        meetings.add_attendee(s, actor, mid, name="民生 一郎")
    doc = service.minutes_document(store, actor, mid)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages)
    assert "民生" in text and "（）" not in text.replace(" ", "")
