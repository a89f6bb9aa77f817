#!/usr/bin/env python3
"""Timed micro-workloads for bench/run.sh. Each prints 'elapsed=SECONDS' (the work only,
without Python's start-up) and a few facts on stderr-free stdout lines of the form key=value."""
import os
import sys
import time


def stat_list(listfile, root):
    """lstat every path named in LISTFILE (NUL-separated, relative to ROOT)."""
    with open(listfile, 'rb') as f:
        names = [n for n in f.read().split(b'\0') if n]
    root = os.fsencode(root)
    paths = [os.path.join(root, n) for n in names]
    lstat = os.lstat
    missing = 0
    t0 = time.perf_counter()
    for p in paths:
        try:
            lstat(p)
        except FileNotFoundError:
            missing += 1
    t1 = time.perf_counter()
    print(f'elapsed={t1 - t0:.6f}')
    print(f'count={len(paths)} missing={missing}')
    return 0 if missing == 0 else 3


def readdir(path):
    """List one directory (getdents only, as ls -f does)."""
    t0 = time.perf_counter()
    n = 0
    with os.scandir(path) as it:
        for _ in it:
            n += 1
    t1 = time.perf_counter()
    print(f'elapsed={t1 - t0:.6f}')
    print(f'count={n}')
    return 0


def append_byte(path):
    """First write to a lower file: open for append, write one byte, close (copy-up)."""
    t0 = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    os.write(fd, b'x')
    os.close(fd)
    t1 = time.perf_counter()
    print(f'elapsed={t1 - t0:.6f}')
    return 0


def create(path, count):
    """Create COUNT small files in a new directory, each written and fsync'ed."""
    os.mkdir(path)
    payload = b'small file for the create benchmark\n' * 3
    t0 = time.perf_counter()
    for i in range(count):
        fd = os.open(os.path.join(path, f'f{i:06d}'), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, payload)
        os.fsync(fd)
        os.close(fd)
    t1 = time.perf_counter()
    print(f'elapsed={t1 - t0:.6f}')
    return 0


def make_many(path, count):
    """Builds the directory of COUNT small files (layer building, not a measurement)."""
    os.makedirs(path, exist_ok=True)
    for i in range(count):
        with open(os.path.join(path, f'f{i:06d}'), 'wb') as f:
            f.write(b'file %d\n' % i)
    return 0


def setxattr(path, name, value):
    os.setxattr(path, name, value.encode(), follow_symlinks=False)
    return 0


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == 'stat':
        return stat_list(args[0], args[1])
    if cmd == 'readdir':
        return readdir(args[0])
    if cmd == 'append':
        return append_byte(args[0])
    if cmd == 'create':
        return create(args[0], int(args[1]))
    if cmd == 'make-many':
        return make_many(args[0], int(args[1]))
    if cmd == 'setxattr':
        return setxattr(args[0], args[1], args[2])
    print(f'unknown command {cmd}', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
