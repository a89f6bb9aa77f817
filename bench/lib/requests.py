#!/usr/bin/env python3
"""bench/run.sh --requests: the FUSE requests each workload sent to each FUSE daemon
(from the fuse:fuse_request_send tracepoint), with the daemon's CPU time per request.

    requests.py REQUESTS.tsv RESULTS.tsv OUT.md COMMAND COMMIT"""
import sys
from collections import defaultdict

NAMES = {1: 'LOOKUP', 2: 'FORGET', 3: 'GETATTR', 4: 'SETATTR', 5: 'READLINK', 6: 'SYMLINK', 8: 'MKNOD',
         9: 'MKDIR', 10: 'UNLINK', 11: 'RMDIR', 12: 'RENAME', 13: 'LINK', 14: 'OPEN', 15: 'READ',
         16: 'WRITE', 17: 'STATFS', 18: 'RELEASE', 20: 'FSYNC', 21: 'SETXATTR', 22: 'GETXATTR',
         23: 'LISTXATTR', 24: 'REMOVEXATTR', 25: 'FLUSH', 26: 'INIT', 27: 'OPENDIR', 28: 'READDIR',
         29: 'RELEASEDIR', 30: 'FSYNCDIR', 34: 'ACCESS', 35: 'CREATE', 36: 'INTERRUPT',
         38: 'DESTROY', 42: 'BATCH_FORGET', 43: 'FALLOCATE', 44: 'READDIRPLUS', 45: 'RENAME2',
         46: 'LSEEK', 47: 'COPY_FILE_RANGE', 50: 'SYNCFS', 51: 'TMPFILE', 52: 'STATX'}
SYSTEMS = ['fuse-overlayfs', 'jover', 'jover-nopt']


def main():
    req_path, res_path, out, command, commit = sys.argv[1:6]
    counts = defaultdict(dict)
    order = []
    for line in open(req_path):
        w, s, op, n = line.rstrip('\n').split('\t')
        if w not in order:
            order.append(w)
        name = NAMES.get(int(op), f'op{op}')
        counts[(w, s)][name] = counts[(w, s)].get(name, 0) + int(n)
    cpu, secs = {}, {}
    for line in open(res_path):
        p = line.rstrip('\n').split('\t')
        if len(p) >= 5 and p[2] != 'round' and int(p[2]) > 0 and p[1] in SYSTEMS:
            try:
                secs[(p[0], p[1])] = float(p[3])
                cpu[(p[0], p[1])] = float(p[4])
            except ValueError:
                pass
    lines = [f'# FUSE requests per workload (bench/run.sh --requests)', '',
             f'- command: {command}', f'- jover: {commit}',
             '- one round after a warm-up, tracepoint fuse:fuse_request_send histogram by opcode;'
             ' times are with tracing on (for orientation only)', '',
             '| workload | system | requests | top opcodes | time | daemon CPU | CPU per request |',
             '|---|---|---|---|---|---|---|']
    for w in order:
        for s in SYSTEMS:
            c = counts.get((w, s))
            if not c:
                continue
            total = sum(c.values())
            top = ', '.join(f'{k} {v:,}' for k, v in sorted(c.items(), key=lambda kv: -kv[1])[:6])
            t = secs.get((w, s))
            cp = cpu.get((w, s))
            per = f'{cp / total * 1e6:.1f} us' if cp is not None and total else '-'
            lines.append(f'| {w} | {s} | {total:,} | {top} | {t:.3f} s | {cp:.2f} s | {per} |'
                         if t is not None and cp is not None else f'| {w} | {s} | {total:,} | {top} | - | - | - |')
    text = '\n'.join(lines) + '\n'
    open(out, 'w').write(text)
    print(text)


if __name__ == '__main__':
    sys.exit(main())
