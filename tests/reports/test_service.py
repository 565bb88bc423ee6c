"""Load -> redact -> render -> audit against a real SQLCipher database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.errors import DatabaseLocked, NotFound, ValidationError
from app.reports import service
from app.storage.models import AuditEvent
from tests.reports.conftest import Scenario, pdf_text, squash


def events(sc: Scenario, action: str) -> list[AuditEvent]:
    with sc.store.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_consented_referral_prints_in_full_and_is_audited(
    scenario: Scenario, tmp_path: Path
) -> None:
    doc = service.referral_document(scenario.store, scenario.actor, scenario.consent_receipt)
    txt = pdf_text(doc.pdf)
    assert squash(scenario.person_name) in txt and squash(scenario.account) in txt
    assert squash(scenario.son_name) in txt
    assert events(scenario, "export") == []  # rendering alone writes nothing
    out = tmp_path / "sheet.pdf"
    service.export_pdf(scenario.store, scenario.actor, doc, out, unencrypted=True)
    assert out.read_bytes() == doc.pdf
    (ev,) = events(scenario, "export")
    assert ev.entity == "referral" and ev.actor_staff_id == scenario.actor.staff_id
    assert ev.device_id == scenario.actor.device_id
    assert "scope=full" in ev.detail and doc.sha256[:16] in ev.detail
    assert scenario.person_name not in ev.detail  # no personal data in the audit detail
    service.record_output(scenario.store, scenario.actor, doc, "print")
    assert len(events(scenario, "print")) == 1


def test_no_consent_referral_to_pledged_member_is_redacted(scenario: Scenario) -> None:
    doc = service.referral_document(scenario.store, scenario.actor, scenario.meeting_receipt)
    txt = pdf_text(doc.pdf)
    assert squash(scenario.person_name) in txt  # identity: the member needs it
    assert squash(scenario.account) not in txt  # the narrative stays in the meeting
    assert "立花地区支援会議" in txt and "記載を省略した項目" in txt
    assert "scope=meeting" in doc.detail


def test_no_consent_referral_to_non_member_has_no_personal_data(scenario: Scenario) -> None:
    doc = service.referral_document(scenario.store, scenario.actor, scenario.outsider_receipt)
    txt = pdf_text(doc.pdf)
    assert squash(scenario.person_name) not in txt and squash(scenario.son_name) not in txt
    assert squash(scenario.account) not in txt
    assert "誓約書を提出した者）ではない" in txt and "送付不可" in txt
    assert "scope=withheld" in doc.detail


def test_pledge_visits_and_summary(scenario: Scenario, tmp_path: Path) -> None:
    st, actor = scenario.store, scenario.actor
    pledge = service.pledge_document(st, actor, scenario.meeting_id)
    assert "立花地区支援会議" in pdf_text(pledge.pdf)
    visits = service.visits_document(st, actor, scenario.visit_day)
    assert squash(scenario.person_name) in pdf_text(visits.pdf)
    assert "介護保険の申請書を届ける" in pdf_text(visits.pdf)
    summary = service.summary_document(st, actor, scenario.case_number)
    assert squash(scenario.account) in pdf_text(summary.pdf)
    for doc in (pledge, visits, summary):
        service.export_pdf(st, actor, doc, tmp_path / doc.suggested_name, unencrypted=True)
    exported = {(e.entity, e.entity_id) for e in events(scenario, "export")}
    assert ("support_meeting", scenario.meeting_id) in exported
    assert ("case", scenario.case_id) in exported  # visit list and summary: per case
    assert len(events(scenario, "export")) == 3
    assert all(scenario.person_name not in d.suggested_name for d in (pledge, visits, summary))


def test_unknown_records_and_bad_targets_are_named_errors(
    scenario: Scenario, tmp_path: Path
) -> None:
    st, actor = scenario.store, scenario.actor
    with pytest.raises(NotFound):
        service.referral_document(st, actor, "R000000-9999")
    with pytest.raises(NotFound):
        service.summary_document(st, actor, "no-such-case")
    doc = service.summary_document(st, actor, scenario.case_id)
    with pytest.raises(ValidationError):
        service.export_pdf(st, actor, doc, tmp_path / "missing" / "x.pdf", unencrypted=True)
    with pytest.raises(ValidationError):
        service.export_pdf(st, actor, doc, tmp_path, unencrypted=True)
    with pytest.raises(ValidationError):
        service.record_output(st, actor, doc, "view")
    assert events(scenario, "export") == []
    assert list(tmp_path.glob(".yorisoi-*")) == []


def test_failed_audit_leaves_no_file(scenario: Scenario, tmp_path: Path) -> None:
    doc = service.summary_document(scenario.store, scenario.actor, scenario.case_id)
    folder = tmp_path / "out"
    folder.mkdir()
    scenario.store.lock()  # the audit write cannot happen
    with pytest.raises(DatabaseLocked):
        service.export_pdf(scenario.store, scenario.actor, doc, folder / "x.pdf", unencrypted=True)
    assert list(folder.iterdir()) == []
