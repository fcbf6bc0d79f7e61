"""Signals of traffic: the actions send them; tasks.py queues the work they ask for.

``evidence_read_requested(job, item, camera)`` is sent by ``do_read_evidence``
inside its transaction, so that the actions need not import the tasks (which
import the reading glue, which imports the actions).
"""

from __future__ import annotations

from django.dispatch import Signal

evidence_read_requested = Signal()
