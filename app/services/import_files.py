"""Reading the files an office imports: CSV (UTF-8 with or without BOM, Shift_JIS/cp932 as
Japanese Excel writes it, UTF-16 "Unicode text") and Excel .xlsx, into plain rows of text.

The column specs of each import kind live here too, so the template, the reader and the error
messages agree on the headers (Japanese first; English and code names accepted). Nothing here
touches the store: a malformed file is refused before any session is opened.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import YorisoiError


class ImportFileError(YorisoiError):
    """The file cannot be imported as it is (encoding, format, columns, dates). One line,
    never personal data beyond what the user's own file holds in a header or a cell."""


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    ja: str  # the header the template writes
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    date: bool = False
    help_ja: str = ""


RESOURCE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("name", "名称", "name", ("施設名", "資源名", "名前"), required=True),
    ColumnSpec("kana", "ふりがな", "kana", ("フリガナ", "よみがな", "読み")),
    ColumnSpec(
        "kind",
        "種別",
        "kind",
        ("種類", "分類"),
        help_ja="つどい場 相談窓口 地域施設 こども食堂 移動販売 その他",
    ),
    ColumnSpec(
        "district",
        "地区",
        "district",
        ("地域",),
        required=True,
        help_ja="中央 小田 大庄 立花 武庫 園田（空欄は全市）",
    ),
    ColumnSpec("address", "住所", "address", ("所在地", "場所")),
    ColumnSpec("contact", "連絡先", "contact", ("電話", "電話番号", "問い合わせ先")),
    ColumnSpec(
        "schedule",
        "開所時間",
        "opening hours",
        ("日程", "開催日時", "開所日時", "schedule", "hours"),
    ),
    ColumnSpec("targets", "対象", "target groups", ("対象者", "targets")),
    ColumnSpec("notes", "備考", "notes", ("メモ", "note")),
)

CASE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "case_number",
        "ケース番号",
        "case number",
        ("旧ケース番号", "管理番号", "受付番号", "case_no"),
        required=True,
    ),
    ColumnSpec("title", "主訴", "title", ("相談の要旨", "件名"), required=True),
    ColumnSpec("name", "氏名", "name", ("本人氏名", "名前", "本人"), required=True),
    ColumnSpec("kana", "フリガナ", "kana", ("ふりがな", "よみがな")),
    ColumnSpec("birth_date", "生年月日", "birth date", ("birthdate",), date=True),
    ColumnSpec("sex", "性別", "sex", (), help_ja="男 女 その他 不明"),
    ColumnSpec("address", "住所", "address", ()),
    ColumnSpec("phone", "電話", "phone", ("電話番号", "連絡先")),
    ColumnSpec(
        "district",
        "地区",
        "district",
        ("地域",),
        required=True,
        help_ja="中央 小田 大庄 立花 武庫 園田",
    ),
    ColumnSpec("school_zone", "小学校区", "school zone", ("校区",)),
    ColumnSpec("household", "世帯名", "household", ("世帯",)),
    ColumnSpec(
        "relationship",
        "続柄",
        "relationship",
        (),
        help_ja="本人 世帯主 配偶者 子 父母 祖父母 孫 兄弟姉妹 その他の親族 同居人",
    ),
    ColumnSpec(
        "status",
        "状態",
        "status",
        ("状況", "ステータス"),
        help_ja="受付 アセスメント 支援中 見守り 終結",
    ),
    ColumnSpec("urgency", "緊急度", "urgency", (), help_ja="高 中 低"),
    ColumnSpec(
        "issues",
        "課題",
        "issues",
        ("課題分類", "issue_categories"),
        help_ja="読点（、）区切り: 健康・障害、住まい、借金 など",
    ),
    ColumnSpec("opened_on", "受付日", "opened on", ("開始日", "相談日"), date=True),
    ColumnSpec("closed_on", "終結日", "closed on", (), date=True),
    ColumnSpec("consent", "同意", "consent", ("同意状況",), help_ja="同意あり 同意なし 未確認"),
    ColumnSpec("consent_date", "同意日", "consent date", (), date=True),
    ColumnSpec("notes", "備考", "notes", ("メモ",)),
)

COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {"resources": RESOURCE_COLUMNS, "cases": CASE_COLUMNS}


@dataclass(frozen=True)
class Table:
    """A file's rows as text, keyed by column spec; ``line`` is the row number a person sees
    in Excel (the header is row 1 unless blank rows precede it)."""

    kind: str
    rows: tuple[tuple[int, dict[str, str]], ...]
    encoding: str  # "xlsx", "utf-8", "utf-8-sig", "cp932", "utf-16"
    digest: str  # sha256 of the file's bytes: the import checks it is the file dry-run saw
    ignored_headers: tuple[str, ...] = ()


def _norm_header(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).strip().lower()
    t = re.sub(r"[\s_\-・]", "", t)
    t = re.sub(r"[（(][^)）]*[)）]$", "", t)  # 名称（必須）
    return t.strip("*※")


def _header_map(kind: str) -> dict[str, ColumnSpec]:
    out: dict[str, ColumnSpec] = {}
    for spec in COLUMNS[kind]:
        for name in (spec.ja, spec.en, spec.key, *spec.aliases):
            out.setdefault(_norm_header(name), spec)
    return out


def clean_cell(value: object) -> str:
    """A cell as text: NFKC is left to the callers (names keep their characters); dates from
    Excel become ISO dates; integral floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u3000", " ").strip()


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        raise ImportFileError(
            "ファイルの文字コードを判別できません。UTF-8 か Shift_JIS（Excel の CSV）で保存し直して"
            "ください。何も取り込んでいません。",
            "Cannot tell the file's encoding. Save it as UTF-8 or Shift_JIS CSV. Nothing was "
            "imported.",
        ) from None


def _csv_rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(
            f"CSV として読めません（{exc}）。何も取り込んでいません。",
            f"Not a readable CSV file ({exc}). Nothing was imported.",
        ) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            "Excel ファイルとして開けません（壊れているか .xlsx 形式ではありません）。"
            "何も取り込んでいません。",
            "Cannot open the file as an Excel workbook (damaged, or not .xlsx). Nothing was "
            "imported.",
        ) from None
    try:
        ws = wb.worksheets[0]
        return [[clean_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_table(path: Path, kind: str) -> Table:
    if kind not in COLUMNS:
        raise ImportFileError(
            f"取り込みの種類「{kind}」はありません（resources または cases）。",
            f"No import kind {kind!r} (resources or cases).",
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise ImportFileError(
            f"ファイル「{path.name}」を読めません。", f"Cannot read the file {path.name!r}."
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "古い Excel 形式（.xls）は読めません。Excel で .xlsx か CSV として保存し直してください。",
            "Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or CSV.",
        )
    if data.startswith(b"PK\x03\x04"):
        grid, encoding = _xlsx_rows(data), "xlsx"
    else:
        text, encoding = _decode(data)
        grid = _csv_rows(text)
    return _to_table(kind, grid, encoding, digest)


def _to_table(kind: str, grid: list[list[str]], encoding: str, digest: str) -> Table:
    grid = [[clean_cell(c) for c in row] for row in grid]
    start = next((i for i, row in enumerate(grid) if any(row)), None)
    if start is None:
        raise ImportFileError(
            "ファイルが空です。1 行目に列名（見出し）を入れてください。",
            "The file is empty. Put the column names in the first row.",
        )
    header = grid[start]
    known = _header_map(kind)
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        if not name:
            continue
        spec = known.get(_norm_header(name))
        if spec is None:
            ignored.append(name)
            continue
        if spec.key in positions:
            raise ImportFileError(
                f"列「{spec.ja}」が 2 回あります（「{name}」）。どちらか一方にしてください。",
                f"The column {spec.en!r} appears twice ({name!r}). Keep one.",
            )
        positions[spec.key] = i
    missing = [s for s in COLUMNS[kind] if s.required and s.key not in positions]
    if missing:
        names = "、".join(f"「{s.ja}」" for s in missing)
        raise ImportFileError(
            f"必須の列 {names} がありません。1 行目の見出しを確かめてください"
            f"（テンプレート: yorisoi import template {kind}）。何も取り込んでいません。",
            "Required column(s) missing: "
            + ", ".join(s.en for s in missing)
            + f" (see yorisoi import template {kind}). Nothing was imported.",
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for offset, row in enumerate(grid[start + 1 :], start=start + 2):
        if not any(row):
            continue
        values = {key: (row[i] if i < len(row) else "") for key, i in positions.items()}
        rows.append((offset, values))
    return Table(kind, tuple(rows), encoding, digest, tuple(ignored))


# --- dates -----------------------------------------------------------------------------------

_ERAS = {
    "令和": 2019, "r": 2019, "平成": 1989, "h": 1989, "昭和": 1926, "s": 1926,
    "大正": 1912, "t": 1912, "明治": 1868, "m": 1868,
}  # fmt: skip
_WAREKI = re.compile(
    r"^(令和|平成|昭和|大正|明治|[rhstm])\s*(元|\d{1,2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*"
    r"(\d{1,2})\s*日?$"
)
_WESTERN = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")


class BadDate(ValueError):
    pass


def parse_date(text: str) -> dt.date | None:
    """``2026-04-01``, ``2026/4/1``, ``2026年4月1日``, 和暦 ``令和8年4月1日`` / ``R8.4.1`` /
    ``昭和60年1月1日`` / ``元年``; an Excel date cell arrives already as ISO. Empty: None."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    if not t:
        return None
    t = t.split("t", 1)[0] if re.match(r"^\d{4}-\d{2}-\d{2}t", t) else t
    m = _WESTERN.match(t)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = _WAREKI.match(t)
        if m:
            year = 1 if m[2] == "元" else int(m[2])
            return dt.date(_ERAS[m[1]] + year - 1, int(m[3]), int(m[4]))
    except ValueError:
        pass
    raise BadDate(text)


# --- templates -------------------------------------------------------------------------------


def column_help(spec: ColumnSpec) -> str:
    if spec.date:
        return "日付: 2026-04-01、2026/4/1、令和8年4月1日、R8.4.1"
    return spec.help_ja


def write_template(path: Path, kind: str) -> None:
    """The headers of ``kind`` as .xlsx (with a 記入方法 sheet) or, for any other suffix, a
    CSV in UTF-8 with a BOM (so Excel on Windows opens it with the right characters)."""
    specs = COLUMNS[kind]
    headers = [s.ja for s in specs]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "資源" if kind == "resources" else "ケース"
        ws.append(headers)
        for i, cell in enumerate(ws[1], start=1):
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = 16 if i > 1 else 20
        guide = wb.create_sheet("記入方法")
        guide.append(["列", "必須", "書き方"])
        for s in specs:
            guide.append([s.ja, "必須" if s.required else "", column_help(s)])
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerow(headers)
    path.chmod(0o600)
