# The checker reports `const`, `def` and `def main` flags it cannot compile yet.
const X = 1
def helper [] { count }
def main [--n: int = 1] {
    const Y = 2
    probe tracepoint:syscalls:sys_exit_read {|e| count }
}
