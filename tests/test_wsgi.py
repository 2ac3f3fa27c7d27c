"""The WSGI application as gunicorn loads it in each worker."""

import gc
import importlib

from django.urls import clear_url_caches, get_resolver


def test_the_worker_loads_the_urlconf_and_freezes_what_it_loaded():
    gc.unfreeze()
    clear_url_caches()
    try:
        wsgi = importlib.reload(importlib.import_module("convocation.wsgi"))

        assert callable(wsgi.application)
        # The URLconf and its views are loaded before the first request, so that the freeze
        # covers them too.
        assert "url_patterns" in vars(get_resolver())
        # Left out of full collections: they no longer pause the worker (docs/performance.md).
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
