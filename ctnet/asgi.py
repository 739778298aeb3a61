import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctnet.settings")
# WhiteNoise hands Django a file to stream through a synchronous iterator, which Django's ASGI
# handler reads in a thread, as it should; it warns on the first static file of every process,
# which says nothing an operator can act on.
warnings.filterwarnings(
    "ignore",
    message="StreamingHttpResponse must consume synchronous iterators",
    category=Warning,
)
application = get_asgi_application()
