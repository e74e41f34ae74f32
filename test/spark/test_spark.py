"""Calx under Apache Spark (local mode): run by test/spark/run.sh, which installs PySpark and sets SPARK_HOME.

Each case submits examples/spark/calx_audit.py with spark-submit, as a data team would on a cluster, and checks
every note's result against the plain CLI (`calx check --format json`) on the same notes: the same findings,
codes and diagnostics. --measure N times local[1] against local[2] on N notes instead (for the README).
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SPARK_SUBMIT = os.path.join(os.environ["SPARK_HOME"], "bin", "spark-submit")
JOB = os.path.join(REPO, "examples", "spark", "calx_audit.py")
CLI = os.path.join(REPO, "dist", "cli.js")
NOTES = 200
QUIET = ["--conf", "spark.ui.enabled=false", "--driver-java-options", "-Dlog4j2.rootLogger.level=error"]


def make_notes(work, count):
    subprocess.run(["node", "--import", "tsx", "test/spark/makeNotes.ts", work, str(count)], cwd=REPO, check=True)


def submit(work, master, job_args, archives=True):
    """Runs the job with spark-submit from `work` (so the bundle is found only where --archives put it); its stdout."""
    bundle = ["--archives", os.path.join(work, "calx-bundle.tar.gz") + "#calx"] if archives else []
    run = subprocess.run(
        [SPARK_SUBMIT, "--master", master, *QUIET, *bundle, JOB, *job_args],
        cwd=work,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise AssertionError(f"spark-submit exited {run.returncode}:\n{run.stderr[-4000:]}")
    return run.stdout


def results(output):
    lines = []
    for part in sorted(glob.glob(os.path.join(output, "part-*"))):
        with open(part, encoding="utf-8") as f:
            lines += [json.loads(line) for line in f if line.strip()]
    return lines


def expected(work):
    """The plain CLI's report of the same notes as files, by id (the file name without .txt)."""
    run = subprocess.run(
        ["node", CLI, "check", os.path.join(work, "notes"), "--format", "json", "--no-fail"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    files = json.loads(run.stdout)["files"]
    return {os.path.basename(f["file"])[: -len(".txt")]: f for f in files}


def assert_same(by_id, want):
    assert sorted(by_id) == sorted(want), f"ids differ: {sorted(set(by_id) ^ set(want))[:5]}"
    for id_, report in want.items():
        got = by_id[id_]
        for key in ("findings", "codes", "diagnostics"):
            assert got[key] == report[key], f"note {id_}: {key} differ from the plain CLI"


def case_jsonl(work, want):
    """JSON lines on local[2] in 2 partitions, Calx shipped with --archives: every note as the plain CLI says,
    and the line that is not JSON reported on its own without stopping its partition."""
    out = os.path.join(work, "out-jsonl")
    stdout = submit(work, "local[2]", ["--input", os.path.join(work, "notes.jsonl"), "--output", out, "--partitions", "2"])
    assert re.search(rf"^calx_audit: {NOTES + 1} records, 1 not analysed in [\d.]+ s; results in {re.escape(out)}$", stdout, re.M), stdout
    lines = results(out)
    bad = [r for r in lines if "error" in r]
    assert [{k: v for k, v in r.items() if k != "line"} for r in bad] == [{"id": None, "error": "is not valid JSON"}], bad
    assert_same({r["id"]: r for r in lines if "error" not in r}, want)
    assert len(glob.glob(os.path.join(out, "part-*"))) == 2


def case_text_dir(work, want):
    """A directory of note files (wholeTextFiles) on local[2], Calx named with --calx: the same results, by file."""
    out = os.path.join(work, "out-text")
    stdout = submit(
        work,
        "local[2]",
        ["--input", os.path.join(work, "notes"), "--input-format", "text", "--output", out, "--calx", f"node {CLI}"],
        archives=False,
    )
    assert re.search(rf"^calx_audit: {NOTES} records, 0 not analysed in ", stdout, re.M), stdout
    lines = results(out)
    assert_same({os.path.basename(r["id"])[: -len(".txt")]: r for r in lines}, want)


def bundle(work):
    subprocess.run(["tar", "czf", os.path.join(work, "calx-bundle.tar.gz"), "dist/cli.js", "data"], cwd=REPO, check=True)


def job_seconds(stdout):
    return float(re.search(r"^calx_audit: .* in ([\d.]+) s;", stdout, re.M).group(1))


def measure(count):
    """The job's own time (the Spark action: Python workers, Calx start-up and analysis, writing; not the JVM and
    session start-up) on local[1] and local[2], 2 partitions each, less the same on 2 notes: notes per second of
    the analysis itself. Best of `runs`."""
    work = tempfile.mkdtemp(prefix="calx-spark-measure-")
    runs = 2
    try:
        bundle(work)
        tiny = os.path.join(work, "tiny")
        make_notes(tiny, 2)
        make_notes(work, count)
        size = os.path.getsize(os.path.join(work, "notes.jsonl"))
        print(f"{count} notes, {size / 1e6:.1f} MB of JSON lines; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
        for master in ("local[1]", "local[2]"):
            timings = {}
            for name, data in (("start-up", os.path.join(tiny, "notes.jsonl")), ("job", os.path.join(work, "notes.jsonl"))):
                seconds = []
                for run in range(runs):
                    out = os.path.join(work, f"out-{master}-{name}-{run}")
                    seconds.append(job_seconds(submit(work, master, ["--input", data, "--output", out, "--partitions", "2"])))
                timings[name] = min(seconds)
            analysis = timings["job"] - timings["start-up"]
            print(
                f"{master}: job {timings['job']:.1f} s, on 2 notes {timings['start-up']:.1f} s, analysis {analysis:.1f} s"
                f" = {count / analysis:.0f} notes/s, {size / 1e6 / analysis:.2f} MB/s (load average {os.getloadavg()[0]:.1f})"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    if argv[:1] == ["--measure"]:
        measure(int(argv[1]) if len(argv) > 1 else 2000)
        return 0
    work = tempfile.mkdtemp(prefix="calx-spark-")
    passed = failed = 0
    try:
        make_notes(work, NOTES)
        bundle(work)
        want = expected(work)
        for case in (case_jsonl, case_text_dir):
            try:
                case(work, want)
                passed += 1
                print(f"ok   {case.__name__}: {case.__doc__.split(':')[0].strip()}")
            except AssertionError as e:
                failed += 1
                print(f"FAIL {case.__name__}: {e}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
