# `def main` takes flags only: a positional parameter is not supported yet.
const X = 1
def helper [] { count }
def main [n: int = 1] {
    const Y = 2
    probe tracepoint:syscalls:sys_exit_read {|e| count }
}
