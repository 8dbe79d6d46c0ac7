use nubpf *
# vfsstat: file system calls counted by kind (read, write, open, create
# and fsync), as one table per interval. With --reset each table covers
# one interval. Counts come from the system call tracepoints, so they
# count calls, failed ones too: `create` is creat(2) and the opens that
# pass O_CREAT, whether or not they created a file. `--comm NAME` counts
# the calls of one process name only.
#
#   nubpfc samples/vfsstat.nu -o vfsstat.bpf.o
#   nubpf-run vfsstat.bpf.o --interval 1s --reset
const O_CREAT = 0o100

# Counts one call of kind `op` when `comm` passes the --comm filter.
def tally [op: string, comm: string, only: string] {
    if $only == "" or $comm == $only {
        count --by {op: $op} --as calls
    }
}

def main [--comm: string = ""] {
    probe tracepoint:syscalls:sys_enter_read {|e| tally "read" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_readv {|e| tally "read" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_pread64 {|e| tally "read" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_preadv {|e| tally "read" $e.comm $comm }

    probe tracepoint:syscalls:sys_enter_write {|e| tally "write" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_writev {|e| tally "write" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_pwrite64 {|e| tally "write" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_pwritev {|e| tally "write" $e.comm $comm }

    probe tracepoint:syscalls:sys_enter_open {|e|
        tally "open" $e.comm $comm
        if ($e.flags bit-and $O_CREAT) != 0 { tally "create" $e.comm $comm }
    }
    probe tracepoint:syscalls:sys_enter_openat {|e|
        tally "open" $e.comm $comm
        if ($e.flags bit-and $O_CREAT) != 0 { tally "create" $e.comm $comm }
    }
    probe tracepoint:syscalls:sys_enter_creat {|e| tally "create" $e.comm $comm }

    probe tracepoint:syscalls:sys_enter_fsync {|e| tally "fsync" $e.comm $comm }
    probe tracepoint:syscalls:sys_enter_fdatasync {|e| tally "fsync" $e.comm $comm }
}
