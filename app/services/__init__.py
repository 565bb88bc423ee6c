"""Use cases over the store. Functions take a ``Session`` owned by the caller (one unit of work,
committed by ``store.session()``), never commit themselves, and return plain data from
app.domain.records. Reads of a case's details, edits, prints and exports write AuditEvents."""
