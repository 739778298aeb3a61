"""python-threatexchange extension: ctnet's hash feed as a signal exchange (issue 19).

Load it into the ``threatexchange`` command line or an HMA deployment with

    threatexchange config extensions add ctnet.hashes.threatexchange_ext

It runs inside their process, so it imports no Django and no other part of ctnet: it reads the
feed over HTTP with a platform member's API token, like any other client (``exchange.py``).
"""

from __future__ import annotations

from threatexchange.extensions.manifest import ThreatExchangeExtensionManifest

from ctnet.hashes.threatexchange_ext.exchange import CtnetSignalExchangeAPI

TX_MANIFEST = ThreatExchangeExtensionManifest(apis=(CtnetSignalExchangeAPI,))
