"""Times commands in turn, RUNS times each, in DIR, and prints their
median CPU (user + system) and peak RSS side by side, with the ratio of
the first's CPU median to each other's.

    python3 bench/measure.py LABEL DIR RUNS -- CMD1 ... -- CMD2 ... [-- CMD3 ...]

GNU time (/usr/bin/time), a small C program, reports each command's own
peak RSS: a child forked from Python starts with Python's. wait4 on time
gives the CPU of time and the command together, to the microsecond (time
itself prints it to the hundredth of a second); time's share is a
fraction of a millisecond. A command that exits other than 0 or 1 stops
the measurement.
"""
import os
import statistics
import sys
import tempfile


def run(cmd, cwd, out):
    pid = os.fork()
    if pid == 0:
        os.chdir(cwd)
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execvp("/usr/bin/time", ["/usr/bin/time", "-f", "%x %M", "-o", out] + cmd)
    _, _, ru = os.wait4(pid, 0)
    code, kb = open(out).read().split()[-2:]
    if code not in ("0", "1"):
        sys.exit(f"bench: {' '.join(cmd)} exited {code} in {cwd}")
    return ru.ru_utime + ru.ru_stime, int(kb) / 1024


def main():
    label, cwd, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cmds, cmd = [], None
    for word in sys.argv[4:]:
        if word == "--":
            cmd = []
            cmds.append(cmd)
        else:
            cmd.append(word)
    cpu, rss = [[] for _ in cmds], [[] for _ in cmds]
    out = tempfile.NamedTemporaryFile(delete=False).name
    try:
        for _ in range(runs):
            for k, cmd in enumerate(cmds):
                c, r = run(cmd, cwd, out)
                cpu[k].append(c)
                rss[k].append(r)
    finally:
        os.unlink(out)
    d = statistics.median(cpu[0])
    line = f"{label:<50} djguard {d * 1000:7.1f} ms {statistics.median(rss[0]):6.1f} MB"
    for k in range(1, len(cmds)):
        g = statistics.median(cpu[k])
        line += (f"   {os.path.basename(cmds[k][0])} {g * 1000:7.1f} ms {statistics.median(rss[k]):6.1f} MB"
                 f"   ratio {d / g if g else float('inf'):5.2f}")
    print(line)


main()
