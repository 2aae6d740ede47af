"""Batch builds: several policies in one call, optionally in parallel worker processes.

``policyc build a/ b/ -o out`` builds ``a`` into ``out/a`` and ``b`` into ``out/b``; a
folder without a ``policy.yaml`` stands for every policy folder directly inside it. With
``jobs > 1`` the policies are built by that many worker processes (each imports the PDF
renderer once and keeps it); results come back as each policy finishes and the outputs
are byte-identical to a sequential build.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import POLICY_FILE
from .diagnostics import Loc, PolicyError, Report, display_path


@dataclass(frozen=True)
class Job:
    """One policy to build: its source folder and its output folder."""

    src: Path
    out_dir: Path


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


def plan_jobs(sources: list[Path], out_dir: Path) -> list[Job]:
    """One job per policy: a single policy builds into ``out_dir`` itself, several each
    into ``out_dir/<folder name>``; raises ValueError when two policies share a name."""
    if len(sources) == 1:
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


def build_job(job: Job, options: dict) -> JobResult:
    """Build one policy; source errors are returned in the result, not raised."""
    from .build import build

    result = JobResult(job)
    try:
        built = build(job.src, job.out_dir, report=result.report, **options)
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
