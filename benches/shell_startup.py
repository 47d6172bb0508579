"""Shell start-up: time from launching `storygraph shell` on a terminal
(a pseudo-terminal) to its prompt, and from there to the answer of the
first `.path` (which waits for the projection the shell started building
in the background). Usage:
    python3 benches/shell_startup.py BINARY STORE FROM TO [RUNS]
Prints one line per figure: median over RUNS launches (default 5)."""

import os
import pty
import select
import statistics
import sys
import time


def read_until(fd, needle, buffer):
    while needle not in buffer:
        ready, _, _ = select.select([fd], [], [], 300)
        if not ready:
            raise SystemExit(f"timed out waiting for {needle!r}")
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            raise SystemExit(f"the shell ended before {needle!r}: {buffer[-500:]!r}")
        buffer += chunk
    return buffer


def one_run(binary, store, source, target):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(NO_COLOR="1", TERM="xterm")
        home = os.environ.get("BENCH_HOME", "/tmp/storygraph-bench-home")
        os.environ["XDG_DATA_HOME"] = home
        os.execv(binary, [binary, "--store", store, "shell"])
    buffer = read_until(fd, b"storygraph> ", b"")
    prompt = time.perf_counter() - started
    os.write(fd, f".path {source} {target}\r".encode())
    sent = time.perf_counter()
    buffer = read_until(fd, b"is linked to", buffer)
    first_path = time.perf_counter() - sent
    os.write(fd, f".path {target} {source}\r".encode())
    sent = time.perf_counter()
    count = buffer.count(b"is linked to")
    while buffer.count(b"is linked to") == count:
        buffer = read_until(fd, b"is linked to", buffer[: len(buffer)] + os.read(fd, 65536))
    second_path = time.perf_counter() - sent
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    return prompt, first_path, second_path


def main():
    binary, store, source, target = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    results = [one_run(binary, store, source, target) for _ in range(runs)]
    for name, index in [("to prompt", 0), ("first .path (waits for the projection)", 1), ("next .path", 2)]:
        values = [r[index] * 1000 for r in results]
        print(f"shell {name}: median {statistics.median(values):.0f} ms (min {min(values):.0f}, max {max(values):.0f}, {runs} runs)")


main()
