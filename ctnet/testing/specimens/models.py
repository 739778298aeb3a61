"""A marked model that exists only in the test suite, to exercise the shared marking policy.

The capability apps (directory, practices, exchange ...) build on the same ``MarkedModel``; this
specimen lets the core policy be tested on its own, with no capability installed.
"""

from django.db import models

from ctnet.core.models import MarkedModel


class Specimen(MarkedModel):
    title = models.CharField(max_length=100)
