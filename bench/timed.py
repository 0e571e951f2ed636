#!/usr/bin/env python3
"""Runs a command REPS times and prints the median wall and the median CPU
time (user + system, the child's rusage in microseconds) in seconds.

/usr/bin/time prints CPU time in hundredths of a second: for a yoshiki row
of a few hundred documents (0.2-0.5 s) that and one run's noise were the
whole difference between two runs of bench-peers. The command's output goes
to /dev/null, its standard error to ERR_FILE; exit status 0 is required, or
0/1 with --accept-1 (validators: some file invalid).

Usage: timed.py REPS ERR_FILE [--accept-1] -- CMD...
"""
import os
import statistics
import subprocess
import sys
import time


def main():
    reps, err_file = int(sys.argv[1]), sys.argv[2]
    rest = sys.argv[3:]
    accept_1 = rest[0] == "--accept-1"
    if accept_1:
        rest = rest[1:]
    if rest[0] != "--":
        sys.exit("timed.py: -- CMD... expected")
    cmd = rest[1:]
    walls, cpus = [], []
    for _ in range(reps):
        with open(err_file, "wb") as err:
            start = time.monotonic()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.monotonic() - start)
        rc = os.waitstatus_to_exitcode(status)
        if rc != 0 and not (accept_1 and rc == 1):
            sys.stderr.write(open(err_file, errors="replace").read())
            sys.exit("timed.py: %s exited with %d" % (cmd[0], rc))
        cpus.append(usage.ru_utime + usage.ru_stime)
    print("%.6f %.6f" % (statistics.median(walls), statistics.median(cpus)))


if __name__ == "__main__":
    main()
