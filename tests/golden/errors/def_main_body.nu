# The body of `def main` contains only probes and `const`.
def main [] {
    let x = 1
    probe tracepoint:syscalls:sys_exit_read {|e| count }
    count
}
