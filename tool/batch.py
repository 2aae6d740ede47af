"""Batch builds: several policies in one call, optionally in parallel worker processes.

``policyc build a/ b/ -o out`` builds ``a`` into ``out/a`` and ``b`` into ``out/b``; a
folder without a ``policy.yaml`` stands for every policy folder directly inside it. With
``jobs > 1`` the policies are built by that many worker processes (each imports the PDF
renderer once and keeps it); results come back as each policy finishes and the outputs
are byte-identical to a sequential build.

A batch's output folder also gets a manifest of its own (every policy, with the
artifacts of each under its folder) and an entry page listing the policies
(:func:`write_batch_root`). ``--shard K/N`` builds the K-th of N stable shares of a
batch, so that N machines build it side by side; ``policyc merge`` joins their outputs
into the folder one machine would have built (:mod:`policyc.merge`).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import POLICY_FILE
from .diagnostics import Loc, PolicyError, Report, display_path
from .files import read_file

MANIFEST_LIMIT = 64 * 1024 * 1024   # bytes of a manifest read back


@dataclass(frozen=True)
class Job:
    """One policy to build: its source folder, its output folder and, when the batch has
    one, the address its folder is published at."""

    src: Path
    out_dir: Path
    base_url: str | None = None


@dataclass
class JobResult:
    """What building one policy produced: its artifacts' paths and sizes, the files whose
    bytes changed, and every diagnostic (with errors, no artifact was written)."""

    job: Job
    artifacts: list[tuple[Path, int]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def policy_sources(paths: list[Path], report: Report) -> list[Path]:
    """The policy source folders ``paths`` name: a folder (or policy.yaml) of one policy
    stands for itself, a folder of policy folders for each of them, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_file() or (path / POLICY_FILE).is_file() or not path.is_dir():
            found.append(path)
            continue
        inside = sorted(child for child in path.iterdir() if (child / POLICY_FILE).is_file())
        if not inside:
            report.error(Loc(display_path(path)), f"no {POLICY_FILE} here nor in any folder "
                                                  "directly inside; is this a policy folder?")
        found.extend(inside)
    return found


def plan_jobs(sources: list[Path], out_dir: Path, batch: bool = False) -> list[Job]:
    """One job per policy: a single policy builds into ``out_dir`` itself (unless
    ``batch``), several each into ``out_dir/<folder name>``; raises ValueError when two
    policies share a name."""
    if len(sources) == 1 and not batch:
        return [Job(sources[0], out_dir)]
    names: dict[str, Path] = {}
    jobs = []
    for src in sources:
        folder = src.parent if src.is_file() else src
        name = folder.resolve().name
        if name in names:
            raise ValueError(f"two policies would both build into '{display_path(out_dir / name)}':"
                             f" '{display_path(names[name])}' and '{display_path(folder)}'")
        names[name] = folder
        jobs.append(Job(src, out_dir / name))
    return jobs


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` as (K, N) with 1 <= K <= N; raises ValueError otherwise."""
    k, slash, n = text.partition("/")
    if not (slash and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n) <= 10_000):
        raise ValueError(f"'{text}' is not a shard; write K/N with 1 <= K <= N, e.g. 2/4")
    return int(k), int(n)


def shard_of(jobs: list[Job], shard: tuple[int, int]) -> list[Job]:
    """The K-th of N shares of ``jobs``: the policies in name order, dealt out in turn,
    so the shares differ by at most one policy and depend on nothing but the names."""
    k, n = shard
    ordered = sorted(jobs, key=lambda job: job.out_dir.name)
    return [job for i, job in enumerate(ordered) if i % n == k - 1]


def write_batch_root(out_dir: Path, names: list[str]) -> list[Path]:
    """The batch's own manifest and entry page, for the policies ``names`` whose folders
    in ``out_dir`` hold a manifest (built now or before); returns the files changed."""
    from .render import Templates
    from .render.site import INDEX, SitePolicy, batch_index
    from .write import MANIFEST, write_files

    policies: list[SitePolicy] = []
    artifacts: list[dict] = []
    for name in sorted(set(names)):
        manifest = read_manifest(out_dir / name / MANIFEST)
        if manifest is None:
            continue
        policy = manifest["policy"]
        policies.append(SitePolicy(name, policy["title"], policy["version"],
                                   list(policy["locales"]), f"{name}/{INDEX}"))
        artifacts += [{**artifact, "path": f"{name}/{artifact['path']}"}
                      for artifact in manifest["artifacts"]]
    if not policies:
        return []
    index = batch_index(policies, Templates())
    artifacts.append(_artifact_entry(INDEX, "index", index))
    root = {"generator": "policyc",
            "policies": [{"name": p.name, "title": p.title, "version": p.version,
                          "locales": p.locales, "manifest": f"{p.name}/{MANIFEST}"}
                         for p in policies],
            "artifacts": sorted(artifacts, key=lambda a: a["path"])}
    manifest_data = (json.dumps(root, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return write_files({out_dir / INDEX: index, out_dir / MANIFEST: manifest_data})


def read_manifest(path: Path) -> dict | None:
    """A policy's manifest.json, or None when there is none or it is not policyc's."""
    try:
        data = json.loads(read_file(path, path.parent, MANIFEST_LIMIT))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "policyc" or \
            not isinstance(data.get("artifacts"), list):
        return None
    return data


def _artifact_entry(path: str, fmt: str, data: bytes) -> dict:
    return {"path": path, "format": fmt, "locale": "", "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def build_job(job: Job, options: dict) -> JobResult:
    """Build one policy; source errors are returned in the result, not raised."""
    from .build import OutputFolderError, build

    result = JobResult(job)
    try:
        built = build(job.src, job.out_dir, report=result.report, base_url=job.base_url,
                      **options)
    except OutputFolderError as exc:
        result.report.error(Loc(display_path(job.out_dir)), str(exc))
        return result
    except PolicyError as exc:
        if exc.report is not result.report:
            result.report.extend(exc.report.diagnostics)
        return result
    result.artifacts = [(built.out_dir / artifact.path, artifact.bytes)
                        for artifact in built.artifacts]
    result.written = list(built.written)
    return result


def run_jobs(jobs: list[Job], options: dict, workers: int = 1) -> Iterator[JobResult]:
    """Build every job, yielding each result as it finishes (in job order when sequential).

    ``options`` are keyword arguments of :func:`policyc.build.build`. With ``workers``
    above 1, that many processes build policies side by side.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield build_job(job, options)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        pending = {pool.submit(build_job, job, options) for job in jobs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: jobs.index(f.result().job)):
                yield future.result()


def progress_lines(result: JobResult, finished: int, total: int) -> list[str]:
    """One line per artifact of a finished policy: ``[3/20] built out/a/zh-CN/… (n bytes)``."""
    written = set(result.written)
    return [f"[{finished}/{total}] {'built' if path in written else 'up to date'} "
            f"{display_path(path)} ({size:,} bytes)" for path, size in result.artifacts]


def run_batch(jobs: list[Job], options: dict, workers: int,
              echo: Callable[[str], None]) -> Report:
    """Build every job, echoing progress lines as policies finish; returns all diagnostics."""
    report = Report()
    for finished, result in enumerate(run_jobs(jobs, options, workers), start=1):
        report.extend(result.report.diagnostics)
        for line in progress_lines(result, finished, len(jobs)):
            echo(line)
    return report
