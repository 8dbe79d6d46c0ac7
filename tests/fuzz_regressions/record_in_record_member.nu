# Reading a member of a record that is itself a member of a record local
# copied the member over the record that held it, reading freed memory.
# The compile fuzzer found it in a docs example.
probe tracepoint:syscalls:sys_enter_openat {|e|
    let info = {who: {pid: $e.pid, comm: $e.comm}}
    emit {pid: ($info | get who.pid), comm: $info.who.comm}
}
