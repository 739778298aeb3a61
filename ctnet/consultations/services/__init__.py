"""Every write of consultations: one function per act, in one transaction, with its audit row.

- ``configuring``: open a consultation (questions, audience, mode) and move its window;
- ``submitting``: take part (identified, pseudonymous or anonymous), receipts;
- ``answering``: themes, the response to each, and the results they lead to.
"""

from ctnet.core.conflicts import Conflict


class WrongState(Conflict):
    """The consultation is not at a step where this act applies (409)."""
