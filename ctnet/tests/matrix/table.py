"""The explicit table of the matrix: API operations and pages with an object id.

How an entry reads is in ``entries.py``; the operations are in ``api_table.py``, the pages in
``page_table.py``. A route with an id and no entry fails
``test_layer5_every_route_with_an_id_has_an_entry``.
"""

from ctnet.tests.matrix.api_table import API_TABLE
from ctnet.tests.matrix.entries import Entry, Made
from ctnet.tests.matrix.page_table import PAGE_TABLE

__all__ = ["API_TABLE", "PAGE_TABLE", "Entry", "Made"]
