"""``python -m policyc``: the same as the ``policyc`` command."""
import sys

from .cli import run

sys.exit(run())
