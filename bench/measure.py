"""Times commands in turn, RUNS times each, in DIR, and prints their
median CPU (user + system) and peak RSS side by side, with the ratio of
the first's CPU median to each other's.

    python3 bench/measure.py LABEL DIR RUNS -- CMD1 ... -- CMD2 ... [-- CMD3 ...]

CPU is what wait4 reports for the command alone, started with
posix_spawn: a child forked from Python would first pay for copying
Python's page tables, and a wrapper (env, GNU time) costs 3 to 4 ms a run
on a 2-core VM, as much as a small command. Peak RSS is GNU time's (the
command's own: a child spawned from Python starts with Python's), from
the first three rounds, run apart from the timed ones. A command that
exits other than 0 or 1 stops the measurement.
"""
import os
import statistics
import sys
import tempfile

RSS_ROUNDS = 3


def cpu_of(cmd, cwd):
    null = os.open(os.devnull, os.O_WRONLY)
    here = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawnp(cmd[0], cmd, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    finally:
        os.chdir(here)
        os.close(null)
    _, status, ru = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {code} in {cwd}")
    return ru.ru_utime + ru.ru_stime


def rss_of(cmd, cwd, out):
    null = os.open(os.devnull, os.O_WRONLY)
    here = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawn("/usr/bin/time", ["/usr/bin/time", "-f", "%M", "-o", out] + cmd, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    finally:
        os.chdir(here)
        os.close(null)
    os.wait4(pid, 0)
    return int(open(out).read().split()[-1]) / 1024


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
        for i in range(runs):
            for k, cmd in enumerate(cmds):
                cpu[k].append(cpu_of(cmd, cwd))
                if i < RSS_ROUNDS:
                    rss[k].append(rss_of(cmd, cwd, out))
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
