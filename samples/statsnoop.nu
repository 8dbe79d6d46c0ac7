use nubpf *
# statsnoop: stat(2)-family calls, with the path asked about and the
# result: 0, or a negative errno such as -2 for ENOENT. Each entry stores
# the path under the thread id, and the exit of the same call sends it
# with the result. `stat`, `lstat`, `fstatat` and `statx` are covered.
# Calls with an empty path are left out: they ask about a file descriptor,
# as glibc's fstat(3) does with `fstatat(fd, "", ..., AT_EMPTY_PATH)`.
#
#   nubpfc samples/statsnoop.nu -o statsnoop.bpf.o
#   nubpf-run statsnoop.bpf.o

# Keeps the path of the call that thread `tid` has entered, unless it is
# empty.
def remember-path [tid: int] {
    let path = $in
    if $path != "" { $path | store set stat_path --key $tid }
}

# Sends the path that thread `tid` entered its call with, and the result.
def send-path [tid: int, pid: int, comm: string, result: int] {
    let path = store get stat_path --key $tid
    store delete stat_path --key $tid
    if $path != null {
        emit {pid: $pid, comm: $comm, result: $result, path: $path}
    }
}

probe tracepoint:syscalls:sys_enter_newstat {|e| $e.filename | remember-path $e.tid }
probe tracepoint:syscalls:sys_enter_newlstat {|e| $e.filename | remember-path $e.tid }
probe tracepoint:syscalls:sys_enter_newfstatat {|e| $e.filename | remember-path $e.tid }
probe tracepoint:syscalls:sys_enter_statx {|e| $e.filename | remember-path $e.tid }

probe tracepoint:syscalls:sys_exit_newstat {|e| send-path $e.tid $e.pid $e.comm $e.ret }
probe tracepoint:syscalls:sys_exit_newlstat {|e| send-path $e.tid $e.pid $e.comm $e.ret }
probe tracepoint:syscalls:sys_exit_newfstatat {|e| send-path $e.tid $e.pid $e.comm $e.ret }
probe tracepoint:syscalls:sys_exit_statx {|e| send-path $e.tid $e.pid $e.comm $e.ret }
