"""Referral editor: every field of the sheet saved; drafts; printing hook."""

from __future__ import annotations

import importlib.util

import pytest

from app.services.referrals import referral_data
from tests.ui.conftest import type_text
from ui.dialogs.referral_editor import ReferralEditorDialog, printing_available
from ui.widgets import set_combo


def _wait_loaded(qtbot, dialog):
    qtbot.waitUntil(lambda: bool(dialog.person.text()), timeout=10_000)


def test_new_referral_saves_every_field(qtbot, unlocked):
    window = unlocked.main_window
    case_id = window.cases.model.row_id(0)
    dialog = window.open_referral_editor(case_id, None)
    _wait_loaded(qtbot, dialog)
    for field, box in dialog.texts.items():
        type_text(box, f"{field}の値")
    for field, box in dialog.longs.items():
        box.clear()  # some are pre-filled from the case (the demo household's situation)
        type_text(box, f"{field}：本人と相談した内容")
    set_combo(dialog.status, "sent")
    set_combo(dialog.to_agency, unlocked.ctx.choices.agencies[12].id)
    set_combo(dialog.consent_basis, "consent")
    dialog.dates["reply_date"].set_value(dialog.dates["referral_date"].value())
    dialog.issues.set_values(["debt", "no_food"])
    # a sheet marked sent must go to an agency in the consent (else it is 送付不可, refused)
    for i in (3, 12):
        dialog.consent_agencies.item(i).setCheckState(
            dialog.consent_agencies.item(i).checkState().Checked
        )
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    rid = dialog.referral_id
    got = {}
    unlocked.runner.db(
        lambda s: referral_data(s, unlocked.ctx.actor, rid), lambda d: got.update(d=d)
    )
    qtbot.waitUntil(lambda: "d" in got, timeout=5_000)
    d = got["d"]
    for field in dialog.texts:
        assert getattr(d, field) == f"{field}の値"
    for field in dialog.longs:
        assert getattr(d, field) == f"{field}：本人と相談した内容"
    assert d.status == "sent" and d.issue_categories == ("debt", "no_food")
    assert d.to_agency_id == unlocked.ctx.choices.agencies[12].id
    agencies = unlocked.ctx.choices.agencies
    assert {agencies[3].id, agencies[12].id} <= set(d.consent_agency_ids)  # + the case's
    assert d.reply_date == d.referral_date


def test_no_consent_without_meeting_is_refused_in_place(qtbot, unlocked):
    window = unlocked.main_window
    dialog = window.open_referral_editor(window.cases.model.row_id(0), None)
    _wait_loaded(qtbot, dialog)
    set_combo(dialog.status, "sent")
    set_combo(dialog.consent_basis, "support_meeting")
    set_combo(dialog.meeting, None)
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.errors.message_for("meeting_id")), timeout=5_000)
    assert dialog.isVisible()
    dialog.close_for_lock()


@pytest.mark.skipif(not printing_available(), reason="printing modules not present")
def test_print_button_opens_preview_of_a_saved_referral(qtbot, unlocked):
    from app.services.referrals import list_referrals

    refs = []
    unlocked.runner.db(lambda s: list_referrals(s, limit=1), refs.extend)
    qtbot.waitUntil(lambda: bool(refs), timeout=5_000)
    window = unlocked.main_window
    dialog = window.open_referral_editor(refs[0]["case_id"], refs[0]["id"])
    _wait_loaded(qtbot, dialog)
    assert dialog.print_button.isEnabled()
    printing = importlib.import_module("ui.printing")
    before = set(id(w) for w in window.findChildren(printing.PdfPreviewDialog))
    dialog.print_sheet()
    qtbot.waitUntil(
        lambda: any(id(w) not in before for w in dialog.findChildren(printing.PdfPreviewDialog)),
        timeout=20_000,
    )
    for w in dialog.findChildren(printing.PdfPreviewDialog):
        w.close()
    dialog.close_for_lock()
    assert importlib.util.find_spec("ui.printing") is not None
    assert isinstance(dialog, ReferralEditorDialog)


@pytest.mark.skipif(not printing_available(), reason="printing modules not present")
def test_route_cautions_handover_and_agent_are_saved_and_printed(qtbot, unlocked):
    """The inputs issue 15 asked for: filled in the editor, stored, and on the printed sheet."""
    import datetime as dt

    from app.reports.service import referral_document
    from tests.reports.conftest import pdf_text

    window = unlocked.main_window
    dialog = window.open_referral_editor(window.cases.model.row_id(0), None)
    _wait_loaded(qtbot, dialog)
    agencies = unlocked.ctx.choices.agencies
    set_combo(dialog.to_agency, agencies[12].id)
    set_combo(dialog.consent_basis, "consent")
    dialog.consent_agencies.item(12).setCheckState(
        dialog.consent_agencies.item(12).checkState().Checked
    )
    set_combo(dialog.consult_route, "neighbour")
    dialog.contact_cautions.boxes["no_home_call"].setChecked(True)
    dialog.contact_cautions.boxes["interpreter"].setChecked(True)
    type_text(dialog.texts["contact_note"], "夕方以降は不在")
    set_combo(dialog.handover, "accompany")
    meeting = dt.datetime(2026, 5, 14, 10, 30)
    dialog.first_meeting_at.set_value(meeting)
    type_text(dialog.texts["consent_signed_by"], "山田花子")
    type_text(dialog.texts["consent_agent_relationship"], "長女")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    rid = dialog.referral_id
    got = {}
    unlocked.runner.db(
        lambda s: referral_data(s, unlocked.ctx.actor, rid), lambda d: got.update(d=d)
    )
    qtbot.waitUntil(lambda: "d" in got, timeout=5_000)
    d = got["d"]
    assert d.consult_route == "neighbour"
    assert set(d.contact_cautions) == {"no_home_call", "interpreter"}
    assert d.contact_note == "夕方以降は不在"
    assert d.handover == "accompany" and d.first_meeting_at == meeting
    assert d.consent_agent_relationship == "長女"

    store, docs = unlocked.runner.store, []  # on the worker, as the print button does
    unlocked.runner.run(lambda _c: referral_document(store, unlocked.ctx.actor, rid), docs.append)
    qtbot.waitUntil(lambda: bool(docs), timeout=20_000)
    text = pdf_text(docs[0].pdf)
    for shown in ("近隣住民・民生委員から", "自宅への電話不可", "通訳が必要", "夕方以降は不在",
                  "■同行して紹介", "10:30", "長女"):  # fmt: skip
        assert shown in text, shown
    assert "■合同面談" not in text
