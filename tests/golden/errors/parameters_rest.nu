# Rest parameters are not supported, in `def main` or elsewhere.
def main [...pids: int] {
    probe tracepoint:syscalls:sys_exit_read {|e| count }
}
