"""The load driver, `bench/load.py`, for tests against the live server (`server` fixture).

bench/ holds scripts, not a package, so the module is loaded from its file; its
`Session` is the HTTP client the concurrency tests use too.
"""

from __future__ import annotations

import importlib.util
import sys

from django.conf import settings


def _script(name: str):
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", settings.BASE_DIR / "bench" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


load = _script("load")
