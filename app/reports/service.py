"""Load -> redact -> render -> audit. The only part of app.reports that touches the database.

Typical use (any thread but the UI thread; rendering takes tens of milliseconds)::

    doc = service.referral_document(store, actor, "R202604-0001")
    service.export_pdf(store, actor, doc, Path("sheet.pdf"))   # writes the file + audit "export"
    # or, after the print dialog succeeded:
    service.record_output(store, actor, doc, "print")

Data is loaded in one short session; the PDF is rendered after the session is closed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import NotFound, ValidationError
from app.domain.records import Actor, MeetingData
from app.reports import fonts
from app.reports.dates import both
from app.reports.files import write_atomic
from app.reports.layout import PrintStamp
from app.reports.minutes import CaseMinutes, Packet, render_minutes, render_packets
from app.reports.pledge import render_pledge
from app.reports.protect import encrypt_pdf, password_required
from app.reports.redaction import MeetingBasis, Redaction, redact
from app.reports.referral import render_referral
from app.reports.summary import render_case_summary
from app.reports.visit_list import render_visit_list
from app.services import audit, masters
from app.services.cases import case_detail
from app.services.lookup import Names
from app.services.meetings import (
    WITHHELD as WITHHELD_SCOPE,
)
from app.services.meetings import (
    agenda_for,
    find_attendee,
    find_meeting,
    meeting_data,
    meeting_number,
)
from app.services.referrals import meeting_basis, referral_data
from app.services.visits import visit_plan
from app.storage.db import Store
from app.storage.models import Case, Referral

OUTPUT_ACTIONS = ("print", "export")
_PAGE = re.compile(rb"/Type /Page[^s]")


@dataclass(frozen=True)
class Document:
    """A rendered PDF and what the audit trail needs. No personal data outside ``pdf``."""

    kind: str  # referral | pledge | visits | summary
    pdf: bytes
    title: str  # for a print job or window title: no personal data
    suggested_name: str  # file name: no personal data
    audit_entity: str
    audit_ids: tuple[str, ...]
    detail: str  # audit detail: document kind, reference, scope, pages, digest
    # Characters printed as a box: in neither IPAexGothic nor the fallback font (not installed,
    # or lacking the glyph). Empty on a correctly installed system for every JIS X 0213 name.
    missing_glyphs: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return len(_PAGE.findall(self.pdf))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def print_stamp(session: Session, actor: Actor, now: dt.datetime | None = None) -> PrintStamp:
    return PrintStamp(
        printed_by=actor.name,
        printed_at=now or dt.datetime.now().replace(microsecond=0),
        device_id=actor.device_id,
        agency_name=Names(session).agency(actor.agency_id),
        issue_categories=masters.issue_categories(session),
    )


def _find(session: Session, model: type, key: str, number_col: object | None) -> str:
    row = session.get(model, key)
    if row is None and number_col is not None:
        row = session.scalars(select(model).where(number_col == key)).first()  # type: ignore[arg-type]
    if row is None or getattr(row, "deleted", False):
        raise NotFound.of(str(model.__tablename__), key)  # type: ignore[attr-defined]
    return str(row.id)


def _meeting_basis(session: Session, meeting_id: str | None) -> MeetingBasis | None:
    return meeting_basis(session, meeting_id)


def _finish(doc_kind: str, render: Callable[[], bytes], **fields: object) -> Document:
    with fonts.collect_missing() as missing:
        pdf = render()
    base = str(fields.pop("detail"))
    digest = hashlib.sha256(pdf).hexdigest()[:16]
    pages = len(_PAGE.findall(pdf))
    return Document(
        kind=doc_kind,
        pdf=pdf,
        detail=f"{base} pages={pages} sha256={digest}",
        missing_glyphs=tuple(sorted(missing)),
        **fields,  # type: ignore[arg-type]
    )


def referral_document(
    store: Store, actor: Actor, key: str, *, now: dt.datetime | None = None
) -> Document:
    """The referral sheet for a referral id or receipt number, redacted for its recipient."""
    with store.session() as s:
        rid = _find(s, Referral, key, Referral.receipt_number)
        data = referral_data(s, actor, rid, audit_view=False)
        basis = _meeting_basis(s, data.meeting_id) if data.consent_basis != "consent" else None
        stamp = print_stamp(s, actor, now)
    shown, redaction = redact(data, basis)
    return _finish(
        "referral", lambda: render_referral(shown, stamp, redaction),
        title=f"うけとめ・つなげるシート {data.receipt_number}",
        suggested_name=f"referral-{data.receipt_number}.pdf",
        audit_entity="referral", audit_ids=(rid,),
        detail=f"referral {data.receipt_number} case {data.case_number} scope={redaction.scope}",
    )  # fmt: skip


def redaction_for(store: Store, actor: Actor, key: str) -> Redaction:
    """The redaction decision alone (for a UI to warn before printing)."""
    with store.session() as s:
        rid = _find(s, Referral, key, Referral.receipt_number)
        data = referral_data(s, actor, rid, audit_view=False)
        basis = _meeting_basis(s, data.meeting_id) if data.consent_basis != "consent" else None
    return redact(data, basis)[1]


def pledge_document(
    store: Store, actor: Actor, meeting_id: str, *, now: dt.datetime | None = None
) -> Document:
    with store.session() as s:
        mid = find_meeting(s, meeting_id)
        meeting = meeting_data(s, actor, mid, audit_view=False)
        stamp = print_stamp(s, actor, now)
    held = meeting.held_on.isoformat() if meeting.held_on else "undated"
    return _finish(
        "pledge", lambda: render_pledge(meeting, stamp),
        title=f"守秘義務に関する誓約書 {held}", suggested_name=f"pledge-{held}.pdf",
        audit_entity="support_meeting", audit_ids=(mid,),
        detail=f"pledge meeting {held} attendees={len(meeting.attendees)}",
    )  # fmt: skip


def _case_minutes(
    s: Session, meeting: MeetingData, agenda: list[tuple[str, str, str]]
) -> tuple[CaseMinutes, ...]:
    rows = {c.id: c for c in meeting.cases}
    minutes = {x.case_id: x for x in meeting.minutes}
    out = []
    for cid, scope, why in agenda:
        c = rows.get(cid)
        if scope == WITHHELD_SCOPE or c is None:
            out.append(CaseMinutes(scope=WITHHELD_SCOPE, reason=why))
            continue
        x = minutes.get(cid)
        out.append(
            CaseMinutes(
                scope=scope, case_number=c.case_number, person_name=c.person_name,
                title=c.title if scope in ("full", "file") else None, issues=tuple(c.issue_categories),
                discussion=x.discussion if x else None, decision=x.decision if x else None,
                tasks=tuple(t for t in meeting.assignments if t.case_id == cid),
            )
        )  # fmt: skip
    return tuple(out)


def minutes_document(
    store: Store, actor: Actor, meeting_id: str, *, now: dt.datetime | None = None
) -> Document:
    """The minutes (議事録): the organiser's file copy of every case this laptop holds."""
    with store.session() as s:
        mid = find_meeting(s, meeting_id)
        meeting = meeting_data(s, actor, mid, audit_view=False)
        items = _case_minutes(s, meeting, agenda_for(s, mid))
        stamp = print_stamp(s, actor, now)
    held = meeting.held_on.isoformat() if meeting.held_on else "undated"
    return _finish(
        "minutes", lambda: render_minutes(meeting, items, stamp),
        title=f"会議録 {held}", suggested_name=f"minutes-{held}.pdf",
        # Every case on the paper is audited (DOMAIN.md), the meeting named in the detail.
        audit_entity="case", audit_ids=tuple(c.id for c in meeting.cases),
        detail=f"minutes meeting {meeting_number(mid)} {held} cases={len(items)}",
    )  # fmt: skip


def packet_document(
    store: Store, actor: Actor, meeting_id: str, member: str | None = None, *,
    now: dt.datetime | None = None,
) -> Document:  # fmt: skip
    """Each member's packet (or one member's), redacted by that member's right to see."""
    with store.session() as s:
        mid = find_meeting(s, meeting_id)
        meeting = meeting_data(s, actor, mid, audit_view=False)
        wanted = [find_attendee(s, mid, member)] if member else [a.id for a in meeting.attendees]
        if not wanted:
            raise ValidationError(
                "構成員がいないため、配布資料を作れません。", "The meeting has no members."
            )
        packets = []
        scopes: list[str] = []
        shown: set[str] = set()
        for att in meeting.attendees:
            if att.id not in wanted:
                continue
            agenda = agenda_for(s, mid, att.id)
            items = _case_minutes(s, meeting, agenda)
            scopes += [i.scope for i in items]
            shown.update(cid for cid, scope, _ in agenda if scope != WITHHELD_SCOPE)
            note = (
                f"誓約書 {both(att.pledge_date)} 提出済" if att.pledge_valid
                else f"誓約書: 有効なものがありません（{att.pledge_note}）"
            )  # fmt: skip
            packets.append(Packet(att.name, att.agency_name, note, items))
        stamp = print_stamp(s, actor, now)
    held = meeting.held_on.isoformat() if meeting.held_on else "undated"
    counts = " ".join(f"{k}={scopes.count(k)}" for k in ("full", "meeting", WITHHELD_SCOPE))
    return _finish(
        "packet", lambda: render_packets(meeting, tuple(packets), stamp),
        title=f"会議資料 {held}", suggested_name=f"packet-{held}.pdf",
        audit_entity="case", audit_ids=tuple(sorted(shown)),
        detail=f"packet meeting {meeting_number(mid)} {held} members={len(packets)} {counts}",
    )  # fmt: skip


def visits_document(
    store: Store, actor: Actor, day: dt.date, *, mine_only: bool = True,
    include_closed: bool = False, now: dt.datetime | None = None,
) -> Document:  # fmt: skip
    with store.session() as s:
        visits = visit_plan(s, actor, day, mine_only=mine_only, include_closed=include_closed)
        stamp = print_stamp(s, actor, now)
    return _finish(
        "visits", lambda: render_visit_list(day, visits, stamp, everyone=not mine_only),
        title=f"訪問予定表 {day.isoformat()}", suggested_name=f"visits-{day.isoformat()}.pdf",
        audit_entity="case", audit_ids=tuple(v.case_id for v in visits),
        detail=f"visit list {day.isoformat()} visits={len(visits)}",
    )  # fmt: skip


def summary_document(
    store: Store, actor: Actor, key: str, *, now: dt.datetime | None = None
) -> Document:
    """The case summary for a case id or case number."""
    with store.session() as s:
        cid = _find(s, Case, key, Case.case_number)
        detail = case_detail(s, actor, cid, audit_view=False)
        stamp = print_stamp(s, actor, now)
    return _finish(
        "summary", lambda: render_case_summary(detail, stamp),
        title=f"ケース概要 {detail.case_number}", suggested_name=f"case-{detail.case_number}.pdf",
        audit_entity="case", audit_ids=(cid,), detail=f"case summary {detail.case_number}",
    )  # fmt: skip


def record_output(store: Store, actor: Actor, doc: Document, action: str) -> None:
    """One audit event per record on the document: ``print`` (sent to a printer) or ``export``
    (saved as a file)."""
    if action not in OUTPUT_ACTIONS:
        raise ValidationError("出力の種類が正しくありません。", "Unknown output action.")
    with store.session() as s:
        for entity_id in doc.audit_ids or (None,):
            audit.record(s, actor, action, doc.audit_entity, entity_id, doc.detail)


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise ValidationError(
            "保存先はファイル名で指定してください。",
            "The output must be a file name, not a folder.",
        )
    if not path.parent.exists():
        raise ValidationError(
            "保存先のフォルダがありません。", "The folder for the output file does not exist."
        )


def export_pdf(
    store: Store,
    actor: Actor,
    doc: Document,
    path: Path,
    *,
    password: str | None = None,
    unencrypted: bool = False,
) -> None:
    """Save the PDF and write the ``export`` audit event, all or nothing: the file is written
    beside its target, the event committed, then the file renamed into place. A crash leaves
    either the old file or the complete new one, never a file without its audit event.

    The file is AES-256 encrypted with ``password``; an unencrypted file needs
    ``unencrypted=True`` (an explicit choice, recorded in the audit event)."""
    path = Path(path)
    _check_target(path)
    if password:
        data, how = encrypt_pdf(doc.pdf, password), "aes256"
    elif unencrypted:
        data, how = doc.pdf, "none"
    else:
        raise password_required()
    audited = replace(doc, detail=f"{doc.detail} enc={how}")
    write_atomic(data, path, lambda: record_output(store, actor, audited, "export"))
