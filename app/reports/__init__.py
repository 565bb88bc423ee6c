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
"""
