"""Widgets, item models and dialogs. Talks to ``viewer.api`` only through ``viewer.tasks``."""
