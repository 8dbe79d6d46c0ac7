use nubpf *
# `?` on kernel members. `nubpf_missing` is not in the BTF, so it is null
# at compile time. `pid` and `mm` are, so the reads after them happen
# under a CO-RE field-exists check, and `default` picks a value when the
# running kernel lacks the member.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {
        missing: ($e.task.nubpf_missing? == null),
        pid: ($e.task.pid? | default 0),
        total_vm: ($e.task.mm?.total_vm | default 0),
    }
}
