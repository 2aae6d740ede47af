"""The CLI verbs, one module each; :data:`COMMANDS` is what ``policyc`` offers."""
from .build import build_command

COMMANDS = [build_command]
