use nubpf *
# Kernel structs read with CO-RE: a pointer followed twice, an embedded
# struct and a member of an anonymous union in one access each, a char
# array as a string, a bitfield, an array element, and an enum compared
# by name. The passes read `$e.task.real_parent` once.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {
        ppid: $e.task.real_parent.tgid,
        grandparent: $e.task.real_parent.real_parent.tgid,
        vruntime: $e.task.se.vruntime,
        comm: $e.task.comm,
        load: $e.task.sched_contributes_to_load,
        prio: $e.task.prio_array.2,
        tgid_kind: ($e.task.kind == "PIDTYPE_TGID"),
    }
}
