"""``policyc init``: start a new policy from a complete, commented template."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from ..diagnostics import display_path

TEMPLATES = {
    "zh-app": "a Chinese app (zh-CN): features, permissions, SDKs, rights; checked under "
              "PIPL, GB/T 35273 and the MIIT rules",
    "en-web": "an English website (en): data, processors, retention, rights; checked under "
              "GDPR Art. 13",
}


def template_dir(name: str) -> Path:
    from ..render import default_templates_dir

    return default_templates_dir() / "init" / name


def choices_text() -> str:
    return "\n".join(f"  --template {name:8} {what}" for name, what in TEMPLATES.items())


@click.command("init")
@click.argument("directory", metavar="[DIR]", default="policy_src",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("-t", "--template", "template", type=click.Choice(list(TEMPLATES)),
              help="The kind of policy to start from (without it: the choices are listed).")
def init_command(directory: Path, template: str | None) -> None:
    """Write a new policy's sources to DIR (default: policy_src).

    Every key is explained in a comment; the policy builds as it is and passes
    `policyc check` under its profile. `policyc check --strict` fails until the example
    facts (示例/Example names, example.com addresses) are replaced with yours.
    """
    if template is None:
        raise click.UsageError("choose a template:\n" + choices_text())
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise click.UsageError(f"'{display_path(directory)}' exists and is not empty; "
                               "choose another folder")
    from ..model import source_schemas

    source = template_dir(template)
    parent = directory.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=parent))
    try:
        written = []
        for path in sorted(source.rglob("*.yaml")):
            target = staging / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            written.append(path.relative_to(source).as_posix())
        for name, data in source_schemas().items():
            (staging / "schema").mkdir(exist_ok=True)
            (staging / "schema" / name).write_bytes(data)
        if directory.exists():
            directory.rmdir()
        os.replace(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shown = display_path(directory)
    click.echo(f"wrote {shown}/ from the {template} template: {', '.join(written)} and schema/")
    click.echo(f"next: replace the example facts, then `policyc check {shown} --strict` and "
               f"`policyc build {shown}`")
