"""The exchange's API router at the import path the API root (``ctnet/api.py``) uses.

The router is built in ``ctnet/exchange/api/``; this name stays until the root imports it there.
"""

from ctnet.exchange.api import router

__all__ = ["router"]
