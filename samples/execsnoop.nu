use nubpf *
# execsnoop: programs started with exec, with their parent process, read
# from the kernel's task_struct with CO-RE.
probe tracepoint:sched:sched_process_exec {|e|
    print $"($e.comm) pid=($e.pid) ppid=($e.task.real_parent.tgid) parent=($e.task.real_parent.comm)"
}
