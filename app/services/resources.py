"""Regional resources (地域資源): shared with everyone, searchable like persons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import ValidationError
from app.domain.records import Actor, ResourceData
from app.services import audit
from app.services.lookup import Names, get_or_raise
from app.storage.collation import reading_order
from app.storage.models import Resource
from app.storage.search import search_refs

FIELDS = ("name", "kana", "kind", "district_id", "address", "schedule", "contact", "notes")


def _data(r: Resource, names: Names) -> ResourceData:
    return ResourceData(
        id=r.id, name=r.name, kana=r.kana, kind=r.kind, district_id=r.district_id,
        district_name=names.district(r.district_id), address=r.address, schedule=r.schedule,
        contact=r.contact, notes=r.notes, version=r.version,
    )  # fmt: skip


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: (v if v != "" else None) for k, v in values.items() if k in FIELDS}
    if "name" in values and not (values.get("name") or "").strip():
        raise ValidationError("名称を入力してください。", "Enter a name.", field="name")
    if out.get("kind"):
        out["kind"] = vocab.parse(vocab.RESOURCE_KIND, str(out["kind"]), "kind")
    return out


def list_resources(
    session: Session, *, text: str = "", district_id: str | None = None
) -> list[ResourceData]:
    names = Names(session)
    stmt = (
        select(Resource)
        .where(Resource.deleted.is_(False))
        .order_by(reading_order(Resource.kana, Resource.name))
    )
    if text.strip():
        stmt = stmt.where(Resource.id.in_(search_refs(session, "resource", text, limit=1000)))
    if district_id:
        stmt = stmt.where(Resource.district_id == district_id)
    return [_data(r, names) for r in session.scalars(stmt)]


def create_resource(session: Session, actor: Actor, **values: Any) -> str:
    data = _validate(values)
    if not data.get("name"):
        raise ValidationError("名称を入力してください。", "Enter a name.", field="name")
    r = Resource(**data)
    session.add(r)
    session.flush()
    audit.record(session, actor, "create", "resource", r.id)
    return r.id


def update_resource(
    session: Session, actor: Actor, resource_id: str, values: dict[str, Any]
) -> None:
    r = get_or_raise(session, Resource, resource_id, "resource")
    for k, v in _validate(values).items():
        setattr(r, k, v)
    audit.record(session, actor, "update", "resource", r.id)
