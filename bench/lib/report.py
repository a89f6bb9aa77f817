#!/usr/bin/env python3
"""Summarises bench/run.sh's results.tsv: median per system, ratio to kernel overlayfs,
target and PASS/MISS for jover (passthrough on), and the FUSE daemons' CPU time.

    report.py RESULTS.tsv META.txt OUT.md      (prints the text table, writes markdown)

results.tsv columns: workload, system, round, value, daemon_cpu_seconds, note.
Round 0 is the warm-up and is not counted. value is ERR or HANG when the run failed."""
import statistics
import sys

SYSTEMS = ['native', 'kernel', 'fuse-overlayfs', 'jover', 'jover-nopt']
TITLES = {'native': 'native', 'kernel': 'kernel ovl', 'fuse-overlayfs': 'fuse-overlayfs',
          'jover': 'jover', 'jover-nopt': 'jover nopt'}
FUSE = ['fuse-overlayfs', 'jover', 'jover-nopt']

# key, label (formatted with meta), unit, kind, target
#   kind: time (ratio = sys / kernel), rate (ratio = kernel / sys: a ratio of time per op),
#         abs (no ratio: the target bounds the value itself), info (no ratio, no target)
WORKLOADS = [
    ('seqread_cold', 'seq read {big}, cold', 's', 'time', 1.05),
    ('seqread_warm', 'seq read {big}, warm', 's', 'time', 1.05),
    ('randread', '4k random read, warm (IOPS)', 'IOPS', 'rate', 1.05),
    ('seqwrite', 'seq write {seqw} + fsync', 's', 'time', 1.05),
    ('copyup', 'copy-up: 1st write to {copy} lower file', 's', 'time', 1.1),
    ('stat_cold', 'stat every file ({nstat}), cold', 's', 'time', 1.5),
    ('stat_warm', 'stat every file ({nstat}), warm', 's', 'time', 1.1),
    ('readdir_cold', 'readdir of {many} files, cold', 's', 'time', 2.0),
    ('readdir_warm', 'readdir of {many} files, warm', 's', 'time', None),
    ('git_cold', 'git status ({repo} files), cold', 's', 'time', 2.0),
    ('git_warm', 'git status ({repo} files), warm', 's', 'time', None),
    ('create', 'create {create} files + fsync', 's', 'time', 2.5),
    ('untar', 'untar {tar}', 's', 'time', 3.0),
    ('rmrf', 'rm -rf usr/share ({rmrf} entries)', 's', 'time', 4.0),
    ('mount_ready', 'mount ready (warm caches)', 's', 'abs', 0.4),
    ('mount_ready_cold', 'mount ready after drop_caches', 's', 'info', None),
    ('rss_after_stat', 'daemon RSS after stat of every file', 'MiB', 'info', None),
]


COUNTS = {}  # (workload, system, fuse_reads|fuse_writes) -> values, from jover's SIGUSR1 counters


def load(path):
    data = {}
    for line in open(path):
        parts = line.rstrip('\n').split('\t')
        if len(parts) < 5 or parts[0] == 'workload':
            continue
        w, s, r, v, cpu = parts[:5]
        if int(r) == 0:
            continue
        data.setdefault((w, s), []).append((v, cpu))
        note = parts[5] if len(parts) > 5 else ''
        for item in note.split():
            if item.startswith('fuse_reads=') or item.startswith('fuse_writes='):
                k, n = item.split('=')
                COUNTS.setdefault((w, s, k), []).append(int(n))
    return data


def median_of(values):
    nums = [float(v) for v in values if v not in ('ERR', 'HANG', '')]
    bad = [v for v in values if v in ('ERR', 'HANG')]
    return (statistics.median(nums) if nums else None), bad


def fmt(v, unit):
    if v is None:
        return '-'
    if unit == 'IOPS':
        return f'{v:,.0f}'
    if unit == 'MiB':
        return f'{v:.0f} MiB'
    if v >= 100:
        return f'{v:.0f} s'
    if v >= 1:
        return f'{v:.2f} s'
    return f'{v * 1000:.1f} ms'


def ratio(kind, v, k):
    if v is None or k is None or k == 0 or v == 0:
        return None
    if kind == 'time':
        return v / k
    if kind == 'rate':
        return k / v
    return None


def main():
    results, meta_path, out = sys.argv[1:4]
    meta = {}
    for line in open(meta_path):
        if '=' in line:
            key, val = line.rstrip('\n').split('=', 1)
            meta[key] = val
    data = load(results)
    rows, cpu_rows, missed = [], [], []
    for key, label, unit, kind, target in WORKLOADS:
        if not any((key, s) in data for s in SYSTEMS):
            continue
        med, bad = {}, {}
        for s in SYSTEMS:
            med[s], bad[s] = median_of([v for v, _ in data.get((key, s), [])])
        k = med['kernel']
        cells = []
        for s in SYSTEMS:
            if (key, s) not in data:
                cells.append('')
                continue
            c = fmt(med[s], unit)
            r = ratio(kind, med[s], k)
            if r is not None and s != 'kernel':
                c += f' ({r:.2f}x)'
            if bad[s]:
                c += ' ' + '/'.join(sorted(set(bad[s]))) + f'x{len(bad[s])}'
            cells.append(c)
        j = med['jover']
        if target is None:
            tgt, verdict = '-', '-'
        elif kind == 'abs':
            tgt = f'<= {target} s'
            verdict = '-' if j is None else ('PASS' if j <= target else 'MISS')
        else:
            tgt = f'<= {target}x'
            r = ratio(kind, j, k)
            verdict = '-' if r is None else ('PASS' if r <= target else 'MISS')
        if bad['jover']:
            verdict = 'MISS (' + '/'.join(sorted(set(bad['jover']))) + ')'
        faster = []
        if kind in ('time', 'rate'):
            fo = med['fuse-overlayfs']
            for s, short in (('jover', 'pt'), ('jover-nopt', 'nopt')):
                rj, rf = ratio(kind, med[s], k), ratio(kind, fo, k)
                if rj is not None and rf is not None:
                    faster.append(f'{short} {"yes" if rj < rf else "NO"}')
        if verdict.startswith('MISS') or any(f.endswith('NO') for f in faster):
            missed.append(key)
        rows.append([label.format(**meta), *cells, tgt, verdict, ', '.join(faster) or '-'])
        if kind != 'info' or key == 'rss_after_stat':
            cpus = []
            for s in FUSE:
                vals = [float(c) for v, c in data.get((key, s), []) if c not in ('', '-')]
                cpus.append(f'{statistics.median(vals):.2f}' if vals else '-')
            if key != 'rss_after_stat':
                for s in ('jover', 'jover-nopt'):
                    for c in ('fuse_reads', 'fuse_writes'):
                        vals = COUNTS.get((key, s, c))
                        cpus.append(f'{statistics.median(vals):,.0f}' if vals else '-')
                cpu_rows.append([label.format(**meta), *cpus])

    head = ['workload', *[TITLES[s] for s in SYSTEMS], 'target (jover)', 'jover', 'faster than fuse-ovl']
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: '  '.join(str(c).ljust(w) for c, w in zip(r, widths))
    print(line(head))
    for r in rows:
        print(line(r))
    print()
    chead = ['daemon CPU s (median)', *[TITLES[s] for s in FUSE],
             'jover READs', 'jover WRITEs', 'nopt READs', 'nopt WRITEs']
    cw = [max(len(str(r[i])) for r in cpu_rows + [chead]) for i in range(len(chead))]
    print('  '.join(c.ljust(w) for c, w in zip(chead, cw)))
    for r in cpu_rows:
        print('  '.join(str(c).ljust(w) for c, w in zip(r, cw)))
    print()
    print('missed (target or slower than fuse-overlayfs): ' + (', '.join(missed) or 'none'))

    with open(out, 'w') as f:
        f.write(f'# jover benchmark results ({meta.get("mode", "?")})\n\n')
        for k in ('date', 'command', 'machine', 'kernel', 'java', 'fuse-overlayfs', 'jover', 'rootfs',
                  'rounds', 'cpus', 'load', 'notes'):
            if k in meta:
                f.write(f'- {k}: {meta[k]}\n')
        f.write('\nMedian of the measured rounds (ratio to kernel overlayfs, as time: for IOPS the '
                'ratio is kernel IOPS / IOPS). Target and verdict are for jover with passthrough.\n\n')
        f.write('| ' + ' | '.join(head) + ' |\n')
        f.write('|' + '---|' * len(head) + '\n')
        for r in rows:
            f.write('| ' + ' | '.join(str(c) for c in r) + ' |\n')
        f.write('\nFUSE daemon CPU time (user+system, seconds, from /proc/PID/stat around the '
                'measured command; median), and the FUSE READ and WRITE requests jover served '
                'during it (its SIGUSR1 counters; passthrough should leave them near zero):\n\n')
        f.write('| ' + ' | '.join(chead) + ' |\n')
        f.write('|' + '---|' * len(chead) + '\n')
        for r in cpu_rows:
            f.write('| ' + ' | '.join(str(c) for c in r) + ' |\n')
        f.write('\nMissed (target, or not faster than fuse-overlayfs): ' + (', '.join(missed) or 'none') + '\n')
        f.write('\nSpread: min / median / max of the measured rounds (the machine is noisy, writes most):\n\n')
        f.write('| workload | ' + ' | '.join(TITLES[s] for s in SYSTEMS) + ' |\n')
        f.write('|' + '---|' * (len(SYSTEMS) + 1) + '\n')
        for key, label, unit, kind, target in WORKLOADS:
            if not any((key, s) in data for s in SYSTEMS):
                continue
            cells = []
            for s in SYSTEMS:
                nums = sorted(float(v) for v, _ in data.get((key, s), []) if v not in ('ERR', 'HANG', ''))
                cells.append(' / '.join(fmt(x, unit) for x in (nums[0], statistics.median(nums), nums[-1]))
                             if nums else '')
            f.write(f'| {label.format(**meta)} | ' + ' | '.join(cells) + ' |\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
