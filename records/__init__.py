"""The question log and the officers' feedback, in a real database (SQLite by default, PostgreSQL for several app
processes), read by the review tab and turned into gold candidates by `python -m eval harvest`.

    from records import open_store
    store = open_store()            # FAGUI_DATABASE_URL, or SQLite in the data folder; migrated to the head
    store.log(question, reply, measure=None, session="…")        # in the background: never slows an answer
    store.feedback(question, reply, rating=-1, reason="wrong_verdict", comment="…")
"""
from records.store import REASONS, Store, open_store

__all__ = ["REASONS", "Store", "open_store"]
