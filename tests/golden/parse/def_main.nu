# `def main` holds the probes; its flags become load-time parameters.
use nubpf *

def main [--comm: string = "", --min-bytes: int = 1] {
    const SCALE = 1000
    # Reads at least --min-bytes bytes.
    probe tracepoint:syscalls:sys_exit_read {|e|
        if $e.ret >= $min_bytes { $e.ret | histogram }
    }

    probe tracepoint:syscalls:sys_enter_openat {|e| count }
}
