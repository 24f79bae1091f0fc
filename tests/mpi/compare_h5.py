#!/usr/bin/python3
"""Compares two flywheel output files bit for bit: every group, dataset
(values, shape, type) and attribute, except the root attributes that tell
when, how and from what build the file was written (start_time, history, git_revision).

Usage: compare_h5.py A.h5 B.h5   (exit status 0: identical; 1: differences, listed)
h5diff is not used: it cannot skip attributes in HDF5 1.10, and it calls the
empty dimension-scale datasets "not comparable"."""
import sys

import h5py
import numpy as np

IGNORED_ROOT_ATTRIBUTES = {"start_time", "history", "git_revision"}


def same_value(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "fc":  # bit for bit, NaN included
        return a.tobytes() == b.tobytes()
    return np.array_equal(a, b)


def compare(a, b, ignored=IGNORED_ROOT_ATTRIBUTES):
    """The differences between two open files, as lines; `ignored`: root attributes left out."""
    problems = []

    def attributes(path, x, y):
        names = set(x.attrs) | set(y.attrs)
        if path == "/":
            names -= ignored
        for name in sorted(names):
            if name not in x.attrs or name not in y.attrs:
                problems.append(f"{path}: attribute {name} in one file only")
            elif name in ("DIMENSION_LIST", "REFERENCE_LIST"):
                continue  # object references: compared through the datasets themselves
            elif not same_value(x.attrs[name], y.attrs[name]):
                problems.append(f"{path}: attribute {name} differs")

    def walk(path, x, y):
        attributes(path, x, y)
        if isinstance(x, h5py.Dataset) or isinstance(y, h5py.Dataset):
            if not (isinstance(x, h5py.Dataset) and isinstance(y, h5py.Dataset)):
                problems.append(f"{path}: a dataset in one file only")
            elif x.shape != y.shape or x.dtype != y.dtype:
                problems.append(f"{path}: shape or type differs ({x.shape} {x.dtype} vs {y.shape} {y.dtype})")
            elif x.shape is not None and not same_value(x[()], y[()]):
                problems.append(f"{path}: values differ")
            return
        for name in sorted(set(x) | set(y)):
            if name not in x or name not in y:
                problems.append(f"{path}{name}: in one file only")
            else:
                walk(f"{path}{name}" + ("/" if isinstance(x[name], h5py.Group) else ""), x[name], y[name])

    walk("/", a, b)
    return problems


def main():
    with h5py.File(sys.argv[1], "r") as a, h5py.File(sys.argv[2], "r") as b:
        problems = compare(a, b)
    for p in problems:
        print(p)
    print(f"{sys.argv[1]} vs {sys.argv[2]}: " + ("identical" if not problems else f"{len(problems)} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
