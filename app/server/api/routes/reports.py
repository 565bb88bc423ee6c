"""実績報告 on the server: the same computation as the laptop (app.protocol.reports), over the
whole city for an administrator and over a coordinator's scope (the pull's scope rules).
Outreach workers get 403: reports are for coordinators and administrators."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.domain import vocab
from app.protocol import reports as stats
from app.protocol.periods import Period, PeriodError
from app.server import errors
from app.server.api.deps import CurrentDevice, SessionsDep, transaction
from app.server.crud import audit, bulk
from app.server.crud.report_source import issue_vocab, server_source
from app.server.schemas import error_responses
from app.server.timeutil import server_time

router = APIRouter(prefix="/reports", tags=["reports"])
_ERR = error_responses(401, 403, 422)
VOCAB = stats.ReportVocab(
    vocab.ISSUE_CATEGORY, vocab.CONTACT_KIND, vocab.REFERRAL_STATUS, vocab.MEETING_KIND
)
REPORT_ROLES = frozenset({"coordinator", "admin"})


def report_vocab(s: Any) -> stats.ReportVocab:
    """The issue categories of the master records (as every laptop has them after a pull)."""
    return stats.ReportVocab(
        issue_vocab(s) or dict(vocab.ISSUE_CATEGORY), vocab.CONTACT_KIND,
        vocab.REFERRAL_STATUS, vocab.MEETING_KIND,
    )  # fmt: skip


@router.get("/summary", responses=_ERR)
def summary(
    auth: CurrentDevice,
    sessions: SessionsDep,
    fy: Annotated[int | None, Query(ge=1900, le=2200, description="fiscal year (April)")] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")] = None,
    as_of: Annotated[dt.date | None, Query(description="task status day (default today)")] = None,
    lang: Annotated[str, Query(pattern="^(ja|en)$")] = "ja",
) -> dict[str, Any]:
    """Counts by district for the fiscal year ``fy`` or the ``month``: cases, issues,
    referrals, contacts, meetings and tasks (see app/protocol/reports.py for the definitions).
    Counts only: no names, no case ids."""
    if auth.viewer.role not in REPORT_ROLES:
        raise errors.forbidden()
    try:
        period = Period.parse(fy=fy, month=month)
    except PeriodError as exc:
        raise errors.invalid_reference(exc.ja, exc.en) from None
    with transaction(sessions) as s:
        src = server_source(auth.viewer, bulk.dialect_of(s))
        report = stats.compute(s, src, period, vocab=report_vocab(s), as_of=as_of, lang=lang)
        audit.add(
            s,
            action="report.summary",
            user_id=auth.user_id,
            device_id=auth.device_id,
            remote=auth.remote,
            period=period.code,
            scope=report.scope,
        )
    return {"server_time": server_time(), "report": report.as_dict()}
