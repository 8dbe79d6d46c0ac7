# Flags of `def main` whose names nubpf-run or the file already takes.
const limit = 5
def main [--format: string = "", --limit: int = 1, --min-bytes: int = 1, --min_bytes: int = 2] {
    probe tracepoint:syscalls:sys_exit_read {|e|
        $min_bytes = 3
        # A rejected name is still declared: no "unknown variable" here.
        if $format == "" { count }
    }
}
