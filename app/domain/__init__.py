"""Domain vocabulary, plain data records and named errors. No database, no Qt."""
