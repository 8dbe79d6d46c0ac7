use nubpf *
# System calls counted per system call number.
probe tracepoint:raw_syscalls:sys_enter {|e| count --by $e.id }
