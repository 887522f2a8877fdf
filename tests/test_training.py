"""Training from a fresh clone gives the weights file in the repository, byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from claims.scoring import model

pytestmark = pytest.mark.slow  # a minute of model fitting


def test_training_again_from_the_shipped_data_gives_the_same_weights_file(tmp_path):
    pytest.importorskip("sklearn")
    out = tmp_path / "weights.json"
    done = subprocess.run(
        [sys.executable, "manage.py", "train_checkworthiness", "--out", str(out)],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        env=os.environ | {"DJANGO_DEBUG": "1"},
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == model.WEIGHTS_PATH.read_bytes()
