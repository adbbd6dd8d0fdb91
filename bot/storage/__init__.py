"""Storage with SQLAlchemy Core async: SQLite by default, PostgreSQL by URL."""
