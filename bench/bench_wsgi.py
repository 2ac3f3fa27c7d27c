"""The WSGI application that bench/run.sh serves when BENCH_PATCH is set.

convocation.wsgi's application, after importing the module named by BENCH_PATCH: a way to
measure a proposed change to the app (a module that replaces, say, one function of
convocation.meetings.queries) with the same benchmark before making it. Without
BENCH_PATCH, run.sh serves convocation.wsgi:application directly.
"""

import importlib
import os

from convocation.wsgi import application

if os.environ.get("BENCH_PATCH"):
    importlib.import_module(os.environ["BENCH_PATCH"])

__all__ = ["application"]
