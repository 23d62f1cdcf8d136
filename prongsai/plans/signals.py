"""Signals other apps listen to, sent only after the operation's transaction commits."""

from django.dispatch import Signal

# Sent with ``plan_id`` after a plan revision is published.
plan_published = Signal()
