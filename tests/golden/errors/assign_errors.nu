# Assignments go to a whole variable, with spaces around the operator.
probe tracepoint:syscalls:sys_exit_read {|e|
    mut x = 0
    $x.a = 1
    $x +=1
    $x =
}
