# Two `?` members in one kernel path assigned the inner optional value to
# the value that contained it, so the assignment read members of an element
# it had already destroyed. It is the pattern of record_in_record_member.nu,
# found by reading the checker for it; AddressSanitizer does not report this
# input, because the destroyed element's memory stays allocated.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {total_vm: ($e.task.mm?.total_vm? | default 0)}
}
