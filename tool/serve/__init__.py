"""The live preview server (policyc serve)."""
