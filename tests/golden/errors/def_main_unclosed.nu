# A `def main` whose body is not closed.
def main [] {
    probe tracepoint:syscalls:sys_exit_read {|e| count }
