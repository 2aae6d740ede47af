"""policyc: a compiler for privacy policies.

The pipeline reads as its modules: :mod:`~policyc.project` loads and validates the
sources into the typed :mod:`~policyc.model`, :mod:`~policyc.resolve` numbers and links
them into a :mod:`~policyc.document`, :mod:`~policyc.render` turns that into HTML,
Markdown and PDF, and :mod:`~policyc.write` stores the artifacts atomically.
"""

__version__ = "0.1.0"
POLICY_FILE = "policy.yaml"   # the file that makes a folder a policy source folder
