"""The benchmark's cold server: production settings with a cache that keeps nothing.

Every public page is then looked up and rendered from its snapshot on every request,
as on the first visit after publishing. Only `make bench` uses this module.
"""

from factcheck.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
