import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
application = get_wsgi_application()

# Set by ``ctnet demo`` for the web worker granian starts from it (ctnet/lib/parentwatch.py);
# a deployment's supervisor stops its whole process group instead.
if os.environ.get("CTNET_EXIT_WITH_PARENT") == "1":
    from ctnet.lib.parentwatch import exit_with_parent

    exit_with_parent(os.getppid())
