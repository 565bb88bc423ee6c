"""The encrypted local store: SQLCipher via SQLAlchemy, migrations, search, backup."""
