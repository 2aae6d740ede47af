"""Benchmark of policyc against the unavoidable cost: WeasyPrint and pandoc (``make bench``).

Every case runs its two commands as fresh processes, alternating A and B, and prints the
median wall time of each, the median of the per-pair ratios A/B and their min and max
(the machine's noise). Peak memory is the child's own ``ru_maxrss``.

    python tests/bench/run.py [--quick] [--runs N] [--case serve]

``--quick`` runs 3 pairs, a batch of 6 policies and no 50x policy (about 3 minutes);
the default runs 5 pairs (5 runs of each size, 5 batch pairs) with 20 policies and
1x/10x/50x, which takes about 15 minutes on 2 cores. ``--case serve`` runs only case 9,
the live preview measured in the browser (tests/bench/serve.py, about 30 seconds).

Commands run with Python's default bytecode caching (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment and each command runs once before it is timed), as an
installed policyc and WeasyPrint run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate import generate_batch, generate_policy  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
POLICYC = [PYTHON, "-m", "policyc"]
# WeasyPrint alone making the same PDF files: each page laid out once and written in each
# standard the build wrote it in (an edition in PDF/UA-1, its archived copy in PDF/A-3b)
WEASYPRINT_ONLY = """\
import json, sys, weasyprint
for page in sys.argv[1:]:
    laid_out = weasyprint.HTML(filename=page).render(pdf_tags=True)
    for n, variant in enumerate(json.load(open(page[:-len(".html")] + ".json"))):
        laid_out.write_pdf(f"{page}.{n}.pdf", pdf_tags=True, pdf_variant=variant)
"""
RECORD_PDF_PAGES = """\
import json, sys, weasyprint
from policyc.build import build
pages, real_html, real_write = [], weasyprint.HTML, weasyprint.Document.write_pdf
def recording(*args, **kwargs):
    pages.append({"html": kwargs["string"], "variants": []})
    return real_html(*args, **kwargs)
def writing(self, *args, **kwargs):
    pages[-1]["variants"].append(kwargs.get("pdf_variant"))
    return real_write(self, *args, **kwargs)
weasyprint.HTML, weasyprint.Document.write_pdf = recording, writing
build(sys.argv[1], sys.argv[2])
for n, page in enumerate(pages):
    open(f"{sys.argv[3]}/page-{n}.html", "w", encoding="utf-8").write(page["html"])
    open(f"{sys.argv[3]}/page-{n}.json", "w", encoding="utf-8").write(json.dumps(page["variants"]))
"""




@dataclass
class Run:
    seconds: float
    peak_mb: float


def run(cmd: list[str], before=None) -> Run:
    """Run ``cmd`` (after ``before()``), returning its wall time and peak memory."""
    if before is not None:
        before()
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                                 stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            sys.exit(f"benchmark command failed ({child.returncode}): {' '.join(cmd)}\n"
                     + errors.read().decode("utf-8", "replace")[-4000:])
    return Run(seconds, usage.ru_maxrss / 1024)


def pdf_count(pages: Path) -> int:
    """How many PDF files the recorded pages were written as."""
    return sum(len(json.loads(p.read_text(encoding="utf-8"))) for p in pages.glob("*.json"))


def empty(folder: Path):
    """A ``before`` step that leaves ``folder`` empty."""
    def clear():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    return clear


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


class Table:
    """The rows printed at the end, one per case."""

    def __init__(self):
        self.rows: list[tuple[str, ...]] = []

    def pair(self, case: str, a: list[Run], b: list[Run], target: str) -> None:
        ratios = [x.seconds / y.seconds for x, y in zip(a, b)]
        self.rows.append((case, fmt_s(statistics.median(r.seconds for r in a)),
                          fmt_s(statistics.median(r.seconds for r in b)),
                          f"{statistics.median(ratios):.2f}",
                          f"{min(ratios):.2f}–{max(ratios):.2f}", target))
        print(f"  {self.rows[-1]}", flush=True)

    def note(self, case: str, text: str) -> None:
        self.rows.append((case, text, "", "", "", ""))
        print(f"  {case}: {text}", flush=True)

    def markdown(self) -> str:
        head = ("case", "A (median)", "B (median)", "A/B (median of pairs)", "min–max", "target")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def alternate(runs: int, a, b) -> tuple[list[Run], list[Run]]:
    """``runs`` pairs, A then B each time, after one untimed run of each (which also
    writes Python's bytecode caches); a and b are (cmd, before) tuples."""
    run(*a)
    run(*b)
    first, second = [], []
    for _ in range(runs):
        first.append(run(*a))
        second.append(run(*b))
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller batch, no 50x")
    parser.add_argument("--runs", type=int, help="pairs per case (default 5, quick 3)")
    parser.add_argument("--case", choices=["all", "serve"], default="all",
                        help="serve: only the live preview's edit → page updated")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    batch_size = 6 if args.quick else 20
    table = Table()
    work = Path(tempfile.mkdtemp(prefix="policyc-bench-"))
    try:
        if args.case == "all":
            bench(table, work, runs, batch_size, args.quick)
        bench_serve(table, work, 21 if args.runs is None else args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {runs} pairs per case\n")
    print(table.markdown())


def bench(table: Table, work: Path, runs: int, batch_size: int, quick: bool) -> None:
    src = ROOT / "policy_src"
    out = work / "out"
    print("1. full build vs WeasyPrint alone on the same pages", flush=True)
    pages = work / "pages"
    pages.mkdir()
    run([PYTHON, "-c", RECORD_PDF_PAGES, str(src), str(work / "record"), str(pages)])
    page_files = sorted(str(p) for p in pages.glob("*.html"))
    a, b = alternate(runs, (POLICYC + ["build", str(src), "-o", str(out), "-q"], empty(out)),
                     ([PYTHON, "-c", WEASYPRINT_ONLY, *page_files], None))
    table.pair(f"1. `policyc build` (all formats, {pdf_count(pages)} PDFs) vs WeasyPrint "
               "alone on the same PDF pages", a, b, "≤ 1.15")

    print("2./3. HTML+Markdown build and check vs pandoc", flush=True)
    pandoc = shutil.which("pandoc")
    markdown = work / "record" / "zh-CN" / "privacy-policy.md"
    if pandoc is None:
        table.note("2./3. vs pandoc", "skipped: pandoc is not installed")
    else:
        to_html = ([pandoc, "-f", "gfm", "-t", "html", str(markdown), "-o",
                    str(work / "pandoc.html")], None)
        a, b = alternate(runs, (POLICYC + ["build", str(src), "-o", str(out), "-q", "-f", "html",
                                           "-f", "md"], empty(out)), to_html)
        table.pair("2. `policyc build -f html -f md` vs `pandoc` md→html", a, b, "≤ 3.0")
        check = POLICYC + ["check", str(src)]
        if subprocess.run(check + ["--help"], cwd=ROOT, capture_output=True).returncode != 0:
            table.note("3. `policyc check` vs pandoc", "skipped: no `policyc check`")
        else:
            a, b = alternate(runs, (check, None), to_html)
            table.pair("3. `policyc check` vs `pandoc` md→html", a, b, "≤ 3.0")
        # What no change to policyc removes: Python starting and importing the libraries
        # every build needs (click for the command line, PyYAML, Jinja).
        a, b = alternate(runs, ([PYTHON, "-c", "import click, yaml, jinja2"], None), to_html)
        table.pair("2./3. floor: Python + `import click, yaml, jinja2` vs `pandoc`", a, b,
                   "(reference)")

    print("4. no-op rebuild vs first build", flush=True)
    rebuilt = work / "rebuilt"
    run(POLICYC + ["build", str(src), "-o", str(rebuilt), "-q"])
    a, b = alternate(runs, (POLICYC + ["build", str(src), "-o", str(rebuilt), "-q"], None),
                     (POLICYC + ["build", str(src), "-o", str(out), "-q"], empty(out)))
    table.pair("4. no-op rebuild vs first build", a, b, "A ≤ 0.15 s")

    print("5. size scaling", flush=True)
    scales = (1, 10) if quick else (1, 10, 50)
    measured: dict[int, list[Run]] = {}
    for scale in scales:
        generate_policy(work / f"scaled-{scale}", scale, translated=False)  # one locale
    for _ in range(runs):
        for scale in scales:
            measured.setdefault(scale, []).append(run(
                POLICYC + ["build", str(work / f"scaled-{scale}"), "-o", str(out), "-q"],
                empty(out)))
    for scale in scales:
        times = [r.seconds for r in measured[scale]]
        peak = max(r.peak_mb for r in measured[scale])
        table.note(f"5. {scale}× reference", f"{fmt_s(statistics.median(times))}, peak "
                                            f"{peak:.0f} MB ({len(times)} runs)")
    ratios = [x.seconds / y.seconds for x, y in zip(measured[10], measured[1])]
    table.rows.append(("5. 10× vs 1× (time)", fmt_s(statistics.median(r.seconds for r in
                                                                     measured[10])),
                       fmt_s(statistics.median(r.seconds for r in measured[1])),
                       f"{statistics.median(ratios):.2f}", f"{min(ratios):.2f}–{max(ratios):.2f}",
                       "≤ 8; 50× peak ≤ 600 MB"))

    print(f"6. batch of {batch_size} policies x 2 locales, -j 1 vs -j 2", flush=True)
    generate_batch(work / "batch", batch_size)
    batch_out = work / "batch-out"
    batch = POLICYC + ["build", str(work / "batch"), "-o", str(batch_out), "-q"]
    batch_runs = 1 if quick else runs
    a, b = alternate(batch_runs, (batch + ["-j", "1"], empty(batch_out)),
                     (batch + ["-j", "2"], empty(batch_out)))
    table.pair(f"6. batch of {batch_size} policies × 2 locales: `-j 1` vs `-j 2`", a, b,
               "≥ 1.7")

    print("7. full build with -j 2 vs WeasyPrint alone on the same pages", flush=True)
    a, b = alternate(runs, (POLICYC + ["build", str(src), "-o", str(out), "-q", "-j", "2"],
                            empty(out)), ([PYTHON, "-c", WEASYPRINT_ONLY, *page_files], None))
    table.pair(f"7. `policyc build -j 2` (all formats, {pdf_count(pages)} PDFs in 2 workers) vs "
               "WeasyPrint alone on the same pages, one after another", a, b, "≤ 0.65")
    bench_import(table, work, runs)


def bench_import(table: Table, work: Path, runs: int) -> None:
    """8. `policyc import` of the reference text into a fresh source folder."""
    print("8. import of the reference text", flush=True)
    text = ROOT / "tests" / "data" / "privacy-policy.zh-CN.txt"
    imported = POLICYC + ["import", str(text), "-o", str(work / "imported"), "--force"]
    a, b = alternate(runs, (imported, None), ([PYTHON, "-c", "import click, yaml, jinja2"], None))
    table.pair("8. `policyc import` reference text → sources vs Python + `import click, yaml, "
               "jinja2`", a, b, "A < 1 s")


def bench_serve(table: Table, work: Path, edits: int) -> None:
    """9. ``policyc serve``: a saved edit to the page showing it, in headless Chromium."""
    from bench import serve

    print("9. policyc serve: edit → page updated in the browser", flush=True)
    if not serve.browser_available():
        table.note("9. `policyc serve` edit → page updated", "skipped: no chromium")
        return
    for case, seconds in serve.measure(ROOT / "policy_src", work, edits).items():
        table.note(f"9. `policyc serve`, {case}", f"{serve.summary(seconds)}; target "
                                                   "median ≤ 300 ms")


if __name__ == "__main__":
    main()
