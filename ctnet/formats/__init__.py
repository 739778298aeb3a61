"""Per-language date and number formats that override Django's (``FORMAT_MODULE_PATH``).

Only what pages print is set here: the short date and date-time formats that ``|day`` and
``|when`` use. Everything else (month names, decimal and thousand separators) is Django's.
"""
