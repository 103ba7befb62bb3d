"""The store: registry database (SQLAlchemy), readings files and snapshots.

Only this package knows SQL and file layouts; engines receive snapshots.
"""
