"""Importing the resource register and cases: real encrypted store, real CSV / xlsx files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.errors import PermissionDenied
from app.services.import_files import ImportFileError, parse_date, read_table
from app.services.importer import ImportRefused, run_import
from app.storage.models import AuditEvent, Case, Household, OutboxEntry, Person, Resource

RESOURCE_CSV = (
    "名称,種別,地区,住所,連絡先,開所時間,対象,備考\n"
    "ひだまりサロン,つどい場,武庫,武庫之荘1-2-3,06-6431-0000,毎週火曜 10:00-12:00,高齢者,送迎なし\n"
    "むこっこ食堂,こども食堂,武庫,武庫元町2-1,080-1234-5678,第2土曜 17:00,子ども・保護者,\n"
    "そのだ相談室,相談窓口,園田,田能3-4,06-6491-1111,平日 9:00-17:00,,\n"
    ",つどい場,中央,,,,,\n"  # missing name
    "どこかの家,つどい場,北地区,,,,,\n"  # unknown district
    "ひだまりサロン,つどい場,武庫,,,,,\n"  # duplicate of row 2
)

CASE_CSV = (
    "ケース番号,主訴,氏名,フリガナ,生年月日,性別,住所,電話,地区,世帯名,続柄,状態,課題,受付日,備考\n"
    "OLD-0001,母の介護と本人の就労,架空 花子,カクウ ハナコ,昭和55年4月1日,女,武庫之荘1-1,"
    "090-0000-0001,武庫,架空さん世帯,本人,支援中,介護、仕事,R6.4.1,前システムから\n"
    "OLD-0002,ひきこもりの相談,架空 一郎,カクウ イチロウ,2005/6/7,男,武庫之荘1-1,,武庫,"
    "架空さん世帯,子,受付,ひきこもり・不登校,2024-05-10,\n"
    "OLD-0003,家賃滞納,試作 次郎,シサク ジロウ,1970-01-02,男,田能1,,園田,,,見守り,"
    "家賃・ローン,2024-06-01,\n"
)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _count(store, model) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _import(store, actor, path: Path, kind: str, *, dry_run: bool):
    table = read_table(path, kind)
    with store.session() as s:
        return run_import(s, actor, table, dry_run=dry_run)


def test_resource_dry_run_reports_row_by_row_and_writes_nothing(store, actor, tmp_path):
    path = _write(tmp_path, "res.csv", RESOURCE_CSV)
    before = (_count(store, Resource), _count(store, OutboxEntry), _count(store, AuditEvent))
    report = _import(store, actor, path, "resources", dry_run=True)
    got = [(r.line, r.action) for r in report.rows]
    assert got == [(2, "add"), (3, "add"), (4, "add"), (5, "skip"), (6, "skip"), (7, "skip")]
    reasons = {r.line: r.reason for r in report.rows}
    assert "名称がありません" in reasons[5]
    assert "北地区" in reasons[6] and "ありません" in reasons[6]
    assert "2行目と同じ" in reasons[7]
    assert report.counts["add"] == 3 and report.counts["skip"] == 3
    after = (_count(store, Resource), _count(store, OutboxEntry), _count(store, AuditEvent))
    assert after == before


def test_resource_import_then_rerun_changes_nothing(store, actor, tmp_path):
    path = _write(tmp_path, "res.csv", RESOURCE_CSV)
    report = _import(store, actor, path, "resources", dry_run=False)
    assert report.counts["add"] == 3
    with store.session() as s:
        r = s.scalars(select(Resource).where(Resource.name == "ひだまりサロン")).one()
        assert (r.kind, r.schedule, r.contact) == (
            "gathering",
            "毎週火曜 10:00-12:00",
            "06-6431-0000",
        )
        assert r.notes == "対象: 高齢者\n送迎なし"
        assert s.get(type(r), r.id).district_id is not None
        # Every added row is audited, naming the row and the file's digest (no personal data).
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "resource", AuditEvent.action == "create")
        ).all()
        assert len(events) == 3
        assert all(
            e.detail.startswith(f"import resources {report.digest[:12]} row ") for e in events
        )
        assert all("ひだまり" not in (e.detail or "") for e in events)
        # ...and goes through the outbox like any edit, so it syncs.
        queued = s.scalars(select(OutboxEntry.row_id).where(OutboxEntry.table_name == "resource"))
        assert {e.entity_id for e in events} <= set(queued)
    outbox, audits = _count(store, OutboxEntry), _count(store, AuditEvent)
    again = _import(store, actor, path, "resources", dry_run=False)
    assert again.counts["add"] == again.counts["update"] == 0
    assert again.counts["unchanged"] == 3 and again.counts["skip"] == 3
    assert (_count(store, OutboxEntry), _count(store, AuditEvent)) == (outbox, audits)
    assert _count(store, Resource) == 3


def test_resource_update_keeps_what_the_file_leaves_empty(store, actor, tmp_path):
    _import(store, actor, _write(tmp_path, "a.csv", RESOURCE_CSV), "resources", dry_run=False)
    changed = (
        "名称,地区,開所時間,連絡先\n"
        "ひだまり　サロン,武庫,毎週水曜 10:00-12:00,\n"  # full-width space: the same resource
    )
    report = _import(store, actor, _write(tmp_path, "b.csv", changed), "resources", dry_run=False)
    assert [r.action for r in report.rows] == ["update"]
    assert "開所時間" in report.rows[0].reason
    with store.session() as s:
        r = s.scalars(select(Resource).where(Resource.name == "ひだまりサロン")).one()
        assert r.schedule == "毎週水曜 10:00-12:00"
        assert r.contact == "06-6431-0000" and r.notes == "対象: 高齢者\n送迎なし"


def test_cp932_csv_and_japanese_dates(store, actor, tmp_path):
    path = _write(tmp_path, "cases.csv", CASE_CSV.replace("\n", "\r\n"), "cp932")
    table = read_table(path, "cases")
    assert table.encoding == "cp932"
    report = _import(store, actor, path, "cases", dry_run=False)
    assert [r.action for r in report.rows] == ["add", "add", "add"]
    with store.session() as s:
        c = s.scalars(select(Case).where(Case.case_number == "OLD-0001")).one()
        p = s.get(Person, c.person_id)
        assert p.name == "架空 花子" and p.birth_date == dt.date(1980, 4, 1)
        assert c.opened_on == dt.date(2024, 4, 1) and c.status == "supporting"
        assert c.issue_categories == ["caregiving", "work"]
        assert c.assigned_staff_id == actor.staff_id
        # Both rows of 架空さん世帯 land in one household.
        c2 = s.scalars(select(Case).where(Case.case_number == "OLD-0002")).one()
        assert c.household_id is not None and c.household_id == c2.household_id
        assert c2.issue_categories == ["hikikomori"]
        kinds = {(e.entity, e.action) for e in s.scalars(select(AuditEvent))}
        assert {("case", "create"), ("person", "create"), ("household", "create")} <= kinds
    assert _count(store, Household) == 1
    outbox = _count(store, OutboxEntry)
    again = _import(store, actor, path, "cases", dry_run=False)
    assert again.counts["unchanged"] == 3 and again.changes == 0
    assert _count(store, OutboxEntry) == outbox
    assert _count(store, Case) == 3 and _count(store, Person) == 3


def test_utf8_bom_csv(store, actor, tmp_path):
    path = _write(tmp_path, "res.csv", RESOURCE_CSV, "utf-8-sig")
    table = read_table(path, "resources")
    assert table.encoding == "utf-8-sig" and len(table.rows) == 6


def test_xlsx_import(store, actor, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ケース番号", "主訴", "氏名", "生年月日", "地区", "状態", "受付日", "使わない列"])
    ws.append(
        [
            "X-1",
            "生活費の相談",
            "架空 三郎",
            dt.datetime(1960, 3, 3),
            "立花",
            "受付",
            dt.date(2025, 1, 6),
            "x",
        ]
    )
    ws.append([1002, "住まいの相談", "架空 四郎", "H2.2.2", "中央", None, None, None])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    report = _import(store, actor, path, "cases", dry_run=False)
    assert report.encoding == "xlsx" and report.ignored_headers == ("使わない列",)
    assert [r.action for r in report.rows] == ["add", "add"]
    with store.session() as s:
        c = s.scalars(select(Case).where(Case.case_number == "1002")).one()
        assert s.get(Person, c.person_id).birth_date == dt.date(1990, 2, 2)
        c1 = s.scalars(select(Case).where(Case.case_number == "X-1")).one()
        assert c1.opened_on == dt.date(2025, 1, 6)


def test_case_number_used_by_another_person_is_skipped(store, actor, tmp_path):
    path = _write(tmp_path, "c.csv", CASE_CSV)
    _import(store, actor, path, "cases", dry_run=False)
    other = "ケース番号,主訴,氏名,地区\nOLD-0003,別の相談,別人 五郎,園田\n"
    report = _import(store, actor, _write(tmp_path, "d.csv", other), "cases", dry_run=False)
    assert report.rows[0].action == "skip" and "別の人" in report.rows[0].reason


def test_bad_date_refuses_the_whole_import(store, actor, tmp_path):
    bad = CASE_CSV + "OLD-0004,相談,架空 六子,,1985/13/40,,,,武庫,,,,,,\n"
    path = _write(tmp_path, "bad.csv", bad)
    before = (_count(store, Case), _count(store, Person), _count(store, OutboxEntry),
              _count(store, AuditEvent))  # fmt: skip
    dry = _import(store, actor, path, "cases", dry_run=True)
    assert dry.has_errors and dry.rows[-1].action == "error"
    assert "1985/13/40" in dry.rows[-1].reason
    with pytest.raises(ImportRefused) as err:
        _import(store, actor, path, "cases", dry_run=False)
    assert "5行目" in err.value.ja and "何も書き込んでいません" in err.value.ja
    after = (_count(store, Case), _count(store, Person), _count(store, OutboxEntry),
             _count(store, AuditEvent))  # fmt: skip
    assert after == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x82\xa0\xff\xfe\x00\x81", "文字コード"),
        ("名前だけ,住所\nx,y\n".encode(), "必須の列"),
        (b"", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04garbage", "Excel ファイルとして開けません"),
    ],
)
def test_malformed_files_get_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as err:
        read_table(path, "resources")
    assert message in err.value.ja and "\n" not in err.value.ja


def test_outreach_workers_may_not_import(store, tmp_path):
    from app.services.profile import set_profile_user

    with store.session() as s:
        outreach = set_profile_user(s, name="訪問 太郎", role="outreach")
    table = read_table(_write(tmp_path, "r.csv", RESOURCE_CSV), "resources")
    with store.session() as s, pytest.raises(PermissionDenied):
        run_import(s, outreach, table, dry_run=True)


def test_file_changed_after_dry_run_is_refused(store, actor, tmp_path):
    table = read_table(_write(tmp_path, "r.csv", RESOURCE_CSV), "resources")
    with store.session() as s, pytest.raises(ImportRefused):
        run_import(s, actor, table, dry_run=False, expected_digest="0" * 64)


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-04-01", dt.date(2026, 4, 1)), ("2026/4/1", dt.date(2026, 4, 1)),
     ("令和元年5月1日", dt.date(2019, 5, 1)), ("R8.4.1", dt.date(2026, 4, 1)),
     ("Ｈ３１．４．３０", dt.date(2019, 4, 30)), ("昭和64年1月7日", dt.date(1989, 1, 7)),
     ("2026年4月1日", dt.date(2026, 4, 1)), ("", None)],
)  # fmt: skip
def test_parse_date(text, day):
    assert parse_date(text) == day
