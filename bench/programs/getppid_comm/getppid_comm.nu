use nubpf *
# getppid(2) calls, counted per process name.
probe tracepoint:syscalls:sys_enter_getppid {|e| $e.comm | count }
