"""Outbox entries are written atomically with the edit; audit events for views and edits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.errors import ValidationError
from app.services import cases, households, visits
from app.storage.models import AuditEvent, Case, OutboxEntry, Person
from app.storage.outbox import HardDeleteForbidden


def _outbox(store) -> list[OutboxEntry]:
    with store.session() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def _count(store, model) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def test_insert_and_update_write_base_and_new(store, actor):
    start = len(_outbox(store))
    with store.session() as s:
        cid = cases.create_case(s, actor, title="家賃滞納", status="受付", urgency="中")
    with store.session() as s:
        cases.update_case(s, actor, cid, {"status": "支援中", "urgency": "高"})
    entries = [e for e in _outbox(store)[start:] if e.table_name == "case"]
    assert [e.op for e in entries] == ["insert", "update"]
    assert entries[0].changes["title"] == [None, "家賃滞納"]
    assert entries[1].changes == {
        "status": ["received", "supporting"],
        "urgency": ["medium", "high"],
    }
    with store.session() as s:
        assert s.get(Case, cid).version == 2


def test_failed_transaction_leaves_neither_row_nor_outbox(store, actor):
    before_rows, before_out = _count(store, Person), _count(store, OutboxEntry)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.session() as s:
        households.create_person(s, actor, name="消える 人")
        s.flush()  # the row and its outbox entry reach the database inside the transaction
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) > before_out
        raise Boom()
    assert _count(store, Person) == before_rows
    assert _count(store, OutboxEntry) == before_out


def test_validation_error_writes_nothing(store, actor):
    with store.session() as s:
        cid = cases.create_case(s, actor, title="相談")
    before = _count(store, OutboxEntry)
    with pytest.raises(ValidationError) as err, store.session() as s:
        cases.update_case(s, actor, cid, {"urgency": "高", "status": "どこかへ"})
    assert err.value.field == "status"
    assert _count(store, OutboxEntry) == before


def test_tombstone_not_hard_delete(store, actor):
    with store.session() as s:
        cid = cases.create_case(s, actor, title="削除予定")
    with store.session() as s:
        cases.delete_case(s, actor, cid)
    assert _outbox(store)[-1].op == "delete"
    with store.session() as s:
        assert s.get(Case, cid).deleted is True
    with pytest.raises(HardDeleteForbidden), store.session() as s:
        s.delete(s.get(Case, cid))


def test_remote_session_writes_no_outbox(store):
    before = _count(store, OutboxEntry)
    with store.session(remote=True) as s:
        s.add(Person(name="同期 から"))
    assert _count(store, OutboxEntry) == before


def test_views_edits_and_visits_are_audited(store, actor):
    with store.session() as s:
        cid = cases.create_case(s, actor, title="見守り")
    with store.session() as s:
        cases.case_detail(s, actor, cid)
        cases.update_case(s, actor, cid, {"status": "見守り"})
        visits.add_contact(s, actor, case_id=cid, kind="訪問", narrative="安否確認")
    with store.session() as s:
        events = list(s.scalars(select(AuditEvent).order_by(AuditEvent.at)))
    actions = [(e.action, e.entity) for e in events]
    assert ("create", "case") in actions
    assert ("view", "case") in actions
    assert ("update", "case") in actions
    assert ("create", "contact_record") in actions
    for e in events:
        assert e.actor_staff_id == actor.staff_id and e.device_id == actor.device_id
        assert "見守り" not in (e.detail or "")  # no case content in the audit text


def test_flush_hooks_belong_to_the_store_sessions_only(store, actor):
    """The outbox and search hooks ride on the store's session factory, not on every
    SQLAlchemy Session in the process (the server's sessions live in the same process in
    tests)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from app.storage import outbox, search

    assert not event.contains(Session, "before_flush", outbox.write_outbox)
    assert not event.contains(Session, "after_flush", search.reindex_flushed)
    before = _count(store, OutboxEntry)
    with Session(bind=store.engine) as other:  # a session the store did not make
        other.add(Person(id="p-outside", name="外部 太郎", kana="がいぶ たろう"))
        other.commit()
    assert _count(store, OutboxEntry) == before
    with store.session() as s:
        s.add(Person(name="店舗 花子", kana="てんぽ はなこ"))
    with store.session() as s:
        entries = s.scalars(select(OutboxEntry.row_id)).all()
        assert len(entries) == before + 1 and "p-outside" not in entries
        assert search.search_refs(s, "person", "店舗")
        assert not search.search_refs(s, "person", "外部")
