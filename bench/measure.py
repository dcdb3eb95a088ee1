#!/usr/bin/env python3
"""Runs commands in alternation (A B C A B C ...) and reports the median wall time and peak memory
of each, measured per run with wait4's rusage. Usage from bench/run:

    measure.py --runs N --setup 'shell cmd run before each measured run of NAME' NAME=CMD ...

Each CMD is run by /bin/sh with stdout and stderr discarded; the exit code is recorded.
Prints one JSON object per command on stdout: median/min/max wall seconds, median peak RSS (MiB),
median CPU seconds (user + system), the set of exit codes, the number of measured runs, and each
run's wall seconds in round order (for ratios of runs made one after the other).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(command):
    start = time.perf_counter()
    process = subprocess.Popen(["/bin/sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux: the peak of the largest process in the run (wait4 folds in the
    # descendants the child itself waited for). CPU time is user + system of the same processes: on a
    # shared machine it moves less than wall time does.
    return wall, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime, process.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--setup", action="append", default=[], help="NAME=shell command run (untimed) before each run of NAME")
    parser.add_argument("commands", nargs="+", help="NAME=shell command")
    args = parser.parse_args()
    commands = [c.split("=", 1) for c in args.commands]
    setups = dict(s.split("=", 1) for s in args.setup)
    results = {name: {"wall": [], "rss": [], "cpu": [], "exit": set()} for name, _ in commands}
    for round_ in range(args.warmup + args.runs):
        for name, command in commands:
            if name in setups:
                subprocess.run(["/bin/sh", "-c", setups[name]], check=True)
            wall, rss, cpu, code = run_once(command)
            if round_ >= args.warmup:
                results[name]["wall"].append(wall)
                results[name]["rss"].append(rss)
                results[name]["cpu"].append(cpu)
                results[name]["exit"].add(code)
        print(f"  round {round_ + 1}/{args.warmup + args.runs} done", file=sys.stderr)
    for name, _ in commands:
        r = results[name]
        print(json.dumps({
            "name": name,
            "median_s": statistics.median(r["wall"]),
            "min_s": min(r["wall"]),
            "max_s": max(r["wall"]),
            "peak_mib": statistics.median(r["rss"]),
            "cpu_s": statistics.median(r["cpu"]),
            "exit": sorted(r["exit"]),
            "runs": len(r["wall"]),
            "wall_s": r["wall"],
        }))


if __name__ == "__main__":
    main()
