"""Importing the regional resource register (地域資源, e.g. あましえあ) and existing cases from
the system an office used before, from CSV or Excel (files: app.services.import_files).

One function, ``run_import``, both plans (dry run) and imports, so the report a person checks
is exactly what the import does: a dry run runs the same work inside a savepoint and rolls it
back. Rows are matched on a stable key, so importing the same file again changes nothing:

- resources: 名称 + 地区 (the register has no id of ours; names are compared after NFKC and
  with spaces removed);
- cases: ケース番号 (the previous system's number, kept as the case number here), and the
  person's name must agree, so a number that is already one of our own cases is not
  overwritten.

An empty cell never clears a value that is already recorded (nothing a person recorded is
lost by an import); a changed value updates it. 対象 (target groups) has no column of its own in
the resource table: it is kept as the first line of 備考 (``対象: …``).

Every added or updated row writes an AuditEvent (``detail`` names the row number and the
file's digest, never personal data); rows go through the outbox like any edit, so they sync.
Only coordinators and administrators import (DOMAIN.md: bulk changes to the register and to
case assignment are theirs). Any row the file cannot express (a bad date) refuses the whole
import; rows that are only incomplete are skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import PermissionDenied, ValidationError, YorisoiError
from app.domain.records import Actor
from app.services import audit, masters
from app.services.import_files import COLUMNS, BadDate, Table, parse_date
from app.storage.models import (
    Case,
    CaseTeamMember,
    District,
    Household,
    HouseholdMember,
    Person,
    Resource,
    new_id,
)

IMPORT_ROLES = frozenset({"coordinator", "admin"})
ACTIONS = ("add", "update", "unchanged", "skip", "error")
TARGETS_PREFIX = "対象: "


class ImportRefused(YorisoiError):
    """The file has rows that cannot be imported as written: nothing was written."""


@dataclass(frozen=True)
class RowResult:
    line: int  # the row number in the file (as Excel shows it)
    action: str  # one of ACTIONS
    key: str  # what the row was matched on, e.g. 「ひだまりサロン / 武庫」
    reason: str = ""  # why skipped / refused, or which fields change
    record_id: str | None = None
    fields: tuple[str, ...] = ()  # the fields an update changes


@dataclass(frozen=True)
class ImportReport:
    kind: str
    dry_run: bool
    encoding: str
    digest: str
    rows: tuple[RowResult, ...]
    ignored_headers: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return self.counts.get("error", 0) > 0

    @property
    def changes(self) -> int:
        return self.counts.get("add", 0) + self.counts.get("update", 0)


class _Skip(Exception):
    def __init__(self, reason: str, action: str = "skip") -> None:
        super().__init__(reason)
        self.reason, self.action = reason, action


def _key(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def check_may_import(actor: Actor) -> None:
    if actor.role not in IMPORT_ROLES:
        raise PermissionDenied(
            "取り込みは包括化推進員（コーディネーター）とシステム管理者だけが行えます。",
            "Only coordinators and administrators may import.",
        )


class _Districts:
    def __init__(self, session: Session) -> None:
        self.by_name: dict[str, str] = {}
        for d in session.scalars(select(District).where(District.deleted.is_(False))):
            for name in (d.name, d.code, d.kana, f"{d.name}地区", d.id):
                if name:
                    self.by_name[_key(name)] = d.id

    def find(self, text: str) -> str | None:
        if not text.strip():
            return None
        found = self.by_name.get(_key(text))
        if found is None:
            raise _Skip(f"地区「{text}」はありません（中央 小田 大庄 立花 武庫 園田）")
        return found


def _vocab(v: vocab.Vocabulary, text: str, label: str) -> str | None:
    if not text.strip():
        return None
    try:
        return vocab.parse(v, unicodedata.normalize("NFKC", text), label)
    except ValidationError:
        allowed = "、".join(ja for ja, _ in v.values())
        raise _Skip(f"{label}「{text}」は使えません（{allowed}）") from None


def _date(text: str, label: str) -> dt.date | None:
    try:
        return parse_date(text)
    except BadDate:
        raise _Skip(
            f"{label}「{text}」を日付として読めません（2026-04-01、令和8年4月1日、R8.4.1 など）",
            "error",
        ) from None


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the non-empty values that differ; the names of the fields changed."""
    changed = []
    for name, value in values.items():
        if value in (None, "", []):
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- resources -------------------------------------------------------------------------------


def _resource_notes(targets: str, notes: str, existing: str | None) -> str | None:
    """備考 with 対象 as its first line. An empty 対象 or 備考 in the file keeps what is there."""
    old_targets, old_rest = "", existing or ""
    if old_rest.startswith(TARGETS_PREFIX):
        first, _, old_rest = old_rest.partition("\n")
        old_targets = first[len(TARGETS_PREFIX) :]
    t = targets or old_targets
    rest = notes or old_rest
    text = (TARGETS_PREFIX + t + ("\n" + rest if rest else "")) if t else rest
    return text or None


class _ResourceImporter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.districts = _Districts(session)
        self.existing: dict[tuple[str, str | None], list[Resource]] = {}
        for r in session.scalars(select(Resource).where(Resource.deleted.is_(False))):
            self.existing.setdefault((_key(r.name), r.district_id), []).append(r)
        self.seen: dict[tuple[str, str | None], int] = {}

    def finish(self) -> None:
        self.session.flush()

    def row(self, line: int, v: dict[str, str], actor: Actor, tag: str) -> RowResult:
        name = v.get("name", "").strip()
        label = f"{name or '（名称なし）'} / {v.get('district', '').strip() or '全市'}"
        try:
            if not name:
                raise _Skip("名称がありません")
            district_id = self.districts.find(v.get("district", ""))
            key = (_key(name), district_id)
            if key in self.seen:
                raise _Skip(f"{self.seen[key]}行目と同じ資源（名称と地区が同じ）")
            self.seen[key] = line
            kind = _vocab(vocab.RESOURCE_KIND, v.get("kind", ""), "種別")
        except _Skip as skip:
            return RowResult(line, skip.action, label, skip.reason)
        values = {
            "name": name, "kana": v.get("kana", "").strip(), "kind": kind,
            "district_id": district_id, "address": v.get("address", "").strip(),
            "contact": v.get("contact", "").strip(), "schedule": v.get("schedule", "").strip(),
        }  # fmt: skip
        targets, notes = v.get("targets", "").strip(), v.get("notes", "").strip()
        matches = self.existing.get(key, [])
        if len(matches) > 1:
            return RowResult(
                line, "skip", label, f"同じ名称・地区の資源が {len(matches)} 件あります"
            )
        if matches:
            r = matches[0]
            values["name"] = None  # the key matched: keep the spelling already recorded
            values["notes"] = _resource_notes(targets, notes, r.notes)
            changed = _apply(r, values)
            if not changed:
                return RowResult(line, "unchanged", label, record_id=r.id)
            audit.record(self.session, actor, "update", "resource", r.id, f"{tag} row {line}")
            return RowResult(line, "update", label, _field_list("resources", changed), r.id,
                             tuple(changed))  # fmt: skip
        values["notes"] = _resource_notes(targets, notes, None)
        r = Resource(id=new_id(), **{k: val for k, val in values.items() if val not in (None, "")})
        r.kind = r.kind or "other"
        self.session.add(r)
        self.existing[key] = [r]
        audit.record(self.session, actor, "create", "resource", r.id, f"{tag} row {line}")
        return RowResult(line, "add", label, record_id=r.id)


# --- cases -----------------------------------------------------------------------------------


_SEPARATORS = str.maketrans({"、": ",", "，": ",", ";": ",", "／": ",", "/": ",", "|": ","})


class _CaseImporter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.districts = _Districts(session)
        self.issues = masters.issue_vocab(session)
        self.seen: dict[str, int] = {}
        # Rows that point at rows added before them, added by ``finish`` in that order: the
        # models declare no relationships, so the unit of work does not order inserts by their
        # foreign keys; and one flush per level (not per row) lets SQLite insert in batches.
        self.children: list[Any] = []
        self.grandchildren: list[Any] = []
        # What the rows are matched against, loaded once: a query per row would flush the
        # session each time (measured: 2,000 rows took 80 s that way).
        self.cases: dict[str, list[str]] = {}
        for cid, number in session.execute(
            select(Case.id, Case.case_number).where(Case.deleted.is_(False))
        ):
            self.cases.setdefault(number, []).append(cid)
        self.persons: dict[tuple[str, dt.date], list[str]] = {}
        for pid, pname, birth in session.execute(
            select(Person.id, Person.name, Person.birth_date).where(
                Person.deleted.is_(False), Person.birth_date.is_not(None)
            )
        ):
            if birth is not None:
                self.persons.setdefault((_key(pname), birth), []).append(pid)
        self.households: dict[tuple[str, str | None], list[str]] = {}
        for hid, hname, hdistrict in session.execute(
            select(Household.id, Household.name, Household.district_id).where(
                Household.deleted.is_(False)
            )
        ):
            self.households.setdefault((_key(hname), hdistrict), []).append(hid)
        self.members: set[tuple[str, str]] = {
            (hid, pid)
            for hid, pid in session.execute(
                select(HouseholdMember.household_id, HouseholdMember.person_id).where(
                    HouseholdMember.deleted.is_(False)
                )
            )
        }

    def finish(self) -> None:
        for level in (self.children, self.grandchildren):
            self.session.flush()
            self.session.add_all(level)
            level.clear()
        self.session.flush()

    def _parse(self, v: dict[str, str]) -> dict[str, Any]:
        issues = []
        for part in (
            unicodedata.normalize("NFKC", v.get("issues", "")).translate(_SEPARATORS).split(",")
        ):
            # 「健康・障害」 contains a ・ itself: split on the separators above only.
            code = _vocab(self.issues, part, "課題") if part.strip() else None
            if code and code not in issues:
                issues.append(code)
        out: dict[str, Any] = {
            "district_id": self.districts.find(v.get("district", "")),
            "sex": _vocab(vocab.SEX, v.get("sex", ""), "性別"),
            "relationship": _vocab(vocab.RELATIONSHIP, v.get("relationship", ""), "続柄"),
            "status": _vocab(vocab.CASE_STATUS, v.get("status", ""), "状態"),
            "urgency": _vocab(vocab.URGENCY, v.get("urgency", ""), "緊急度"),
            "consent_status": _vocab(vocab.CONSENT_STATUS, v.get("consent", ""), "同意"),
            "issue_categories": issues,
            "birth_date": _date(v.get("birth_date", ""), "生年月日"),
            "opened_on": _date(v.get("opened_on", ""), "受付日"),
            "closed_on": _date(v.get("closed_on", ""), "終結日"),
            "consent_date": _date(v.get("consent_date", ""), "同意日"),
        }
        today = dt.date.today()
        for name, label in (("birth_date", "生年月日"), ("opened_on", "受付日")):
            if out[name] and out[name] > today:
                raise _Skip(f"{label}が未来の日付です", "error")
        if out["closed_on"] and out["opened_on"] and out["closed_on"] < out["opened_on"]:
            raise _Skip("終結日が受付日より前です", "error")
        if out["status"] == "closed" and not out["closed_on"]:
            raise _Skip("状態が終結ですが終結日がありません")
        return out

    def row(self, line: int, v: dict[str, str], actor: Actor, tag: str) -> RowResult:
        number = unicodedata.normalize("NFKC", v.get("case_number", "")).strip()
        name = v.get("name", "").strip()
        title = v.get("title", "").strip()
        label = f"{number or '（番号なし）'} {name}"
        try:
            if not number:
                raise _Skip("ケース番号がありません")
            if not name:
                raise _Skip("氏名がありません")
            if not title:
                raise _Skip("主訴がありません")
            if len(title) > 200 or len(number) > 40:
                raise _Skip("主訴は200文字、ケース番号は40文字までです")
            if number in self.seen:
                raise _Skip(f"{self.seen[number]}行目と同じケース番号")
            self.seen[number] = line
            p = self._parse(v)
            found = self.cases.get(number, [])
            if len(found) > 1:
                raise _Skip(f"ケース番号「{number}」のケースが {len(found)} 件あります")
            if found:
                case = self.session.get(Case, found[0])
                assert case is not None
                return self._update(line, label, case, name, title, v, p, actor, tag)
        except _Skip as skip:
            return RowResult(line, skip.action, label, skip.reason)
        return self._add(line, label, number, name, title, v, p, actor, tag)

    def _person_values(self, v: dict[str, str], p: dict[str, Any]) -> dict[str, Any]:
        return {
            "kana": v.get("kana", "").strip(), "birth_date": p["birth_date"], "sex": p["sex"],
            "address": v.get("address", "").strip(), "phone": v.get("phone", "").strip(),
            "district_id": p["district_id"], "school_zone": v.get("school_zone", "").strip(),
        }  # fmt: skip

    def _case_values(self, title: str, v: dict[str, str], p: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": title, "district_id": p["district_id"], "status": p["status"],
            "urgency": p["urgency"], "issue_categories": p["issue_categories"],
            "consent_status": p["consent_status"], "consent_date": p["consent_date"],
            "opened_on": p["opened_on"], "closed_on": p["closed_on"],
            "notes": v.get("notes", "").strip(),
        }  # fmt: skip

    def _update(self, line: int, label: str, c: Case, name: str, title: str,
                v: dict[str, str], p: dict[str, Any], actor: Actor, tag: str) -> RowResult:  # fmt: skip
        person = self.session.get(Person, c.person_id) if c.person_id else None
        if person is None or _key(person.name) != _key(name):
            raise _Skip("同じケース番号の別の人のケースがあります（番号を確かめてください）")
        changed = [f"person.{n}" for n in _apply(person, self._person_values(v, p))]
        changed += _apply(c, self._case_values(title, v, p))
        if not changed:
            return RowResult(line, "unchanged", label, record_id=c.id)
        if any(n.startswith("person.") for n in changed):
            audit.record(self.session, actor, "update", "person", person.id, f"{tag} row {line}")
        audit.record(self.session, actor, "update", "case", c.id, f"{tag} row {line}")
        return RowResult(line, "update", label, _field_list("cases", changed), c.id,
                         tuple(changed))  # fmt: skip

    def _household(self, v: dict[str, str], p: dict[str, Any], actor: Actor, tag: str,
                   line: int) -> str | None:  # fmt: skip
        name = v.get("household", "").strip()
        if not name:
            return None
        key = (_key(name), p["district_id"])
        found = self.households.get(key, [])
        if len(found) != 1:  # none, or several alike: a household of its own
            h = Household(id=new_id(), name=name, address=v.get("address", "").strip() or None,
                          district_id=p["district_id"])  # fmt: skip
            self.session.add(h)
            audit.record(self.session, actor, "create", "household", h.id, f"{tag} row {line}")
            self.households[key] = found = [h.id]
        return found[0]

    def _add(self, line: int, label: str, number: str, name: str, title: str,
             v: dict[str, str], p: dict[str, Any], actor: Actor, tag: str) -> RowResult:  # fmt: skip
        pv = self._person_values(v, p)
        person_id = None
        if pv["birth_date"]:  # the same person already recorded (name and birth date agree)
            same = self.persons.get((_key(name), pv["birth_date"]), [])
            person_id = same[0] if len(same) == 1 else None
        if person_id is None:
            person = Person(id=new_id(), name=name,
                            **{k: x for k, x in pv.items() if x not in (None, "")})  # fmt: skip
            self.session.add(person)
            person_id = person.id
            if pv["birth_date"]:
                self.persons[(_key(name), pv["birth_date"])] = [person_id]
            audit.record(self.session, actor, "create", "person", person_id, f"{tag} row {line}")
        household_id = self._household(v, p, actor, tag, line)
        if household_id and (household_id, person_id) not in self.members:
            rel = p["relationship"] or "self"
            self.children.append(HouseholdMember(household_id=household_id, person_id=person_id,
                                                 relationship=rel, is_head=rel == "head"))  # fmt: skip
            self.members.add((household_id, person_id))
        values = {
            k: x for k, x in self._case_values(title, v, p).items() if x not in (None, "", [])
        }
        values.setdefault("status", "received")
        c = Case(id=new_id(), case_number=number, person_id=person_id, household_id=household_id,
                 assigned_staff_id=actor.staff_id, **values)  # fmt: skip
        self.children.append(c)
        self.cases[number] = [c.id]
        if actor.staff_id:
            self.grandchildren.append(CaseTeamMember(case_id=c.id, staff_id=actor.staff_id,
                                                     agency_id=actor.agency_id, role="主担当"))  # fmt: skip
        audit.record(self.session, actor, "create", "case", c.id, f"{tag} row {line}")
        return RowResult(line, "add", label, record_id=c.id)


_FIELD_LABELS = {
    "resources": {"kana": "ふりがな", "kind": "種別", "district_id": "地区", "address": "住所",
                  "contact": "連絡先", "schedule": "開所時間", "notes": "対象・備考"},
    "cases": {"title": "主訴", "district_id": "地区", "status": "状態", "urgency": "緊急度",
              "issue_categories": "課題", "consent_status": "同意", "consent_date": "同意日",
              "opened_on": "受付日", "closed_on": "終結日", "notes": "備考",
              "person.kana": "フリガナ", "person.birth_date": "生年月日", "person.sex": "性別",
              "person.address": "住所", "person.phone": "電話", "person.district_id": "地区（本人）",
              "person.school_zone": "小学校区"},
}  # fmt: skip


def _field_list(kind: str, changed: list[str]) -> str:
    labels = _FIELD_LABELS[kind]
    return "変更: " + "、".join(dict.fromkeys(labels.get(n, n) for n in changed))


def run_import(
    session: Session,
    actor: Actor,
    table: Table,
    *,
    dry_run: bool,
    expected_digest: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Plan (``dry_run``) or import ``table`` in the caller's unit of work. An import with any
    row in error raises ImportRefused and writes nothing (the caller's session rolls back).
    ``expected_digest``: the file the person checked in a dry run must be the one imported."""
    check_may_import(actor)
    if expected_digest is not None and expected_digest != table.digest:
        raise ImportRefused(
            "ファイルが確認（ドライラン）の後に変わっています。もう一度確認してください。",
            "The file changed after the dry run. Check it again.",
        )
    importer: _ResourceImporter | _CaseImporter = (
        _ResourceImporter(session) if table.kind == "resources" else _CaseImporter(session)
    )
    tag = f"import {table.kind} {table.digest[:12]}"
    results: list[RowResult] = []
    savepoint = session.begin_nested()
    try:
        for i, (line, values) in enumerate(table.rows):
            results.append(importer.row(line, values, actor, tag))
            if progress is not None:
                progress(i + 1, len(table.rows))
        importer.finish()
    except BaseException:
        savepoint.rollback()
        raise
    counts = {a: sum(1 for r in results if r.action == a) for a in ACTIONS}
    report = ImportReport(table.kind, dry_run, table.encoding, table.digest, tuple(results),
                          table.ignored_headers, counts)  # fmt: skip
    if dry_run:
        savepoint.rollback()
        return report
    if report.has_errors:
        savepoint.rollback()
        first = next(r for r in results if r.action == "error")
        more = counts["error"] - 1
        raise ImportRefused(
            f"{first.line}行目: {first.reason}"
            + (f"（ほか {more} 行）" if more else "")
            + "。ファイルを直してから取り込んでください。何も書き込んでいません。",
            f"Row {first.line}: cannot be read as written"
            + (f" (and {more} more rows)" if more else "")
            + ". Fix the file and import again. Nothing was written.",
        )
    savepoint.commit()
    return report


def template_headers(kind: str) -> list[str]:
    return [s.ja for s in COLUMNS[kind]]
