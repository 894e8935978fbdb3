"""Make the repository's ``benchmarks`` package importable from these tests.

``benchmarks/`` is run from a checkout (``python -m benchmarks.generate``) and is not
part of the installed distribution, so pytest's console script, whose ``sys.path``
starts at the venv's ``bin/``, would not find it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
