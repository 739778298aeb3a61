"""Settings for the test suite: the real settings, plus a specimen app that exercises markings."""

import os

os.environ.setdefault("CTNET_TESTING", "1")

from ctnet.settings import *  # noqa: E402, F403
from ctnet.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "ctnet.testing.specimens"]
