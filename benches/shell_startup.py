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


def read_count(fd, needle, buffer, count):
    """Reads until `needle` occurs `count` times in the buffer."""
    while buffer.count(needle) < count:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            raise SystemExit(f"timed out waiting for {needle!r} x{count}: {buffer[-500:]!r}")
        try:
            buffer += os.read(fd, 65536)
        except OSError:
            raise SystemExit(f"the shell ended before {needle!r}: {buffer[-500:]!r}")
    return buffer


def one_run(binary, store, source, target):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(NO_COLOR="1", TERM="xterm")
        home = os.environ.get("BENCH_HOME", "/tmp/storygraph-bench-home")
        os.environ["XDG_DATA_HOME"] = home
        os.execv(binary, [binary, "--store", store, "shell"])
    buffer = read_count(fd, b"storygraph> ", b"", 1)
    prompt = time.perf_counter() - started
    os.write(fd, f".path {source} {target}\r".encode())
    sent = time.perf_counter()
    buffer = read_count(fd, b"is linked to", buffer, 1)
    first_path = time.perf_counter() - sent
    # The next line only once the prompt is back (and the terminal raw
    # again): a line typed while the shell still runs the last one can be
    # taken by the cooked terminal.
    buffer = read_count(fd, b"storygraph> ", buffer, 2)
    time.sleep(0.05)
    os.write(fd, f".path {target} {source}\r".encode())
    sent = time.perf_counter()
    buffer = read_count(fd, b"is linked to", buffer, 2)
    second_path = time.perf_counter() - sent
    buffer = read_count(fd, b"storygraph> ", buffer, 3)
    time.sleep(0.05)
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
