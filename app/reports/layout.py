"""Shared page furniture for every printed document.

Every page gets the 取扱注意 mark, a running header, and a footer naming who printed it, when,
on which device, and ``page x / y``. The total page count is known only when the document is
finished, so :class:`_NumberedCanvas` keeps each page's drawing state and writes the footer
numbers in ``save()``.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_END, ALL_CANNOT_START
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.rl_config import _FUZZ

from app.domain.records import CodeChoice, Vocabulary, code_vocab
from app.reports.dates import both_time
from app.reports.fonts import FONT, draw_string, markup, needs_fallback, register_fonts

LABEL_BG = colors.HexColor("#E8E8E8")
GRID = colors.HexColor("#404040")
MARK = colors.HexColor("#C00000")
MARGIN = 15 * mm


@dataclass(frozen=True)
class PrintStamp:
    """Who printed a document, when and from which device (footer and audit)."""

    printed_by: str
    printed_at: dt.datetime
    device_id: str | None = None
    agency_name: str | None = None
    # The issue categories (master data) as they were when the document was printed.
    issue_categories: tuple[CodeChoice, ...] = ()

    def issues(self, held: Iterable[str] = ()) -> Vocabulary:
        """The categories a form lists: the active ones, and retired ones ``held`` by the
        record (the fixed list when none were loaded)."""
        if not self.issue_categories:
            from app.domain.vocab import ISSUE_CATEGORY

            return dict(ISSUE_CATEGORY)
        return code_vocab(self.issue_categories, held)

    def footer_text(self) -> str:
        who = self.printed_by or "（未設定）"
        if self.agency_name:
            who = f"{who}（{self.agency_name}）"
        device = f"　端末: {self.device_id[:8]}" if self.device_id else ""
        return f"出力者: {who}　出力日時: {both_time(self.printed_at)}{device}"


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _split_lines_cjk(blPara: Any, start: int, stop: int) -> list[Any]:  # noqa: N803
    """ReportLab's ``_split_blParaHard`` (the fragments of lines ``start:stop`` of a paragraph
    split over a page break), except that it puts a space between two wrapped lines only where
    the break fell between two words of Latin text. ReportLab adds one after every line, which
    is right for English but in Japanese text became a stray space, drawn as an indent at the
    start of every wrapped line of the part continued on the next page (issue 15)."""
    f: list[Any] = []
    lines = blPara.lines[start:stop]
    for n, line in enumerate(lines):
        f.extend(line.words)
        if n == len(lines) - 1:
            continue
        i = len(f) - 1
        while i >= 0 and hasattr(f[i], "cbDefn") and not getattr(f[i].cbDefn, "width", 0):
            i -= 1
        if i < 0:
            continue
        g = f[i]
        following = next((w.text for w in lines[n + 1].words if getattr(w, "text", "")), "")
        if getattr(line, "lineBreak", False):
            continue  # a hard break (<br/>): the next line starts a line of its own
        if g.text and following and (_wide(g.text[-1]) or _wide(following[0])):
            continue  # a break inside Japanese text: nothing was between the two lines
        if not g.text:
            g.text = " "
        elif g.text[-1] != " ":
            g.text += " "
    return f


KINSOKU_PUSH = 3  # at most this many characters are pushed to the next line by 禁則


def _cjk_lines(
    frags: list[Any], max_widths: Sequence[float], calc_bounds: bool, break_after: str = ""
) -> Any:
    """ReportLab's ``cjkFragSplit`` (CJK line breaking), except that no character ever goes
    past the line's width. ReportLab lets a character that may not start a line (）、。ャー…)
    hang in the right margin (ぶら下げ), which in a table cell drew it over the cell's rule
    and into the next column (「教育委員会（スクールソーシャ」). Here such a character is
    pushed to the next line with the one before it (追い出し), as is a character that may not
    end a line (（「…); a line always keeps at least one character. With ``break_after`` a
    line breaks after the last of those characters on it when there is one (a list of names
    joined with 「、」 breaks between names, not inside one)."""
    u_list: list[Any] = []
    for f in frags:
        t = f.text
        if isinstance(t, bytes):
            t = t.decode("utf8")
        if t:
            u_list.extend(_rl_paragraph.cjkU(ch, f, "utf8") for ch in t)
        else:
            u_list.append(_rl_paragraph.cjkU(t, f, "utf8"))
    lines: list[Any] = []
    i = start = 0
    used = 0.0
    max_width = max_widths[0]
    n = len(u_list)

    def width(u: Any) -> float:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return float(w)

    while i < n:
        u = u_list[i]
        i += 1
        used += width(u)
        line_break = hasattr(u.frag, "lineBreak")
        if not ((used > max_width + _FUZZ and used > 0) or line_break):
            continue
        if not line_break and i > start + 1:
            i -= 1  # the character that overflowed goes to the next line
            if u and ord(u) < 0x3000:
                # Inside Latin text: break at the last space or kanji, if in the back half.
                for j in range(i - 1, (start + i) >> 1, -1):
                    uj = u_list[j]
                    if (uj and unicodedata.category(uj) == "Zs") or ord(uj or " ") >= 0x3000:
                        i = j + 1
                        break
            if break_after:
                listed = [
                    j for j in range(i - 1, start, -1) if u_list[j] and u_list[j] in break_after
                ]
                i = listed[0] + 1 if listed else i
            for _ in range(KINSOKU_PUSH):
                nxt, last = u_list[i], u_list[i - 1]
                bad = (nxt and nxt in ALL_CANNOT_START) or (last and last in ALL_CANNOT_END)
                if not bad or i - 1 <= start:
                    break
                i -= 1
        line = u_list[start:i]
        line_width = sum(width(x) for x in line)
        lines.append(_rl_paragraph.makeCJKParaLine(
            line, max_width, line_width, max_width - line_width, line_break, calc_bounds
        ))  # fmt: skip
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        start, used = i, 0.0
    if start < n:
        line = u_list[start:]
        line_width = sum(width(x) for x in line)
        lines.append(_rl_paragraph.makeCJKParaLine(
            line, max_width, line_width, max_width - line_width, False, calc_bounds
        ))  # fmt: skip
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


class Paragraph(_rl_paragraph.Paragraph):
    """ReportLab's Paragraph with Japanese line breaking that keeps inside its width (see
    ``_cjk_lines``) and Japanese-safe splitting over a page break (see ``_split_lines_cjk``).
    Every paragraph of the printed forms is one of these."""

    break_after = ""  # see ListParagraph

    def _get_split_blParaFunc(self) -> Any:  # noqa: N802 - ReportLab's API
        func = super()._get_split_blParaFunc()
        return _split_lines_cjk if func is _rl_paragraph._split_blParaHard else func

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - ReportLab's API
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara  # the part of a split paragraph: already broken into lines
        if not self.frags or self.style.endDots or self.bulletText:
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return _cjk_lines(self.frags, maxWidths, auto not in ("", "off"), self.break_after)


class ListParagraph(Paragraph):
    """A list of items joined with 「、」: lines break between items where they can."""

    break_after = "、"


def listing(items: Iterable[str], style: ParagraphStyle | None = None) -> Paragraph:
    """Items (names, 「氏名（所属）」) in one wrapping cell, never broken inside an item
    unless an item is longer than the line (「渡辺 洋／介（弁護士会）」 was split)."""
    return ListParagraph(text("、".join(items)), style or styles().cell)


def _style(name: str, size: float, leading: float | None = None, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=FONT, fontSize=size, leading=leading or size * 1.45, wordWrap="CJK", **kw
    )


class Styles:
    """Paragraph styles, built after the font is registered."""

    def __init__(self) -> None:
        register_fonts()
        self.title = _style("title", 17, 22, alignment=TA_CENTER, spaceAfter=2 * mm)
        self.subtitle = _style(
            "subtitle", 9, alignment=TA_CENTER, textColor=colors.HexColor("#333333")
        )
        self.section = _style(
            "section", 10.5, 14, backColor=colors.HexColor("#D0D0D0"), borderPadding=(2, 3, 2, 3),
            leftIndent=3, rightIndent=3, spaceBefore=3.5 * mm, spaceAfter=1.5 * mm,
        )  # fmt: skip
        self.label = _style("label", 8.5, 11)
        self.value = _style("value", 9.5, 13)
        self.small = _style("small", 8, 11)
        self.body = _style("body", 9.5, 15, borderWidth=0.5, borderColor=GRID, borderPadding=4,
                           spaceBefore=1 * mm, spaceAfter=2 * mm, leftIndent=4, rightIndent=4)  # fmt: skip
        self.note = _style(
            "note", 9, 13, borderWidth=1, borderColor=MARK, borderPadding=4, leftIndent=4,
            rightIndent=4, spaceBefore=2 * mm + 4, spaceAfter=2 * mm, textColor=colors.black,
        )  # fmt: skip
        self.cell = _style("cell", 8.5, 11.5)


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles


def text(value: object | None, empty: str = "") -> str:
    """Escape user text for a Paragraph; line breaks become <br/>; characters the main font
    lacks are set in the fallback font."""
    if value is None or value == "":
        return markup(escape(empty))
    return markup(escape(str(value)).replace("\r\n", "\n").replace("\n", "<br/>"))


def with_note(main: str | None, note: str | None) -> str:
    """「氏名（所属）」: the note in full-width brackets, or the main text alone when there is
    no note (never an empty 「（）」 on a printed form)."""
    main = main or ""
    return f"{main}（{note}）" if note else main


def para(value: object | None, style: ParagraphStyle | None = None, empty: str = "") -> Paragraph:
    return Paragraph(text(value, empty), style or styles().value)


def item(number: str, body: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A numbered item (「1．」「（1）」) whose wrapped lines start under its text, not under
    its number (a hanging indent as wide as the number)."""
    st = style or styles().value
    indent = stringWidth(number, FONT, st.fontSize)
    hanging = ParagraphStyle(f"{st.name}-item", parent=st, leftIndent=st.leftIndent + indent,
                             firstLineIndent=-indent)  # fmt: skip
    return Paragraph(text(number + body), hanging)


def narrative(value: str | None, empty: str = "（記載なし）") -> list[Flowable]:
    """A long free text as one boxed paragraph per text paragraph, so it flows across pages."""
    st = styles()
    chunks = [c for c in (value or "").replace("\r\n", "\n").split("\n\n") if c.strip()]
    if not chunks:
        return [Paragraph(text(empty), st.body)]
    return [Paragraph(text(c.strip("\n")), st.body) for c in chunks]


def section(title: str) -> Paragraph:
    return Paragraph(text(title), styles().section)


SEP = "\u00a0\u00a0\u00a0"  # no-break spaces: a Paragraph would collapse ordinary ones
BLANK_DATE = f"令和{SEP}{SEP}年{SEP}{SEP}月{SEP}{SEP}日"


def check(checked: bool, label: str) -> str:
    return f"{'■' if checked else '□'}{label}"


def checks(items: Iterable[tuple[bool, str]]) -> str:
    return SEP.join(check(on, label) for on, label in items)


def check_grid(items: Sequence[str], width: float, per_row: int = 4) -> Table:
    """Tick boxes (「□介護」) ``per_row`` to a row; the last box's cell runs to the right edge
    rather than leaving empty, unlabelled boxes after it."""
    rows: list[list[object]] = [list(items[i : i + per_row]) for i in range(0, len(items), per_row)]
    rows = rows or [[""]]
    left = len(rows[-1])
    rows[-1] += [""] * (per_row - left)
    last = len(rows) - 1
    spans = [((left - 1, last), (per_row - 1, last))] if 0 < left < per_row else []
    return grid(rows, [width / per_row] * per_row, label_cols=(), spans=spans)


CELL_SIZE = 8.5
CELL_PADDING = 6  # left + right


def _cell(value: object, width: float, style: ParagraphStyle) -> Any:
    """Short one-line text stays a plain string (drawn by the table, several times cheaper
    than a Paragraph); anything that may need wrapping becomes a wrapping Paragraph."""
    if isinstance(value, Flowable):
        return value
    s = "" if value is None else str(value)
    fits = "\n" not in s and stringWidth(s, FONT, CELL_SIZE) <= width - CELL_PADDING - 1
    if fits and not needs_fallback(s):
        return s
    return Paragraph(text(s), style)


def _placeholder(row: Sequence[object]) -> str | None:
    """The text of a list table's stand-in row (「（登録なし）」, 「（記載省略）」): its only
    filled cell, a bracketed note."""
    filled = [c for c in row if c not in ("", None)]
    if len(filled) == 1 and isinstance(filled[0], str):
        note = filled[0]
        return note if note.startswith("（") and note.endswith("）") else None
    return None


def grid(
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    *,
    label_cols: Sequence[int] = (0,),
    header: bool = False,
    repeat_header: bool = False,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    min_heights: Sequence[float] | None = None,
    strut_col: int = -1,
) -> Table:
    """A ruled table like a paper form: shaded label columns (or a shaded header row).

    Row heights are never fixed (fixed rows clip long text and break ReportLab's in-row
    splitting); ``min_heights`` leaves room for handwriting by putting an invisible strut in
    the row's ``strut_col`` cell instead. Form tables (no repeated header) may split inside
    a row, so a huge value flows over pages; list tables keep rows whole, since ReportLab
    mislays a row split under a repeated header. In a list table (``header``) a row whose only
    text is a bracketed note (「（登録なし）」) is one cell across the table."""
    st = styles()
    spans = list(spans)
    spanned_rows = {r for (_c0, r0), (_c1, r1) in spans for r in range(r0, r1 + 1)}
    cells: list[list[Any]] = []
    for i, row in enumerate(rows):
        note = _placeholder(row) if header and i and i not in spanned_rows else None
        if note is not None:  # 「（登録なし）」 across the row, not beside empty boxes
            row = [note] + [""] * (len(row) - 1)
            spans.append(((0, i), (len(row) - 1, i)))
        line = [_cell(c, w, st.cell) for c, w in zip(row, col_widths, strict=False)]
        if min_heights and i < len(min_heights) and min_heights[i] and note is None:
            cell = line[strut_col]
            if not isinstance(cell, Flowable):
                cell = Paragraph(text(cell), st.cell)
            line[strut_col] = _Strut(cell, min_heights[i])
        cells.append(line)
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # else the table sets unembedded Helvetica
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.35),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BOX", (0, 0), (-1, -1), 1, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), LABEL_BG))
    else:
        covered = {
            (c, r)
            for (c0, r0), (c1, r1) in spans
            for c in range(c0, c1 + 1)
            for r in range(r0, r1 + 1)
            if (c, r) != (c0, r0)
        }
        for col in label_cols:
            for r in range(len(rows)):
                if (col, r) not in covered:
                    cmds.append(("BACKGROUND", (col, r), (col, r), LABEL_BG))
    for start, end in spans:
        cmds.append(("SPAN", start, end))
    table = Table(
        cells, colWidths=list(col_widths),
        repeatRows=1 if repeat_header else 0, hAlign="LEFT",
        splitInRow=0 if repeat_header else 1,
    )  # fmt: skip
    table.setStyle(TableStyle(cmds))
    return table


class _Strut(Flowable):
    """Wraps a cell's content and reports at least ``height``: a minimum row height."""

    def __init__(self, inner: Flowable, height: float) -> None:
        super().__init__()
        self.inner, self.min_height = inner, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        w, h = self.inner.wrap(avail_width, avail_height)
        self.inner_height, self.outer_height = h, max(h, self.min_height)
        return w, self.outer_height

    def draw(self) -> None:  # content at the top, the room for handwriting below
        self.inner.drawOn(self.canv, 0, self.outer_height - self.inner_height)


@dataclass(frozen=True)
class Furniture:
    """What goes around the content on each page."""

    title: str  # running header (no personal data: it is also the PDF title)
    stamp: PrintStamp
    reference: str = ""  # e.g. the receipt number, printed in the running header
    mark: str = "取扱注意"
    # Further red marks left of the 取扱注意 box on every page: 送付不可, 下書き, 終結.
    marks: tuple[str, ...] = ()


def _draw_page(c: rl_canvas.Canvas, furniture: Furniture, width: float, height: float) -> None:
    c.saveState()
    # 取扱注意 mark, top right, boxed in red
    c.setFont(FONT, 11)
    c.setFillColor(MARK)
    c.setStrokeColor(MARK)
    w = c.stringWidth(furniture.mark, FONT, 11) + 6 * mm
    x, y = width - MARGIN - w, height - 11 * mm
    c.setLineWidth(1.2)
    c.rect(x, y - 2 * mm, w, 7.5 * mm)
    c.drawCentredString(x + w / 2, y, furniture.mark)
    for extra in furniture.marks:  # 送付不可 / 下書き / 終結: filled, so they cannot be missed
        c.setFont(FONT, 12)
        w = c.stringWidth(extra, FONT, 12) + 6 * mm
        x -= w + 3 * mm
        c.setFillColor(MARK)
        c.rect(x, y - 2 * mm, w, 7.5 * mm, stroke=1, fill=1)
        c.setFillColor(colors.white)
        c.drawCentredString(x + w / 2, y, extra)
    # running header, top left
    c.setFillColor(colors.HexColor("#333333"))
    header = furniture.title + (f"　{furniture.reference}" if furniture.reference else "")
    draw_string(c, MARGIN, height - 10 * mm, header, 8)
    # footer: who, when, device (page x / y is added by the canvas at save time)
    c.setStrokeColor(GRID)
    c.setLineWidth(0.4)
    c.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
    draw_string(c, MARGIN, 8 * mm, furniture.stamp.footer_text(), 8)
    c.restoreState()


class _NumberedCanvas(rl_canvas.Canvas):
    """Defers each page so ``x / y`` can be written once the page total is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = FONT  # no stray, unembedded Helvetica reference
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width, height = self._pagesize
            self.setFont(FONT, 9)
            self.drawRightString(width - MARGIN, 8 * mm, f"{self._pageNumber} / {total} ページ")
            super().showPage()
        super().save()


TABLE_GAP = 2 * mm  # the white between a table and a paragraph next to it, in every document


def _edge(f: Flowable, last: bool) -> Flowable:
    """The first (or last) flowable drawn of ``f``, looking inside a KeepTogether."""
    while isinstance(f, KeepTogether) and f._content:
        f = f._content[-1 if last else 0]
    return f


def _pad(p: Paragraph, side: int) -> float:
    """How far a paragraph's border or background reaches outside it (0 top, 2 bottom)."""
    st = p.style
    if not (st.borderWidth or st.backColor):
        return 0.0
    pad = st.borderPadding
    return float(pad[side] if isinstance(pad, (list, tuple)) else pad or 0)


def _gap(a: Flowable, b: Flowable) -> float:
    """The space to add between ``a`` and ``b`` so a table and a paragraph after it (or a
    boxed paragraph and a table after it) have TABLE_GAP of white between them. A section
    heading's shading stays close to the table it heads."""
    a, b = _edge(a, last=True), _edge(b, last=False)
    if isinstance(a, Table) and isinstance(b, Paragraph):
        return TABLE_GAP - (b.style.spaceBefore - _pad(b, 0))
    if isinstance(a, Paragraph) and isinstance(b, Table) and a.style.borderWidth:
        return TABLE_GAP - (a.style.spaceAfter - _pad(a, 2))
    return 0.0


def space_tables(story: Sequence[Flowable]) -> list[Flowable]:
    """``story`` with a Spacer wherever a paragraph directly follows a table (or a table a
    boxed paragraph) with less than TABLE_GAP between them, inside KeepTogether too: the
    no-consent notice under a referral sheet's 情報共有 table was drawn touching it."""
    out: list[Flowable] = []
    for f in story:
        if isinstance(f, KeepTogether):
            f._content = space_tables(f._content)
        if out and (gap := _gap(out[-1], f)) > 0.5:
            out.append(Spacer(1, gap))
        out.append(f)
    return out


def build_pdf(
    story: list[Flowable],
    furniture: Furniture,
    *,
    landscape_page: bool = False,
) -> bytes:
    """Lay out ``story`` on A4 pages with the shared furniture; return the PDF bytes."""
    register_fonts()
    pagesize = landscape(A4) if landscape_page else A4
    width, height = pagesize
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=17 * mm,
        bottomMargin=16 * mm, title=furniture.title, author="Yorisoi", creator="Yorisoi",
        subject=furniture.reference, pageCompression=1,
    )  # fmt: skip
    frame = Frame(MARGIN, 16 * mm, width - 2 * MARGIN, height - 33 * mm, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip

    def on_page(c: rl_canvas.Canvas, _doc: BaseDocTemplate) -> None:
        _draw_page(c, furniture, width, height)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(space_tables(story), canvasmaker=_NumberedCanvas)
    return buf.getvalue()


def content_width(landscape_page: bool = False) -> float:
    width = (landscape(A4) if landscape_page else A4)[0]
    return float(width - 2 * MARGIN)
