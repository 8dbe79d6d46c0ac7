use nubpf *
# opencount: the files one process opens, counted by name. The program
# opencount.cpp embeds this probe and sets `--target-pid` to the command
# it runs; with nubpf-run, `-p PID` or `-c CMD` sets it.
#
#   nubpfc samples/embedding/opencount.nu -o opencount.bpf.o
#   nubpf-run opencount.bpf.o --target-pid 1234
def main [--target-pid: int = 0] {
    probe tracepoint:syscalls:sys_enter_openat {|e|
        if $e.pid == $target_pid { $e.filename | count }
    }
}
