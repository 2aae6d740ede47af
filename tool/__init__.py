"""policyc: a compiler for privacy policies.

The pipeline reads as its modules: :mod:`~policyc.project` loads and validates the
sources into the typed :mod:`~policyc.model`, :mod:`~policyc.resolve` numbers and links
them into a :mod:`~policyc.document`, :mod:`~policyc.render` turns that into HTML,
Markdown and PDF, and :mod:`~policyc.write` stores the artifacts atomically.
"""

try:  # written by setuptools-scm from the git tag when the package is built or installed
    from ._version import version as __version__
except ImportError:  # a source tree that was never installed
    __version__ = "0+unknown"
POLICY_FILE = "policy.yaml"   # the file that makes a folder a policy source folder
