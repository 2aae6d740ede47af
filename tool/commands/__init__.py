"""The CLI verbs, one module each; :data:`COMMANDS` is what ``policyc`` offers."""
from .build import build_command
from .check import check_command
from .diff import diff_command
from .explain import explain_command
from .schema import schema_command
from .translations import translations_command

COMMANDS = [build_command, check_command, diff_command, explain_command, schema_command,
            translations_command]
