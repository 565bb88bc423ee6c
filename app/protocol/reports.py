"""実績報告: aggregate counts by district, as the 連絡会 compares them. Pure SQLAlchemy Core.

The same ``compute`` runs on two stores through a :class:`Source`, a set of selectables with
the same column names:

- :func:`laptop_source`: the laptop's typed tables (SQLCipher), i.e. what the laptop holds;
- ``app.server.crud.report_source.server_source``: the server's generic ``record`` table
  (wire-form JSON), limited to the viewer's scope by the server's own rules
  (app/server/crud/scope.py): the whole city for an administrator.

Dates are compared as ISO text (``YYYY-MM-DD``), which both stores hold, so no dialect's
date type is involved; the only dialect-specific piece is the day number used for reply
times (:attr:`Source.day_number`). Every number is a count of rows (no personal data); a
case counts in the district of the case (``case.district_id``), its referrals, contacts and
tasks with it.

Definitions (period = inclusive days, ``as_of`` = the day the report is made for):
- new: ``opened_on`` in the period; closed: ``closed_on`` in the period;
- ongoing: opened on or before the period's end (or no opening date) and not closed by then
  (a 終結 case without a closing date counts as closed, not ongoing);
- referrals: ``referral_date`` in the period, drafts excluded; reply time = reply date minus
  referral date in days;
- contacts: ``contact_at`` in the period; meetings: ``held_on`` in the period, by the
  meeting's district; cases discussed: distinct cases on those meetings, by case district;
- tasks (役割分担): due in the period. Done on time: done with ``completed_on`` on or before
  the due date; done late: after it; done with no completion day (tasks done before the day
  was recorded, client migration 0013): counted as done, not in the rate; overdue: not done
  and the due date passed by ``as_of``. The on-time rate is on time / (on time + late +
  overdue), i.e. of the tasks whose outcome is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Date,
    String,
    and_,
    case,
    cast,
    column,
    distinct,
    func,
    literal,
    not_,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, FromClause, operators
from sqlalchemy.sql.elements import UnaryExpression

from app.protocol.periods import Period, month_label

Vocabulary = dict[str, tuple[str, str]]  # code -> (ja, en), as app.domain.vocab defines them


@dataclass(frozen=True)
class ReportVocab:
    """The vocabularies the report counts by (app.domain.vocab's, handed in by the caller:
    this package imports nothing of the application's domain)."""

    issue_category: Vocabulary
    contact_kind: Vocabulary
    referral_status: Vocabulary
    meeting_kind: Vocabulary


def pick(ja: str, en: str, lang: str | None) -> str:
    return en if lang == "en" else ja


NO_DISTRICT = "_none"
NO_AGENCY = "_none"
TOTAL = "_total"
REPLY_BUCKETS: tuple[tuple[str, int | None, str, str], ...] = (
    # (code, upper bound in days (inclusive), ja, en)
    ("d7", 7, "7日以内", "Within 7 days"),
    ("d14", 14, "8〜14日", "8-14 days"),
    ("d30", 30, "15〜30日", "15-30 days"),
    ("over30", None, "31日以上", "31 days or more"),
    ("none", None, "未回答", "No reply yet"),
)


# --- the result: plain data ---------------------------------------------------------------


@dataclass(frozen=True)
class CountTable:
    """Counts: rows (a measure or category) by columns (districts). ``row_totals``: a 計
    column (sum over districts) is meaningful; ``col_totals``: a 合計 row is (the rows
    partition the counted things, e.g. referral statuses, not issue categories)."""

    key: str
    title: str
    rows: tuple[tuple[str, str], ...]  # (code, label)
    columns: tuple[tuple[str, str], ...]  # (district code, name)
    values: tuple[tuple[int, ...], ...]
    row_totals: bool = True
    col_totals: bool = True
    note: str = ""

    def value(self, row: str, col: str) -> int:
        ri = [r for r, _ in self.rows].index(row)
        if col == TOTAL:
            return sum(self.values[ri])
        return self.values[ri][[c for c, _ in self.columns].index(col)]

    def row_sum(self, ri: int) -> int:
        return sum(self.values[ri])

    def col_sum(self, ci: int) -> int:
        return sum(r[ci] for r in self.values)

    def grand_total(self) -> int:
        return sum(sum(r) for r in self.values)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "note": self.note,
            "rows": [list(r) for r in self.rows], "columns": [list(c) for c in self.columns],
            "values": [list(v) for v in self.values],
            "row_totals": self.row_totals, "col_totals": self.col_totals,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CountTable:
        return cls(
            key=d["key"], title=d["title"], note=d.get("note", ""),
            rows=tuple((str(a), str(b)) for a, b in d["rows"]),
            columns=tuple((str(a), str(b)) for a, b in d["columns"]),
            values=tuple(tuple(int(x) for x in v) for v in d["values"]),
            row_totals=bool(d["row_totals"]), col_totals=bool(d["col_totals"]),
        )  # fmt: skip


@dataclass(frozen=True)
class Report:
    """A whole 実績報告: period, where it was computed, and its tables. No personal data."""

    period: Period
    as_of: dt.date
    scope: str  # "laptop" / "server:all" / "server:scope"
    tables: tuple[CountTable, ...]
    # Means that are not counts, by district code (and TOTAL): {key: {district: value}}.
    figures: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def table(self, key: str) -> CountTable:
        return next(t for t in self.tables if t.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": {"kind": self.period.kind, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat(), "label": self.period.label,
                       "code": self.period.code},
            "as_of": self.as_of.isoformat(), "scope": self.scope,
            "tables": [t.as_dict() for t in self.tables], "figures": self.figures,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        p = d["period"]
        period = Period(
            p["kind"], dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"])
        )
        return cls(
            period=period, as_of=dt.date.fromisoformat(d["as_of"]), scope=d["scope"],
            tables=tuple(CountTable.from_dict(t) for t in d["tables"]),
            figures={k: dict(v) for k, v in d.get("figures", {}).items()},
        )  # fmt: skip


# --- where the rows come from ----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Selectables with fixed column names (all dates as ISO text):

    case(id, district_id, status, opened, closed, cats)      cats: the JSON list as text
    referral(case_id, day, status, to_agency_id, reply_day)
    contact(case_id, at, kind)         at: the date-time text as stored
    meeting(id, day, district_id, kind)
    meeting_case(meeting_id, case_id)
    task(case_id, due, done, completed)      completed: the completion day (ISO) or NULL
    district(id, code, name, sort_order)
    agency(id, code, name)
    """

    case: FromClause
    referral: FromClause
    contact: FromClause
    meeting: FromClause
    meeting_case: FromClause
    task: FromClause
    district: FromClause
    agency: FromClause
    day_number: Callable[[Any], ColumnElement[Any]]
    contains: Callable[[Any, str], ColumnElement[bool]]
    scope: str
    # The child side of a join to ``case`` as the planner must treat it (see ``probe_for``).
    probe: Callable[[Any], Any] = lambda col: col
    # case_key(id, district_id): what a joined row finds its case's district in (None: case).
    case_key: FromClause | None = None
    params: dict[str, Any] = field(default_factory=dict)


def contains_for(dialect: str) -> Callable[[Any, str], ColumnElement[bool]]:
    """``text contains needle``: a plain substring test (instr / strpos), several times
    cheaper per row than LIKE '%...%' in SQLite's case scan."""
    if dialect == "postgresql":
        return lambda col, needle: func.strpos(col, needle) > 0
    return lambda col, needle: func.instr(col, needle) > 0


def probe_for(dialect: str) -> Callable[[Any], Any]:
    """SQLite: ``+column`` keeps the planner from driving a join to ``case`` from the case
    side (every case, then an index search of its rows by case id): the rows of the period
    are read from their own covering index and each finds its case by ``ix_case_id_district``
    (measured on 100,000 cases: the contacts' scan 4x faster). PostgreSQL plans hash joins."""
    if dialect == "postgresql":
        return lambda col: col
    return lambda col: UnaryExpression(col, operator=operators.custom_op("+"))


def day_number_for(dialect: str) -> Callable[[Any], ColumnElement[Any]]:
    """An expression giving a day count for an ISO date text (differences are days)."""
    if dialect == "postgresql":
        return lambda col: cast(col, Date) - cast(literal("2000-01-01"), Date)
    return lambda col: func.julianday(col)


def _text(col: Any) -> ColumnElement[Any]:
    return type_coerce(col, String)


def laptop_source(dialect: str = "sqlite") -> Source:
    """The laptop's own tables: what it holds (deleted rows excluded)."""
    import app.storage.models as m

    def live(model: Any) -> ColumnElement[bool]:
        return model.deleted.is_(False)

    c = select(
        m.Case.id, m.Case.district_id, m.Case.status,
        _text(m.Case.opened_on).label("opened"), _text(m.Case.closed_on).label("closed"),
        _text(m.Case.issue_categories).label("cats"),
    ).where(live(m.Case)).subquery("c")  # fmt: skip
    r = select(
        m.Referral.case_id, _text(m.Referral.referral_date).label("day"), m.Referral.status,
        m.Referral.to_agency_id, _text(m.Referral.reply_date).label("reply_day"),
    ).where(live(m.Referral)).subquery("r")  # fmt: skip
    k = (
        select(
            m.ContactRecord.case_id,
            _text(m.ContactRecord.contact_at).label("at"),
            m.ContactRecord.kind,
        )
        .where(live(m.ContactRecord))
        .subquery("k")
    )
    mt = select(
        m.SupportMeeting.id, _text(m.SupportMeeting.held_on).label("day"),
        m.SupportMeeting.district_id, m.SupportMeeting.kind,
    ).where(live(m.SupportMeeting)).subquery("mt")  # fmt: skip
    mc = select(m.MeetingCase.meeting_id, m.MeetingCase.case_id).where(live(m.MeetingCase))
    t = select(
        m.RoleAssignment.case_id, _text(m.RoleAssignment.due_date).label("due"),
        m.RoleAssignment.done, _text(m.RoleAssignment.completed_on).label("completed"),
    ).where(live(m.RoleAssignment)).subquery("t")  # fmt: skip
    # A row's case district, from ix_case_id_district alone (named: without statistics the
    # planner would take the primary key's index and read every case row it finds).
    ck = (
        text('SELECT id, district_id FROM "case" INDEXED BY ix_case_id_district WHERE deleted = 0')
        .columns(column("id", String), column("district_id", String))
        .subquery("ck")
    )
    d = select(m.District.id, m.District.code, m.District.name, m.District.sort_order).where(
        live(m.District)
    )
    a = select(m.Agency.id, m.Agency.code, m.Agency.name).where(live(m.Agency))
    return Source(
        case=c, referral=r, contact=k, meeting=mt, meeting_case=mc.subquery("mc"), task=t,
        district=d.subquery("d"), agency=a.subquery("a"), day_number=day_number_for(dialect),
        contains=contains_for(dialect), probe=probe_for(dialect), case_key=ck,
        scope="laptop",
    )  # fmt: skip


# --- the computation ------------------------------------------------------------------------


def _between(col: Any, period: Period) -> ColumnElement[bool]:
    return and_(col >= period.start.isoformat(), col <= period.end.isoformat())


def _within_days(col: Any, period: Period) -> ColumnElement[bool]:
    """A date-time text (``2026-04-01 10:00`` or ``2026-04-01T10:00``) within the period's
    days: compared as it is stored, so an index on it can serve the range."""
    after = (period.end + dt.timedelta(days=1)).isoformat()
    return and_(col >= period.start.isoformat(), col < after)


def _sum(cond: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((cond, 1), else_=0))


class _Runner:
    def __init__(self, conn: Connection | Session, src: Source) -> None:
        self.conn, self.src = conn, src

    def rows(self, stmt: Any) -> list[Any]:
        return list(self.conn.execute(stmt, self.src.params).all())


def compute(
    conn: Connection | Session,
    src: Source,
    period: Period,
    *,
    vocab: ReportVocab,
    as_of: dt.date | None = None,
    lang: str | None = "ja",
) -> Report:
    """The whole report for ``period`` from ``src`` (a handful of grouped scans)."""
    as_of = as_of or dt.date.today()
    run = _Runner(conn, src)
    L: Callable[[str, str], str] = lambda ja, en: pick(ja, en, lang)  # noqa: E731
    districts = [(r.id, r.code, r.name) for r in run.rows(
        select(src.district).order_by(src.district.c.sort_order, src.district.c.code)
    )]  # fmt: skip
    code_of = {i: code for i, code, _ in districts}
    col_codes = [code for _, code, _ in districts]
    col_names = dict((code, name) for _, code, name in districts)

    def dcode(district_id: str | None) -> str:
        return code_of.get(district_id or "", NO_DISTRICT)

    grids: dict[str, dict[tuple[str, str], int]] = {}

    def add(table: str, row: str, district_id: str | None, n: int) -> None:
        g = grids.setdefault(table, {})
        key = (row, dcode(district_id))
        g[key] = g.get(key, 0) + int(n or 0)

    # Cases, in one scan (each scan decrypts the whole table): new cases by month with their
    # issues, ongoing and closed. Grouping by an expression rather than the bare column keeps
    # SQLite from walking ix_case_district_id, which would read the rows in random order.
    cs = src.case
    c = cs.c
    end = period.end.isoformat()
    closed_by_end = or_(
        and_(c.closed.is_not(None), c.closed <= end),
        and_(c.closed.is_(None), c.status == "closed"),
    )
    new = _between(c.opened, period)
    cats = list(vocab.issue_category)
    ym = case((new, func.substr(c.opened, 1, 7)), else_="")
    dkey = func.coalesce(c.district_id, "")
    stmt = select(
        dkey.label("district_id"),
        ym.label("ym"),
        func.count().label("n"),
        _sum(and_(or_(c.opened.is_(None), c.opened <= end), not_(closed_by_end))).label("ongoing"),
        _sum(_between(c.closed, period)).label("closed"),
        *[_sum(src.contains(c.cats, f'"{code}"')).label(f"cat_{code}") for code in cats],
    ).group_by(dkey, ym)
    for r in run.rows(stmt):
        district = r.district_id or None
        add("cases", "ongoing", district, r.ongoing)
        add("cases", "closed", district, r.closed)
        if r.ym:  # new in the period
            add("cases", "new", district, r.n)
            add("new_by_month", str(r.ym), district, r.n)
            for code in cats:
                add("categories", code, district, getattr(r, f"cat_{code}"))
    months = period.months()

    # Rows of other tables find their case's district through the case key.
    ck = src.case_key if src.case_key is not None else cs
    kc = ck.c
    # Referrals: by destination, status and reply time, in one grouped scan.
    rf = src.referral.c
    days = src.day_number(rf.reply_day) - src.day_number(rf.day)
    bucket = case(
        (rf.reply_day.is_(None), "none"),
        (days <= 7, "d7"),
        (days <= 14, "d14"),
        (days <= 30, "d30"),
        else_="over30",
    )
    stmt = (
        select(
            kc.district_id,
            rf.to_agency_id,
            rf.status,
            bucket.label("bucket"),
            func.count().label("n"),
            func.sum(case((rf.reply_day.is_not(None), days), else_=0)).label("days"),
        )  # fmt: skip
        .select_from(src.referral)
        .join(ck, kc.id == src.probe(rf.case_id))
        .where(_between(rf.day, period), rf.status != "draft")
        .group_by(kc.district_id, rf.to_agency_id, rf.status, bucket)
    )
    agency_ids: set[str] = set()
    reply_sum: dict[str, float] = {}
    reply_n: dict[str, int] = {}
    for r in run.rows(stmt):
        agency_ids.add(r.to_agency_id or NO_AGENCY)
        add("referral_agency", r.to_agency_id or NO_AGENCY, r.district_id, r.n)
        add("referral_status", r.status, r.district_id, r.n)
        add("referral_reply", r.bucket, r.district_id, r.n)
        if r.bucket != "none":
            for dk in (dcode(r.district_id), TOTAL):
                reply_sum[dk] = reply_sum.get(dk, 0.0) + float(r.days or 0)
                reply_n[dk] = reply_n.get(dk, 0) + int(r.n)

    # Contacts by kind.
    ks = src.contact
    k = ks.c
    for r in run.rows(
        select(kc.district_id, k.kind, func.count().label("n"))
        .select_from(ks)
        .join(ck, kc.id == src.probe(k.case_id))
        .where(_within_days(k.at, period))
        .group_by(kc.district_id, k.kind)
    ):
        add("contacts", r.kind, r.district_id, r.n)

    # Meetings held (by the meeting's district and kind) and cases discussed (distinct cases,
    # by the case's district).
    mt, mc = src.meeting.c, src.meeting_case.c
    for r in run.rows(
        select(mt.district_id, mt.kind, func.count().label("n"))
        .where(_between(mt.day, period))
        .group_by(mt.district_id, mt.kind)
    ):
        add("meetings", r.kind, r.district_id, r.n)
    for r in run.rows(
        select(kc.district_id, func.count(distinct(mc.case_id)).label("n"))
        .select_from(src.meeting_case)
        .join(src.meeting, mt.id == mc.meeting_id)
        .join(ck, kc.id == src.probe(mc.case_id))
        .where(_between(mt.day, period))
        .group_by(kc.district_id)
    ):
        add("meetings", "cases_discussed", r.district_id, r.n)

    # Tasks due in the period: done on time, late or on an unknown day; not done, due date
    # passed (by as_of) or not; in one scan.
    t = src.task.c
    done = t.done.is_(True)
    past = t.due < as_of.isoformat()
    state = case(
        (and_(done, t.completed.is_not(None), t.completed <= t.due), "on_time"),
        (and_(done, t.completed.is_not(None)), "late"),
        (done, "done_undated"),
        (past, "overdue"),
        else_="open",
    )
    for r in run.rows(
        select(kc.district_id, state.label("state"), func.count().label("n"))
        .select_from(src.task)
        .join(ck, kc.id == src.probe(t.case_id))
        .where(_between(t.due, period))
        .group_by(kc.district_id, state)
    ):
        add("tasks", r.state, r.district_id, r.n)

    # Agency names for the referral rows that occur.
    names: dict[str, str] = {}
    if agency_ids - {NO_AGENCY}:
        a = src.agency.c
        names = {r.id: r.name for r in run.rows(select(a.id, a.name))}
    if any(col == NO_DISTRICT for g in grids.values() for (_r, col) in g):
        col_codes.append(NO_DISTRICT)
        col_names[NO_DISTRICT] = L("地区未設定", "No district")
    columns = tuple((code, col_names[code]) for code in col_codes)

    def table(key: str, title: str, rows: Iterable[tuple[str, str]], grid: str | None = None,
              *, row_totals: bool = True, col_totals: bool = True, note: str = "") -> CountTable:  # fmt: skip
        g = grids.get(grid or key, {})
        rows = tuple(rows)
        values = tuple(tuple(g.get((r, col), 0) for col in col_codes) for r, _ in rows)
        return CountTable(key, title, rows, columns, values, row_totals, col_totals, note)

    def voc(v: Vocabulary) -> list[tuple[str, str]]:
        return [(code, pick(ja, en, lang)) for code, (ja, en) in v.items()]

    # Most referrals first (ties by name), 未設定 last: the order the 連絡会 reads them in.
    per_agency: dict[str, int] = {}
    for (row, _col), n in grids.get("referral_agency", {}).items():
        per_agency[row] = per_agency.get(row, 0) + n
    agencies = sorted(
        agency_ids, key=lambda i: (i == NO_AGENCY, -per_agency.get(i, 0), names.get(i, i))
    )
    tasks_rows = [("on_time", L("期限内に完了", "Done on time")),
                  ("late", L("期限後に完了", "Done late")),
                  ("done_undated", L("完了（完了日の記録なし）", "Done, day not recorded")),
                  ("overdue", L("未完了（期限超過）", "Not done, overdue")),
                  ("open", L("未完了（期限前）", "Not done, not yet due"))]  # fmt: skip
    tables = (
        table("cases", L("ケース数（新規・継続・終結）", "Cases (new, ongoing, closed)"),
              [("new", L("新規受付", "New")), ("ongoing", L("継続中（期末時点）", "Ongoing at period end")),
               ("closed", L("終結", "Closed"))], col_totals=False),  # fmt: skip
        table("new_by_month", L("月別新規受付件数", "New cases by month"),
              [(f"{y:04d}-{m:02d}", month_label(y, m)) for y, m in months]),
        table("categories", L("課題別新規受付件数（複数選択）", "New cases by issue (several per case)"),
              voc(vocab.issue_category), col_totals=False,
              note=L("1件のケースに複数の課題があるため、合計はケース数と一致しません。",
                     "A case may have several issues: the rows do not add up to cases.")),
        table("referral_agency", L("つなぎ先機関別の件数（うけとめ・つなげるシート）", "Referrals by receiving agency"),
              [(i, names.get(i, L("未設定", "Not set")) if i != NO_AGENCY else L("未設定", "Not set"))
               for i in agencies]),  # fmt: skip
        table("referral_status", L("つなぎの状況別件数", "Referrals by status"),
              [r for r in voc(vocab.referral_status) if r[0] != "draft"]),
        table("referral_reply", L("つなぎ先からの回答までの日数", "Days until the receiving agency replied"),
              [(code, pick(ja, en, lang)) for code, _d, ja, en in REPLY_BUCKETS]),
        table("contacts", L("相談・訪問の種別件数", "Contacts by kind"), voc(vocab.contact_kind)),
        table("meetings", L("会議の開催回数と検討ケース数", "Meetings held and cases discussed"),
              [*voc(vocab.meeting_kind), ("cases_discussed", L("検討したケース（実数）", "Cases discussed"))],
              col_totals=False,
              note=L("開催回数は会議の地区、検討ケースはケースの地区で数えています。",
                     "Meetings count in the meeting's district, cases in the case's.")),
        table("tasks", L("役割分担（期限が期間内のもの）", "Tasks due in the period"), tasks_rows,
              note=L(f"{as_of.isoformat()} 時点の状況。期限内＝完了日が期限以前。",
                     f"As of {as_of.isoformat()}. On time: completed on or before the due date.")),
    )  # fmt: skip
    figures: dict[str, dict[str, float | None]] = {
        "reply_days_mean": {
            code: (round(reply_sum[code] / reply_n[code], 1) if reply_n.get(code) else None)
            for code in [*col_codes, TOTAL]
        },
        "reply_count": {code: float(reply_n.get(code, 0)) for code in [*col_codes, TOTAL]},
        "tasks_on_time_rate": _rates(grids, col_codes),
        "tasks_due_count": _due_counts(grids, col_codes),
    }
    return Report(period=period, as_of=as_of, scope=src.scope, tables=tables, figures=figures)


_DECIDED = ("on_time", "late", "overdue")


def _rates(
    grids: dict[str, dict[tuple[str, str], int]], cols: list[str]
) -> dict[str, float | None]:
    """Done-on-time share of the tasks whose outcome is known (done on a recorded day, or
    overdue by ``as_of``), per district."""
    tasks = grids.get("tasks", {})
    out: dict[str, float | None] = {}
    tot_on = tot_known = 0
    for col in cols:
        on = tasks.get(("on_time", col), 0)
        known = sum(tasks.get((s, col), 0) for s in _DECIDED)
        tot_on, tot_known = tot_on + on, tot_known + known
        out[col] = round(on / known, 3) if known else None
    out[TOTAL] = round(tot_on / tot_known, 3) if tot_known else None
    return out


def _due_counts(
    grids: dict[str, dict[tuple[str, str], int]], cols: list[str]
) -> dict[str, float | None]:
    """The rate's denominator (tasks whose outcome is known), per district."""
    tasks = grids.get("tasks", {})
    out: dict[str, float | None] = {
        c: float(sum(tasks.get((s, c), 0) for s in _DECIDED)) for c in cols
    }
    out[TOTAL] = float(sum(v or 0 for v in out.values()))
    return out
