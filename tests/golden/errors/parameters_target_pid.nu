# `--target-pid` receives the pid of nubpf-run's -c or -p, so it must be an
# int, not a string.
def main [--target-pid: string = ""] {
    probe tracepoint:syscalls:sys_exit_read {|e| count }
}
