use nubpf *
# exitsnoop: processes as they exit, with their parent, exit code, the
# signal that ended them (0 if none) and how long they ran. The event
# comes when the last thread of a process exits, and the kernel's
# exit_code keeps the code in bits 8 to 15 and the signal in bits 0 to 6.
#
#   nubpfc samples/exitsnoop.nu -o exitsnoop.bpf.o
#   nubpf-run exitsnoop.bpf.o
probe tracepoint:sched:sched_process_exit {|e|
    if $e.group_dead {
        let task = $e.task
        emit {
            pid: $task.tgid,
            ppid: $task.real_parent.tgid,
            comm: $e.comm,
            code: (($task.exit_code bit-shr 8) bit-and 0xff),
            signal: ($task.exit_code bit-and 0x7f),
            age: ($e.ts - $task.group_leader.start_time | into duration),
        }
    }
}
