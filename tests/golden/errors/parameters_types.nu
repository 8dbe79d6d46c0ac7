# Flags of `def main` with types and defaults that a parameter cannot have.
def main [
    --ratio: float = 1,
    --verbose: bool,
    --count: int = "three",
    --delay: duration = 5,
    --comm (-c): string = "",
    --name: string = 5,
    --limit = (1 + 2),
] {
    probe tracepoint:syscalls:sys_exit_read {|e| count }
}
