use nubpf *
# bashreadline: the command lines that interactive bash shells read, with
# the shell's pid, as readline(3) in /bin/bash returns them. readline
# returns a `char *` into the shell's memory, which `read-user-string`
# reads. An end of input (Ctrl-D) returns null, which reads as "".
#
#   nubpfc samples/bashreadline.nu -o bashreadline.bpf.o
#   nubpf-run bashreadline.bpf.o
probe uretprobe:/bin/bash:readline {|e|
    emit {pid: $e.pid, line: ($e.retval | read-user-string)}
}
