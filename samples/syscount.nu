use nubpf *
# syscount: system calls counted per process name, printed at exit.
probe tracepoint:raw_syscalls:sys_enter {|e|
    $e.comm | count
}
