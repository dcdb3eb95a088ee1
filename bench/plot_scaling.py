#!/usr/bin/env python3
"""Plots check's wall time, CPU time and peak memory against file count (bench/run's scaling runs).

Usage: plot_scaling.py RESULTS FACTS OUT.png   (needs matplotlib: pip install matplotlib)
  RESULTS  JSON lines from measure.py with names scaling_<files>
  FACTS    key=value lines written by bench/run (scaling_files, scaling_mb_<files>, date, commit)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write the file only
import matplotlib.pyplot as plt


def main():
    results_path, facts_path, out_path = sys.argv[1:4]
    facts = dict(line.rstrip("\n").partition("=")[::2] for line in open(facts_path) if "=" in line)
    results = {entry["name"]: entry for entry in map(json.loads, filter(str.strip, open(results_path)))}
    counts = [int(count) for count in facts["scaling_files"].split()]
    runs = [results[f"scaling_{count}"] for count in counts]
    walls = [run["median_s"] for run in runs]
    cpus = [run["cpu_s"] for run in runs]
    peaks = [run["peak_mib"] for run in runs]

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    # Log-log: a straight line of slope 1 is linear time; the dotted line extrapolates the smallest
    # run linearly, so any superlinear growth shows as the measured points rising above it.
    time_axis.loglog(counts, walls, "o-", label="wall (median)")
    time_axis.loglog(counts, cpus, "s-", label="CPU, user + system (median)")
    time_axis.loglog(counts, [walls[0] * count / counts[0] for count in counts], ":", color="grey",
                     label=f"linear from {counts[0]:,} files")
    for count, wall in zip(counts, walls):
        time_axis.annotate(f"{wall:.2f} s", (count, wall), textcoords="offset points", xytext=(6, -12))
    time_axis.margins(x=0.15, y=0.15)  # room for the labels of the end points
    time_axis.set_xlabel("files")
    time_axis.set_ylabel("seconds")
    time_axis.set_title("kubearch check --offline: time")
    time_axis.legend()
    time_axis.grid(True, which="both", alpha=0.3)

    memory_axis.semilogx(counts, peaks, "o-", color="tab:red")
    for count, peak in zip(counts, peaks):
        memory_axis.annotate(f"{peak:.0f} MiB\n({facts.get(f'scaling_mb_{count}', '?')} MB of YAML)", (count, peak),
                             textcoords="offset points", xytext=(0, 8), ha="center", va="bottom")
    memory_axis.margins(x=0.2)  # room for the end labels, centred on their points
    memory_axis.set_ylim(0, max(peaks) * 1.5)
    memory_axis.set_xlabel("files")
    memory_axis.set_ylabel("peak RSS (MiB)")
    memory_axis.set_title("peak memory")
    memory_axis.grid(True, which="both", alpha=0.3)

    figure.suptitle(f"bench/run {facts.get('date', '')}, commit {facts.get('commit', '?')}, "
                    f"{facts.get('nproc', '?')} cores (shared)", fontsize=9)
    figure.tight_layout()
    figure.savefig(out_path, dpi=110)


if __name__ == "__main__":
    main()
