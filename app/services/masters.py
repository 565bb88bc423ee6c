"""The master data administrators set on the server and every laptop pulls: issue categories
(課題の分類), 小学校区, and the default organiser of meetings (whose pledges are addressed to it).

Read from the laptop's own tables (migration 0013 seeds them; a sync brings the server's
changes). A retired category (``active`` false) or a removed one (tombstoned by the server)
is no longer offered, but still names the cases that hold it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.records import CodeChoice, Vocabulary, code_vocab
from app.domain.seed import agency_id
from app.storage.models import Agency, IssueCategory, SchoolZone

# The organiser when no agency is marked as the default: the city's promotion section.
FALLBACK_ORGANISER = agency_id("suishin")


def issue_categories(session: Session) -> tuple[CodeChoice, ...]:
    rows = session.execute(
        select(
            IssueCategory.code, IssueCategory.name, IssueCategory.name_en, IssueCategory.active,
            IssueCategory.deleted,
        ).order_by(IssueCategory.sort_order, IssueCategory.code)
    ).all()  # fmt: skip
    return tuple(
        CodeChoice(code=c, name=n, name_en=en, active=bool(a) and not d) for c, n, en, a, d in rows
    )


def school_zones(session: Session) -> tuple[CodeChoice, ...]:
    rows = session.execute(
        select(SchoolZone.code, SchoolZone.name, SchoolZone.active, SchoolZone.district_id)
        .where(SchoolZone.deleted.is_(False))
        .order_by(SchoolZone.sort_order, SchoolZone.code)
    ).all()
    return tuple(CodeChoice(code=c, name=n, active=bool(a), group=g) for c, n, a, g in rows)


def issue_vocab(session: Session, *, every: bool = False) -> Vocabulary:
    """code -> (ja, en): the active categories in order (``every``: retired ones too, for
    labels and reports). The fixed list where the table is empty (a store before 0012)."""
    rows = issue_categories(session)
    if not rows:
        return dict(vocab.ISSUE_CATEGORY)
    return code_vocab(rows, [r.code for r in rows] if every else ())


def parse_issues(session: Session, values: list[str], field: str) -> list[str]:
    """Codes or labels to codes. A label must name an active category; a code is accepted
    even when retired (the codes a record already holds stay valid when it is edited)."""
    every = issue_vocab(session, every=True)
    active = issue_vocab(session)
    out: list[str] = []
    for v in values:
        text = v.strip()
        if text in every:  # a code, retired or not (a record's own codes stay valid)
            out.append(text)
        else:
            out.append(vocab.parse(active, text, field))
    return out


def default_organiser(session: Session) -> str:
    """The agency marked by an administrator as the default organiser, else 推進担当課."""
    marked = session.execute(
        select(Agency.id)
        .where(Agency.default_organiser.is_(True), Agency.deleted.is_(False))
        .order_by(Agency.updated_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    return marked or FALLBACK_ORGANISER
