"""Laptops (real encrypted databases) enrolled with a real server, and case data typed on them."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.seed import agency_id
from app.storage.db import Store
from app.storage.lifecycle import open_database
from app.storage.models import (
    Case,
    CaseTeamMember,
    ContactRecord,
    Household,
    HouseholdMember,
    Person,
)
from app.sync.engine import SyncEngine, SyncSummary
from app.sync.enroll import enroll
from tests.sync.helpers import PASSPHRASE, new_client
from tests.sync.server_side import Admin

AGENCY = agency_id("suishin")


@dataclass
class Laptop:
    login: str
    staff_id: str
    path: Path
    store: Store
    device_id: str = ""
    ops: list[str] = field(default_factory=list)

    def sync(self, **kw: Any) -> SyncSummary:
        return SyncEngine(self.store, **kw).run()

    def restart(self) -> None:
        """The process died and started again: a fresh Store on the same file."""
        self.store.lock()
        self.store = open_database(self.path, PASSPHRASE, integrity=False)

    def close(self) -> None:
        self.store.lock()


_TEMPLATE: dict[str, Path] = {}


def fresh_db(path: Path) -> Store:
    """A new client database; copies one migrated template (creating one costs ~0.5 s)."""
    template = _TEMPLATE.get("db")
    if template is None or not template.exists():
        template = path.parent / "template.db"
        new_client(template).lock()
        _TEMPLATE["db"] = template
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return open_database(path, PASSPHRASE, migrate=False, integrity=False)


def new_laptop(admin: Admin, root: Path, login: str, role: str = "outreach", **kw: Any) -> Laptop:
    user = admin.add_user(login, role, agency_id=AGENCY, **kw)
    store = fresh_db(root / login / "yorisoi.db")
    result = enroll(store, admin.srv.url, admin.code(user["id"]), device_name=login)
    assert result.staff_id == user["staff_id"]
    return Laptop(login, user["staff_id"], store.path, store, result.device_id)


def make_case(store: Store, *, assigned: str, team: list[str], title: str = "生活の相談") -> str:
    today = dt.date(2026, 11, 1)
    with store.session() as s:
        p = Person(name="寄添 花子", kana="よりそい はなこ", birth_date=dt.date(1950, 4, 1))
        h = Household(name="寄添さん世帯")
        s.add_all([p, h])
        s.flush()
        s.add(HouseholdMember(household_id=h.id, person_id=p.id, relationship="self", is_head=True))
        c = Case(case_number=f"T-{p.id[-6:]}", title=title, household_id=h.id, person_id=p.id,
                 lead_agency_id=AGENCY, assigned_staff_id=assigned, consent_status="given",
                 opened_on=today, issue_categories=["income"])  # fmt: skip
        s.add(c)
        s.flush()
        for staff in team:
            s.add(CaseTeamMember(case_id=c.id, staff_id=staff, role="担当"))
        return c.id


def add_contact(store: Store, case_id: str, staff_id: str, text: str = "訪問した") -> str:
    with store.session() as s:
        r = ContactRecord(case_id=case_id, staff_id=staff_id, narrative=text,
                          contact_at=dt.datetime(2026, 11, 2, 10, 0))  # fmt: skip
        s.add(r)
        s.flush()
        return r.id


def edit_case(store: Store, case_id: str, **values: Any) -> bool:
    with store.session() as s:
        c = s.get(Case, case_id)
        if c is None or c.deleted:
            return False
        for k, v in values.items():
            setattr(c, k, v)
        return True
