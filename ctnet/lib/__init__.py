"""Helpers free of Django, shared by the apps (healthchecks' ``hc/lib``)."""
