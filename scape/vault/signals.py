"""Signals other vault modules listen to (tasks schedule processing on ingest)."""

from django.dispatch import Signal

# Sent after the transaction that stored a new evidence item commits: item_id.
item_ingested = Signal()
