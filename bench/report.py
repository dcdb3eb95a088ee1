#!/usr/bin/env python3
"""Turns bench/run's collected numbers into bench/results.md (Markdown on stdout).

Usage: report.py FACTS RESULTS
  FACTS    key=value lines written by bench/run
  RESULTS  JSON lines from measure.py (name, median_s, min_s, max_s, peak_mib, exit, runs, wall_s)
"""
import json
import statistics
import sys


def load(facts_path, results_path):
    facts = {}
    with open(facts_path) as handle:
        for line in handle:
            key, _, value = line.rstrip("\n").partition("=")
            facts[key] = value
    results = {}
    with open(results_path) as handle:
        for line in handle:
            if line.strip():
                entry = json.loads(line)
                results[entry["name"]] = entry
    return facts, results


def seconds(value):
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def times(value):
    """A speed-up or ratio: one decimal below 100, so that 49.6 is not shown as 50."""
    return f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def verdict(ok):
    return "yes" if ok else "**no**"


def main():
    facts, results = load(sys.argv[1], sys.argv[2])
    files = int(facts["files"])
    subset = int(facts["subset"])
    check, floor, fix = results["check"], results["floor"], results["fix"]
    rows = []

    formats = [("text", check)] + [(name, results[f"check_{name}"]) for name in ("json", "sarif", "github")
                                   if f"check_{name}" in results]
    for name, entry in formats:
        ratio = entry["median_s"] / floor["median_s"]
        rows.append((f"`check --offline --format {name}`, {files:,} files (median wall)", seconds(entry["median_s"]),
                     f"floor (libyaml events, 1 thread) {seconds(floor['median_s'])}", f"{ratio:.2f}× floor",
                     "≤ 1.1× floor", verdict(ratio <= 1.1)))

    ratio = fix["median_s"] / check["median_s"]
    rows.append((f"`fix --offline`, {files:,} files (median wall, copy untimed)", seconds(fix["median_s"]),
                 f"check {seconds(check['median_s'])}", f"{ratio:.2f}× check", "≤ 2× check", verdict(ratio <= 2)))
    if "fix_tmpfs" in results:
        shm = results["fix_tmpfs"]
        ratio = shm["median_s"] / check["median_s"]
        rows.append((f"`fix --offline`, {files:,} files on tmpfs (file system costs left out)", seconds(shm["median_s"]),
                     f"check {seconds(check['median_s'])}", f"{ratio:.2f}× check", "≤ 2× check", verdict(ratio <= 2)))

    rows.append(("`check` peak memory (RSS)", f"{check['peak_mib']:.0f} MiB", f"floor {floor['peak_mib']:.0f} MiB",
                 f"{check['peak_mib'] / floor['peak_mib']:.0f}× floor", "< 200 MB",
                 verdict(check["peak_mib"] * 1.048576 < 200)))
    for name, entry in formats[1:]:
        ratio = entry["peak_mib"] / check["peak_mib"]
        rows.append((f"`check --format {name}` peak memory (RSS)", f"{entry['peak_mib']:.0f} MiB",
                     f"text {check['peak_mib']:.0f} MiB", f"{ratio:.2f}× text",
                     "≤ 1.5× text" if name == "json" else "—", verdict(ratio <= 1.5) if name == "json" else "—"))
    rows.append(("`fix` peak memory (RSS)", f"{fix['peak_mib']:.0f} MiB", f"check {check['peak_mib']:.0f} MiB",
                 f"{fix['peak_mib'] / check['peak_mib']:.2f}× check", "—", "—"))

    if facts.get("yamllint_mode") == "full":
        yamllint_s = results["yamllint_full"]["median_s"]
        yamllint_peak = results["yamllint_full"]["peak_mib"]
        how = f"all {files:,} files"
    else:
        yamllint_s = results["yamllint_subset"]["median_s"] * files / subset
        yamllint_peak = results["yamllint_subset"]["peak_mib"]
        how = f"{subset:,}-file subset ×{files // subset} (estimate)"
    speedup = yamllint_s / check["median_s"]
    rows.append(("`check` vs `yamllint -d relaxed`", seconds(check["median_s"]),
                 f"yamllint {seconds(yamllint_s)} ({how}), peak {yamllint_peak:.0f} MiB", f"{times(speedup)} faster",
                 "≥ 50× faster", verdict(speedup >= 50)))

    indexes, singles = int(facts["lock_indexes"]), int(facts["lock_singles"])
    images = indexes + singles
    minimum = 1 + indexes + 2 * singles
    variants = [("open", "open registry")]
    if facts.get("token_variant") == "yes":
        variants.append(("token", "token auth, anonymous pull"))
    for label, title in variants:
        lock, skopeo = results[f"lock_{label}"], results[f"skopeo_{label}"]
        speedup = skopeo["median_s"] / lock["median_s"]
        rows.append((f"`lock`, {images} images ({title}), median wall", seconds(lock["median_s"]),
                     f"skopeo loop {seconds(skopeo['median_s'])}", f"{times(speedup)} faster", "≥ 10× faster",
                     verdict(speedup >= 10)))
        requests = int(facts[f"lock_{label}_requests"])
        breakdown = (f"{facts[f'lock_{label}_pings']} `/v2/`, {facts[f'lock_{label}_manifest_gets']} manifest, "
                     f"{facts[f'lock_{label}_blob_gets']} blob; {facts[f'lock_{label}_unauthorized']} answered 401")
        reference = f"minimum {minimum}; skopeo loop {facts[f'skopeo_{label}_requests']}"
        if label == "token":
            reference += (f" (+{facts['skopeo_token_token_requests']} token)")
            breakdown += f"; +{facts['lock_token_token_requests']} token requests (minimum {images}: one per repository)"
        rows.append((f"`lock` registry requests ({title})", f"{requests} ({breakdown})", reference,
                     f"{requests / minimum:.2f}× minimum", "≤ minimum", verdict(requests <= minimum)))

    precommit, startup = results["precommit"], results["startup"]
    rows.append((f"pre-commit: `check --offline` of 5 files, {int(facts['precommit_lock_images']):,}-image lockfile",
                 f"{precommit['median_s'] * 1000:.1f} ms (median of {precommit['runs']})",
                 f"process start (`kubearch --version`) {startup['median_s'] * 1000:.1f} ms",
                 f"{precommit['median_s'] / startup['median_s']:.1f}× start", "< 50 ms",
                 verdict(precommit["median_s"] < 0.05)))

    if "scaling_files" in facts:
        counts = [int(count) for count in facts["scaling_files"].split()]
        first = results[f"scaling_{counts[0]}"]
        for count in counts:
            entry = results[f"scaling_{count}"]
            per_file = entry["median_s"] / count / (first["median_s"] / counts[0])
            rows.append((f"scaling: `check --offline` of {count:,} files ({facts[f'scaling_mb_{count}']} MB)",
                         f"{seconds(entry['median_s'])}, CPU {seconds(entry['cpu_s'])}, {entry['peak_mib']:.0f} MiB",
                         f"{counts[0]:,} files: {seconds(first['median_s'])}, {first['peak_mib']:.0f} MiB",
                         f"{per_file:.2f}× time per file, {entry['peak_mib'] / first['peak_mib']:.2f}× memory",
                         "linear time, flat memory", "see plot"))

    out = []
    out.append("# kubearch benchmark results\n")
    out.append(f"Produced by `bench/run` on {facts['date']}: {facts['nproc']} cores ({facts['cpu']}), {facts['memory']} RAM, "
               f"kubearch {facts['kubearch_version']} at commit {facts['commit']} (release build). "
               "The machine was shared with other jobs, so times are noisy; each figure is the median of "
               f"{facts['runs']} alternating runs after one warm-up (lock: {facts['lock_runs']} runs; pre-commit: 10), "
               f"the whole script took {int(facts['script_seconds']) // 60} min {int(facts['script_seconds']) % 60} s.\n")
    out.append("| metric | kubearch | reference | ratio | target | met |")
    out.append("|---|---|---|---|---|---|")
    for row in rows:
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out.append("## Details\n")
    out.append(f"- Tree: {facts['tree_files']} files, {facts['tree_mb']} MB (`generate.py --files {files} --seed 42`), "
               f"lockfile of {facts['tree_lock_images']} images. `check` found {facts['check_findings']} findings "
               f"({facts['check_rules']}) in {facts['check_workloads']} workloads, exit {facts['check_exit']}. "
               f"Floor: {facts['floor_output']}.")
    out.append(f"- `fix` changed {facts['fix_changed_files']} of {facts['tree_files']} files per run; each run had a fresh "
               "copy, made untimed and flushed to disk (so it is warm in the page cache), with the previous copy moved aside, "
               "not deleted (deleting 40,000 files just before made ext4 skip the freed inodes as fix created new ones).")
    if "fix_filesystem" in facts:
        out.append(f"- The copy's file system: `{facts['fix_filesystem']}`. A file that `fix` creates and one it frees "
                   "cost the most there: with `discard` freed blocks are discarded before the call returns, and ext4 without a "
                   "journal skips inodes freed in the last minute when it allocates; `fix` swaps names (`RENAME_EXCHANGE`) and "
                   "writes later files into the replaced ones, so most replacements do neither. The tmpfs row runs the same fix "
                   "on a copy in `/dev/shm`, where files cost almost nothing: the gap between the two rows is the file system's.")
    out.append(f"- yamllint: {'ran on all files' if facts['yamllint_mode'] == 'full' else 'scaled from the subset'} "
               f"(the subset took {seconds(results['yamllint_subset']['median_s'])}, estimate for all files "
               f"{facts['yamllint_estimate_s']} s; the full run is skipped above 300 s). {facts['yamllint_version']}.")
    out.append(f"- lock: {images} distinct images `127.0.0.1:PORT/bench/img-NNN:v1` on Debian `docker-registry` "
               f"({facts['registry_version']}): {indexes} OCI indexes (linux/amd64 + linux/arm64/v8) and {singles} "
               "single-platform OCI images with configs. Minimum requests = 1 `/v2/` ping + 1 per index + 2 per "
               "single-platform image (manifest + config); behind token auth the one `/v2/` request stands for the one "
               "challenge a client needs to learn the token realm. Requests are access-log lines written during one counted "
               "run. The skopeo loop runs, one image after another, `skopeo inspect --raw` and, for single-platform "
               f"images, `skopeo inspect --config --raw` ({facts['skopeo_version']}). kubearch locked "
               f"{facts['lock_open_locked']} images in the counted run.")
    if facts.get("token_variant") == "yes":
        out.append("- token variant: a second registry over the same storage requiring bearer tokens from "
                   "`Tests/KubearchRegistryTests/Fixtures/registry_token_issuer.py` (anonymous pull granted); "
                   f"kubearch locked {facts['lock_token_locked']} images.")
    else:
        out.append(f"- token variant: {facts.get('token_variant')}.")
    if "scaling_files" in facts:
        plot = ("plotted in `bench/scaling.png` (wall and CPU time on log-log axes with a linear extrapolation "
                "from the smallest tree; peak memory)") if facts.get("scaling_plot") == "yes" else f"plot {facts.get('scaling_plot')}"
        out.append(f"- Scaling: `generate.py --files N --seed 42` for N = {facts['scaling_files']}, the same lockfile size; "
                   f"{plot}. Time per file is relative to the smallest tree, whose fixed start-up weighs most.")
    out.append("- Every `check`, floor and scaling run starts with its tree and lockfile just read (untimed), so "
               "all of them are in the page cache: this machine pages out file pages left alone for a while "
               "(DAMON, action pageout).")
    out.append("- Per command: median / min / max wall; median CPU (user + system); median peak RSS; exit codes "
               "(check and fix exit 1 because findings of severity error remain):")
    for name, entry in results.items():
        out.append(f"  - `{name}`: {seconds(entry['median_s'])} / {seconds(entry['min_s'])} / {seconds(entry['max_s'])}; "
                   f"CPU {seconds(entry['cpu_s'])}; {entry['peak_mib']:.0f} MiB; exit {entry['exit']} ({entry['runs']} runs)")
    paired = paired_ratios(results, formats, check)
    if paired:
        out.append("- The same ratios taken round by round (each command's run against the reference's run of the "
                   "same round, a second or two apart, so that a change in the machine's load moves both), median "
                   "and range: " + "; ".join(paired) + ". The table's ratios are of medians.")
    print("\n".join(out))


def paired_ratios(results, formats, check):
    """Median (min–max) of per-round ratios, for the table's time comparisons."""
    pairs = [(f"check {name} / floor", entry, results["floor"]) for name, entry in formats]
    pairs += [(f"{name} / check", results[name], check) for name in ("fix", "fix_tmpfs") if name in results]
    described = []
    for label, entry, reference in pairs:
        runs, references = entry.get("wall_s"), reference.get("wall_s")
        if not runs or not references or len(runs) != len(references):
            continue
        ratios = [a / b for a, b in zip(runs, references)]
        described.append(f"{label} {statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})")
    return described


if __name__ == "__main__":
    main()
