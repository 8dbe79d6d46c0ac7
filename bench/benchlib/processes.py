"""Runs commands and tracers, and measures them.

Wall time comes from time.perf_counter() around starting the command and
reaping it. Peak memory is the "Maximum resident set size" of GNU time
(`/usr/bin/time -f %M`), which runs each command. The harness cannot take
ru_maxrss from its own wait4: Linux keeps the peak of the memory that a
child had before exec, and a child forked from this Python process starts
with the harness's own 16 MiB or so.
"""

import os
import re
import select
import signal
import subprocess
import tempfile
import threading
import time

# How long a tracer may take to attach, and to exit after SIGINT, before the
# harness kills it and counts the run as failed.
ATTACH_TIMEOUT_SECONDS = 60
EXIT_TIMEOUT_SECONDS = 30


class BenchError(Exception):
    """A command that the benchmark needs failed."""


def wait_for_exit(process, timeout_seconds):
    """Reaps PROCESS and returns its exit status. Kills the process and the
    command that GNU time runs for it (its session, which start() made
    new) when it has not exited after TIMEOUT_SECONDS."""
    try:
        return process.wait(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise BenchError(f"{' '.join(process.args)} did not exit within {timeout_seconds} s")


class PeakRss:
    """Runs a command under GNU time, which writes the command's peak RSS in
    KiB to a file of its own."""

    def __init__(self):
        descriptor, self.path = tempfile.mkstemp(prefix="bench-rss-")
        os.close(descriptor)

    def wrap(self, command):
        return ["/usr/bin/time", "-f", "%M", "-o", self.path] + list(command)

    def read_kib(self):
        """Returns the peak RSS from the last line of GNU time's file. A line
        before it gives a non-zero exit status."""
        with open(self.path) as output:
            lines = output.read().split()
        os.remove(self.path)
        return int(lines[-1]) if lines and lines[-1].isdigit() else None


def run_timed(command):
    """Runs COMMAND to its end and returns (seconds, peak RSS in KiB).

    Raises BenchError, with the command's stderr, when it fails.
    """
    peak_rss = PeakRss()
    start = time.perf_counter()
    process = subprocess.Popen(peak_rss.wrap(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    stderr = process.stderr.read()
    status = wait_for_exit(process, EXIT_TIMEOUT_SECONDS)
    seconds = time.perf_counter() - start
    max_rss_kib = peak_rss.read_kib()
    if status != 0:
        raise BenchError(f"{' '.join(command)} exited with {status}: {stderr.decode(errors='replace')}")
    return seconds, max_rss_kib


def run_output(command, **kwargs):
    """Runs COMMAND and returns its stdout as text; raises BenchError when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise BenchError(f"{' '.join(command)} exited with {result.returncode}: {result.stderr}")
    return result.stdout


def child_of(parent_pid, timeout_seconds=10):
    """Returns the pid of the first child of PARENT_PID once it has one."""
    children_path = f"/proc/{parent_pid}/task/{parent_pid}/children"
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        with open(children_path) as children:
            pids = children.read().split()
        if pids:
            return int(pids[0])
        time.sleep(0.0002)
    raise BenchError(f"process {parent_pid} started no command within {timeout_seconds} s")


class Tracer:
    """A tracer process that has attached its probes.

    start() returns once the tracer's stderr has a line that matches
    ATTACHED, when given, and then once WAIT_ATTACHED(pid), when given,
    has returned. stop() sends SIGINT and reaps it. The rest of stderr is
    kept in `stderr`, so that loss reports printed there can be read. The
    tracer runs under GNU time for its peak RSS; `pid` is the tracer's own.
    """

    def __init__(self, command, attached=None, stdout=subprocess.DEVNULL, wait_attached=None):
        self.command = command
        self.attached = re.compile(attached) if attached is not None else None
        self.wait_attached = wait_attached
        self.stdout = stdout
        self.process = None
        self.pid = None
        self.stderr = b""
        self.started_at = None
        self.attach_seconds = None
        self.max_rss_kib = None
        self._peak_rss = PeakRss()
        self._stderr_reader = None

    def start(self):
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(self._peak_rss.wrap(self.command), stdout=self.stdout,
                                        stderr=subprocess.PIPE, start_new_session=True)
        try:
            self.pid = child_of(self.process.pid)
            if self.attached is not None and not self._read_until_attached():
                raise BenchError(f"{' '.join(self.command)} did not attach: {self.stderr.decode(errors='replace')}")

            # Keep reading stderr, so that a tracer that prints much there
            # does not block on a full pipe.
            self._stderr_reader = threading.Thread(target=self._read_rest_of_stderr, daemon=True)
            self._stderr_reader.start()

            if self.wait_attached is not None:
                self.wait_attached(self.pid)
        except BenchError:
            self.kill()
            raise
        self.attach_seconds = time.perf_counter() - self.started_at
        return self

    def _read_until_attached(self):
        """Reads stderr until a line matches; False on EOF or timeout."""
        deadline = time.monotonic() + ATTACH_TIMEOUT_SECONDS
        descriptor = self.process.stderr.fileno()
        pending = b""
        while time.monotonic() < deadline:
            readable, _, _ = select.select([descriptor], [], [], 0.1)
            if not readable:
                continue
            chunk = os.read(descriptor, 65536)
            if not chunk:
                return False
            self.stderr += chunk
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if any(self.attached.search(line.decode(errors="replace")) for line in lines):
                return True
        return False

    def _read_rest_of_stderr(self):
        descriptor = self.process.stderr.fileno()
        while chunk := os.read(descriptor, 65536):
            self.stderr += chunk

    def stop(self):
        """Sends SIGINT, waits for the exit and returns the seconds since start().

        SIGINT goes again every second until the tracer exits: bpftrace 0.17
        sometimes misses one when it has no output events to wake it.
        """
        deadline = time.monotonic() + EXIT_TIMEOUT_SECONDS
        status = None
        while status is None:
            try:
                os.kill(self.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
            try:
                status = self.process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    status = wait_for_exit(self.process, 0)
        seconds = time.perf_counter() - self.started_at
        self.max_rss_kib = self._peak_rss.read_kib()
        if self._stderr_reader is not None:
            self._stderr_reader.join(timeout=EXIT_TIMEOUT_SECONDS)
        if status != 0:
            raise BenchError(f"{' '.join(self.command)} exited with {status}: {self.stderr.decode(errors='replace')}")
        return seconds

    def kill(self):
        """Kills a tracer that is still running, as cleanup after a failure."""
        if self.process is None or self.process.returncode is not None:
            return
        try:
            os.kill(self.pid or self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait_for_exit(self.process, EXIT_TIMEOUT_SECONDS)
        self._peak_rss.read_kib()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
        return False
