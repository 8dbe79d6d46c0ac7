use nubpf *
# runqlat: run queue latency, the time a thread waits between becoming
# runnable and running on a CPU, as a power-of-two histogram printed at
# exit. A thread becomes runnable when it is woken, or when another thread
# preempts it while it is still running. `--comm NAME` measures the
# threads of one name only.
#
#   nubpfc samples/runqlat.nu -o runqlat.bpf.o
#   nubpf-run runqlat.bpf.o --duration 10sec
def main [--comm: string = ""] {
    probe tracepoint:sched:sched_wakeup {|e|
        if $comm == "" or $e.comm == $comm { start-timer runq --key $e.pid }
    }

    probe tracepoint:sched:sched_wakeup_new {|e|
        if $comm == "" or $e.comm == $comm { start-timer runq --key $e.pid }
    }

    probe tracepoint:sched:sched_switch {|e|
        # A prev_state of 0 (TASK_RUNNING) means the thread was preempted
        # and waits on the run queue again.
        if $e.prev_state == 0 and ($comm == "" or $e.prev_comm == $comm) {
            start-timer runq --key $e.prev_pid
        }
        stop-timer runq --key $e.next_pid | histogram --as run_queue_latency
    }
}
