"""Printed documents (ReportLab): referral sheet, confidentiality pledge, visit list, case summary.

Layers:
- ``render_*`` (referral, pledge, visit_list, summary): pure functions of plain data
  (app.domain.records) and a :class:`~app.reports.layout.PrintStamp`; they return PDF bytes and
  touch no database. Safe to call on any thread.
- :mod:`app.reports.redaction`: the need-to-know rule for referral sheets (pure).
- :mod:`app.reports.service`: loads the data in a session, redacts, renders, and writes the
  ``print`` / ``export`` audit event.
- ``yorisoi print referral|pledge|visits|summary ... --out FILE.pdf`` lives in
  :mod:`app.cli.report_commands` (the CLI is one package; nothing here imports it).

実績報告 (aggregate counts by district, no personal data):
- :mod:`app.protocol.periods` and :mod:`app.protocol.reports` (shared with the server, so
  both give the same numbers): fiscal years and months with 和暦 labels, and
  ``compute(conn, source, period, vocab=...)`` in SQLAlchemy Core over a ``Source`` (the
  laptop's tables; the server's records in app/server/crud/report_source.py, scoped by the
  pull's rules).
- :mod:`app.reports.suppress`: small-count suppression for tables leaving the office.
- :mod:`app.reports.sheets`: .xlsx (openpyxl) and .csv (UTF-8 BOM) bytes of a report.
- :mod:`app.reports.stats_service`: role check, laptop/server computation, audited export.
"""
