"""Settings for the test suite: the real settings, plus a specimen app that exercises markings."""

import os

os.environ.setdefault("CTNET_TESTING", "1")

from ctnet.settings import *  # noqa: F403
from ctnet.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "ctnet.testing.specimens"]
