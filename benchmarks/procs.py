"""Watching a batch's processes from outside, through ``/proc``: every process below the
batch, each one's CPU seconds and peak resident memory (VmHWM). Used by ``bench.py``."""

from __future__ import annotations

import os
import subprocess
import threading
import time


def _children(pid: int) -> set[int]:
    """Every process below ``pid``, read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def steal_s() -> float:
    """Core-seconds the hypervisor has given this machine's CPUs to its other guests since boot
    (/proc/stat's steal column; 0 where there is none): a run that lost seconds to it was slowed
    by the host, not by its code."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _peak_kb(pid: int) -> int:
    """The peak resident set (VmHWM) of a running process, in kB; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def watch(proc: subprocess.Popen, peaks: dict[int, int], cpu: dict[int, float], stop: threading.Event,
          every: float = 0.1, rescan: float = 0.5) -> None:
    """Sample each process's peak memory and CPU every ``every`` seconds, looking for new ones
    every ``rescan``: listing every process in /proc costs about 1.5 ms here, and a watcher
    that did it 20 times a second took 3 % of a core from the batch it measured (more from
    two workers on two cores than from one)."""
    pids: set[int] = set()
    scanned = -rescan
    while not stop.is_set():
        if time.monotonic() - scanned >= rescan:
            pids = _children(proc.pid) | {proc.pid}
            scanned = time.monotonic()
        for pid in pids:
            kb = _peak_kb(pid)
            if kb:
                peaks[pid] = max(peaks.get(pid, 0), kb)
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_s(pid))
        stop.wait(every)
