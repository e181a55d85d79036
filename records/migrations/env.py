"""Alembic's environment: migrations run on the connection the store hands over (records/db.py), online only."""
from alembic import context

from records.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
