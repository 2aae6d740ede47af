"""Readers of an app's build (Android and iOS) and what is generated from the policy for it."""
