"""実績報告 for the desktop and the CLI: compute (laptop or server), export, audit.

Reports are for coordinators and administrators (PermissionDenied otherwise). Every report
shown and every file written leaves an audit event (entity ``report``, detail: period, scope,
format, suppression threshold; never a count or a name). Files are aggregate tables only;
there is deliberately no case-list export here: a list of cases is personal data and goes
through the password-protected PDF documents (app.reports.service) instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.records import Actor
from app.protocol import reports as stats
from app.protocol.periods import Period, PeriodError
from app.reports import sheets
from app.reports.files import write_atomic
from app.reports.service import _check_target
from app.services import audit, masters
from app.storage.db import Store

VOCAB = stats.ReportVocab(
    vocab.ISSUE_CATEGORY, vocab.CONTACT_KIND, vocab.REFERRAL_STATUS, vocab.MEETING_KIND
)


def report_vocab(session: Session) -> stats.ReportVocab:
    """The vocabularies with the issue categories of the master table (retired ones too: a
    report counts what cases hold), as the server reads its own (they agree after a sync)."""
    return stats.ReportVocab(
        masters.issue_vocab(session, every=True), vocab.CONTACT_KIND, vocab.REFERRAL_STATUS,
        vocab.MEETING_KIND,
    )  # fmt: skip


REPORT_ROLES = frozenset({"coordinator", "admin"})
FORMATS = ("xlsx", "csv")


def parse_period(*, fy: str | int | None = None, month: str | None = None) -> Period:
    """``Period.parse`` with its error as a ValidationError (one clear line in the CLI)."""
    try:
        return Period.parse(fy=fy, month=month)
    except PeriodError as exc:
        raise ValidationError(exc.ja, exc.en, field=exc.field) from None


def check_role(actor: Actor) -> None:
    if actor.role not in REPORT_ROLES:
        raise PermissionDenied(
            "実績報告はコーディネーターと管理者だけが利用できます。",
            "Reports are for coordinators and administrators.",
        )


def _detail(report: stats.Report, extra: str = "") -> str:
    return f"report period={report.period.code} scope={report.scope}{extra}"[:200]


def compute_local(
    session: Session, actor: Actor, period: Period, *, as_of: dt.date | None = None,
    lang: str | None = None, audit_view: bool = True,
) -> stats.Report:  # fmt: skip
    """What this laptop holds, computed offline in the caller's session (the UI's worker)."""
    check_role(actor)
    report = compute_laptop(session, period, as_of=as_of, lang=lang)
    if audit_view:
        audit.record(session, actor, "view", "report", None, _detail(report))
    return report


# Page cache while a report runs on the laptop (KiB): the case table and the tables joined to
# it stay decrypted in memory for the report's few scans and many lookups by case id, instead
# of each page being decrypted again (SQLCipher) when the default cache is too small.
REPORT_CACHE_KIB = 96 * 1024


def compute_laptop(
    session: Session, period: Period, *, as_of: dt.date | None = None, lang: str | None = None
) -> stats.Report:
    """``stats.compute`` over this laptop's tables, with a larger page cache meanwhile."""
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{REPORT_CACHE_KIB}")
    try:
        return stats.compute(
            session,
            stats.laptop_source(),
            period,
            vocab=report_vocab(session),
            as_of=as_of,
            lang=lang or "ja",
        )
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def local_report(
    store: Store, actor: Actor, period: Period, *, as_of: dt.date | None = None,
    lang: str | None = None, audit_view: bool = True,
) -> stats.Report:  # fmt: skip
    with store.session() as s:
        return compute_local(s, actor, period, as_of=as_of, lang=lang, audit_view=audit_view)


def fetch_server_report(
    store: Store, actor: Actor, period: Period, *, as_of: dt.date | None = None,
    lang: str | None = None,
) -> stats.Report:  # fmt: skip
    """The server's computation (whole city for an administrator, the coordinator's scope
    otherwise), not yet audited here (see ``audit_viewed``). Needs the network and an
    enrolment; raises the sync errors (NotEnrolled, ServerUnreachable, ...) otherwise."""
    from app.sync import state
    from app.sync.errors import NotEnrolled
    from app.sync.transport import Transport

    check_role(actor)
    enrollment = state.enrollment(store)
    if enrollment is None:
        raise NotEnrolled()
    query = {**period.query(), "lang": lang or "ja"}
    if as_of is not None:
        query["as_of"] = as_of.isoformat()
    data = Transport(enrollment.server_url, enrollment.token).report_summary(query)
    return stats.Report.from_dict(data["report"])


def audit_viewed(session: Session, actor: Actor, report: stats.Report) -> None:
    audit.record(session, actor, "view", "report", None, _detail(report))


def server_report(
    store: Store, actor: Actor, period: Period, *, as_of: dt.date | None = None,
    lang: str | None = None,
) -> stats.Report:  # fmt: skip
    report = fetch_server_report(store, actor, period, as_of=as_of, lang=lang)
    with store.session() as s:
        audit_viewed(s, actor, report)
    return report


def export(
    store: Store, actor: Actor, report: stats.Report, path: Path, fmt: str | None = None, *,
    threshold: int | None = None, lang: str | None = None,
) -> int:  # fmt: skip
    """Write the report as .xlsx or .csv (``fmt`` from the suffix if not given), with small
    counts hidden when ``threshold`` is set (for use outside the office). The file appears
    only with its audit event committed (written beside, audited, renamed). Returns bytes."""
    check_role(actor)
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValidationError(
            "保存形式は .xlsx か .csv にしてください。", "Save as .xlsx or .csv.", field="format"
        )
    if threshold is not None and not 2 <= threshold <= 100:
        raise ValidationError(
            "秘匿のしきい値は 2〜100 で指定してください。",
            "The suppression threshold must be 2-100.", field="threshold",
        )  # fmt: skip
    _check_target(path)
    data = sheets.render(report, fmt, threshold, lang)
    extra = f" format={fmt} suppressed={threshold or 0}"

    def audited() -> None:  # the file appears only once its event is committed
        with store.session() as s:
            audit.record(s, actor, "export", "report", None, _detail(report, extra))

    write_atomic(data, path, audited)
    return len(data)
