"""Every write of screening: one function each, in ``transaction.atomic``, with a keyword-only
``acting_user`` and its audit row in the same transaction.

- ``watchlists``: create a list, import a whole edition (UN XML or CSV), suspend or resume it;
- ``runs``: screen travellers, keeping only their possible matches (hits);
- ``review``: the human review of hits with four eyes, notices to list owners, retention purge.

Callers import the module they need (``from ctnet.screening.services import runs``).
"""
