use nubpf *
# getppid(2) calls, counted with no key.
probe tracepoint:syscalls:sys_enter_getppid {|e| count }
