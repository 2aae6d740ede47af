"""The CLI verbs, one module each; :data:`COMMANDS` is what ``policyc`` offers.

Each entry maps a command name to the module and function that define it. The module
is imported only when its command runs or is listed by ``--help``, so ``policyc
--version`` or ``policyc build -f html`` never pay for the others' imports.
"""
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "build_command"),
    "check": ("check", "check_command"),
    "diff": ("diff", "diff_command"),
    "explain": ("explain", "explain_command"),
    "import": ("import_", "import_command"),
    "init": ("init", "init_command"),
    "merge": ("merge", "merge_command"),
    "publish": ("publish", "publish_command"),
    "schema": ("schema", "schema_command"),
    "serve": ("serve", "serve_command"),
    "translations": ("translations", "translations_command"),
}
