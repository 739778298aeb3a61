"""Exchange pages under ``/exchange/``, one module per domain.

Views are thin: they parse forms, fetch through ``access``, write through ``services``, shape
through ``presenters`` (the API calls the same three), and turn a service's ``ValidationError``
into a 400 page that keeps what the user typed. No page module imports an API module.
"""
