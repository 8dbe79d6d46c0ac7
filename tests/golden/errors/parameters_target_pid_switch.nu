# A switch is a bool, so it cannot receive the pid of nubpf-run's -c or -p.
def main [--target-pid] {
    probe tracepoint:syscalls:sys_exit_read {|e| count }
}
