"""Screening pages under ``/screening/``, one module per domain: ``runs`` (screen a passenger
list or one traveller, a run and its possible matches), ``review`` (the queue and the four-eyes
review of one hit), ``watchlists`` (lists, their imports and entries), ``notices`` (to list
owners) and ``stats``.

Views are thin: they parse forms, fetch through ``access`` (404 for what is missing or not
theirs, 403 for a wrong role), write through ``services`` and shape through ``presenters`` (the
API calls the same three). No page module imports an API module. What a traveller typed or
uploaded is held in memory for the request only: the bad rows of a passenger list are rendered
in the answer to the upload, never put in the session or a message.
"""
