import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convocation.settings")
application = get_wsgi_application()

# Every module the site needs is loaded now (the URLconf imports the views), and then left
# out of the garbage collector's full collections, which otherwise walk these hundreds of
# thousands of long-lived objects: about 60 ms in each worker, every few hundred
# registrations, with every request queued behind it waiting (docs/performance.md).
get_resolver().url_patterns  # noqa: B018
gc.collect()
gc.freeze()
