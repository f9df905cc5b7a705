#!/usr/bin/env python3
"""Start to ready, more steadily than one timing: starts each given `gachi` binary 15 times in
turn (interleaved, so a busy moment hurts all alike) on a fresh SQLite file, and times from
spawning the process to the first 200 from /readyz, polled over a raw socket every 0.5 ms (a
`curl` per try would cost more than what is measured). Prints the median and the minimum.

Usage: scripts/bench-start.py target/release/gachi [OTHER_BUILD/gachi ...]
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

PORT = int(os.environ.get("PORT", "18097"))
ROUNDS = 15


def once(binary: str) -> float:
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, GACHI_DATABASE_URL=f"sqlite://{d}/start.db", RUST_LOG="warn")
        t0 = time.monotonic()
        proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{PORT}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", PORT), timeout=5) as s:
                        s.sendall(b"GET /readyz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                        if b" 200 " in s.recv(64):
                            return (time.monotonic() - t0) * 1000
                except OSError:
                    pass
                if proc.poll() is not None:
                    sys.exit(f"{binary} exited with {proc.returncode} before it was ready")
                time.sleep(0.0005)
        finally:
            proc.kill()
            proc.wait()


def main() -> None:
    binaries = sys.argv[1:] or ["target/release/gachi"]
    times = {b: [] for b in binaries}
    for _ in range(ROUNDS):
        for b in binaries:
            times[b].append(once(b))
    for b in binaries:
        print(f"{b}: start to ready median {statistics.median(times[b]):.1f} ms, "
              f"min {min(times[b]):.1f} ms ({ROUNDS} starts)")


if __name__ == "__main__":
    main()
