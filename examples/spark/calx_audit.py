"""Calx audit of many notes on Apache Spark: one long-lived `calx check --format ndjson` process per partition.

Submit it unchanged to a cluster whose workers have Node.js (20.19 or later) on the PATH, shipping Calx's
bundle (dist/cli.js and data/, made by `npm run build`) with the job:

    tar czf calx-bundle.tar.gz dist/cli.js data
    spark-submit --archives calx-bundle.tar.gz#calx examples/spark/calx_audit.py \
        --input notes.jsonl --output calx-results

Input (--input-format):
  jsonl    JSON lines {"id": ..., "text": ...} (or {"id": ..., "path": ...} for files every worker can read),
           passed to Calx as they are; the default.
  text     a directory of note files (one note a file; the id is the file's path).
  parquet  a table with an id and a text column (--id-column, --text-column).
Output: --output is a directory of JSON-lines part files, one result a record: {"id", "line", "file",
"findings", "codes", "diagnostics"} (the FileReport of docs/cli-json.md) or {"id", "line", "error"} for a record
that was not analysed (not JSON, no id, over --max-file-size, binary...). `line` counts within the partition.
Note text is never written to the logs: Calx's progress on stderr has counts and rates only.

A partition whose Calx process fails (it exits with a status other than 0 or 2, or answers fewer records than it
was given) fails its task, and Spark runs the task again as it does for any failed task.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import threading
import time

from pyspark import SparkFiles
from pyspark.sql import SparkSession

BUNDLE_ALIAS = "calx"


def parse_args(argv):
    p = argparse.ArgumentParser(description="Calx audit of notes with one calx process per partition.")
    p.add_argument("--input", required=True, help="notes: JSON lines, a directory of text files, or a Parquet table")
    p.add_argument("--output", required=True, help="directory for the JSON-lines results (must not exist)")
    p.add_argument("--input-format", choices=["jsonl", "text", "parquet"], default="jsonl")
    p.add_argument("--id-column", default="id", help="parquet: the id column")
    p.add_argument("--text-column", default="text", help="parquet: the note text column")
    p.add_argument("--partitions", type=int, default=0, help="repartition the input into this many partitions (0: keep)")
    p.add_argument("--max-file-size", type=int, default=2 * 1024 * 1024, help="bytes; a larger record is reported, not analysed")
    p.add_argument(
        "--calx",
        default="",
        help="command that runs Calx's CLI on a worker (default: node on the bundle shipped with --archives ...#calx, else `calx` on the PATH)",
    )
    return p.parse_args(argv)


def calx_command(configured):
    """The command line of Calx on this worker, found where --archives unpacked the bundle."""
    if configured:
        return shlex.split(configured)
    for root in (os.getcwd(), SparkFiles.getRootDirectory()):
        cli = os.path.join(root, BUNDLE_ALIAS, "dist", "cli.js")
        if os.path.exists(cli):
            return ["node", cli]
    return ["calx"]


def audit_partition(command, max_file_size):
    """Feeds one partition's records to one calx process and yields its result lines, in order, as they come."""

    def run(records):
        proc = subprocess.Popen(
            command + ["check", "--format", "ndjson", "--no-fail", "--max-file-size", str(max_file_size), "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        sent = [0]
        failure = []

        def feed():
            try:
                for record in records:
                    proc.stdin.write(record.encode("utf-8") + b"\n")
                    sent[0] += 1
            except BaseException as e:  # a broken pipe when calx died: reported below with its status
                failure.append(e)
            finally:
                try:
                    proc.stdin.close()
                except BrokenPipeError:
                    pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        answered = 0
        for line in proc.stdout:
            answered += 1
            yield line.decode("utf-8").rstrip("\n")
        writer.join()
        status = proc.wait()
        # Status 2 only says some records were bad; each of them has its error line.
        if status not in (0, 2) or failure or answered != sent[0]:
            raise RuntimeError(
                f"calx exited with status {status} after answering {answered} of {sent[0]} records"
                + (f" ({type(failure[0]).__name__})" if failure else "")
            )

    return run


def records(spark, args):
    """The input as an RDD of NDJSON record lines."""
    if args.input_format == "jsonl":
        lines = spark.sparkContext.textFile(args.input)
        return lines.filter(lambda line: line.strip() != "")
    if args.input_format == "text":
        files = spark.sparkContext.wholeTextFiles(args.input)
        return files.map(lambda pair: json.dumps({"id": pair[0], "text": pair[1]}, ensure_ascii=False))
    table = spark.read.parquet(args.input).select(args.id_column, args.text_column)
    return table.rdd.map(lambda row: json.dumps({"id": row[0], "text": row[1]}, ensure_ascii=False))


def main(argv):
    args = parse_args(argv)
    spark = SparkSession.builder.appName("calx-audit").getOrCreate()
    sc = spark.sparkContext
    command = calx_command(args.calx) if args.calx else None
    notes = records(spark, args)
    if args.partitions > 0:
        notes = notes.repartition(args.partitions)
    counted = {"records": sc.accumulator(0), "bad": sc.accumulator(0)}

    def run_partition(part):
        # Resolved on the worker, where the bundle was unpacked.
        run = audit_partition(command or calx_command(""), args.max_file_size)
        for line in run(part):
            counted["records"].add(1)
            if '"findings":' not in line:
                counted["bad"].add(1)
            yield line

    started = time.monotonic()
    notes.mapPartitions(run_partition).saveAsTextFile(args.output)
    seconds = time.monotonic() - started
    print(
        f"calx_audit: {counted['records'].value} records, {counted['bad'].value} not analysed in {seconds:.1f} s; results in {args.output}"
    )
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
