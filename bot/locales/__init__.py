"""One string catalog per locale; every user-facing sentence lives here."""
