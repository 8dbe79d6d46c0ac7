use nubpf *
# oomkill: processes that the kernel's OOM killer picks as victims, with
# their memory and the process whose allocation triggered the OOM killer,
# which runs when the victim is marked. The tracepoint gives the sizes in
# KiB, and the probe turns them into file sizes.
#
#   nubpfc samples/oomkill.nu -o oomkill.bpf.o
#   nubpf-run oomkill.bpf.o
probe tracepoint:oom:mark_victim {|e|
    emit {
        victim: $e.pid,
        victim_comm: $e.comm,
        uid: $e.uid,
        total_vm: ($e.total_vm * 1024 | into filesize),
        anon_rss: ($e.anon_rss * 1024 | into filesize),
        file_rss: ($e.file_rss * 1024 | into filesize),
        shmem_rss: ($e.shmem_rss * 1024 | into filesize),
        oom_score_adj: $e.oom_score_adj,
        trigger_pid: $e.task.tgid,
        trigger_comm: $e.task.comm,
    }
}
