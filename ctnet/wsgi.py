import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")

# ``ctnet demo`` names itself here before granian spawns the web worker, which imports this module
# first thing. A demo killed outright (SIGKILL) cannot stop its worker; the watch makes the worker
# leave by itself instead of holding the demo's port. A fork hook cannot do this: granian starts
# its workers by spawning a fresh interpreter, not by os.fork.
if _demo_pid := os.environ.get("CTNET_DEMO_PARENT_PID"):
    from ctnet.lib.parentwatch import exit_with_parent

    if os.getppid() == int(_demo_pid):
        exit_with_parent(int(_demo_pid), hard_after=10)

application = get_wsgi_application()
