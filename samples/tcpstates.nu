use nubpf *
# tcpstates: TCP sockets as they change state, with the ports, the
# process running when the change happened, and how long the socket was
# in its old state (0 for the first change that nubpf-run sees). Ports are
# in host byte order.
#
#   nubpfc samples/tcpstates.nu -o tcpstates.bpf.o
#   nubpf-run tcpstates.bpf.o
# TODO: show the addresses too. `$e.saddr` reads as a list of four
# bytes, but an emitted field cannot be built from them until strings can
# be joined at run time, as `$e.saddr | str join "."` does in Nushell.
const IPPROTO_TCP = 6
const TCP_CLOSE = 7

# The name of a TCP state, as the kernel's `enum tcp_state` has it without
# its TCP_ prefix.
def state-name [state: int] {
    match $state {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        12 => "NEW_SYN_RECV",
        _ => "UNKNOWN",
    }
}

probe tracepoint:sock:inet_sock_set_state {|e|
    if $e.protocol != $IPPROTO_TCP { return }

    # The time in the old state runs from the socket's previous change. A
    # closed socket's address may be reused, so its timer ends there.
    let held = stop-timer state --key $e.skaddr | default 0ns
    if $e.newstate != $TCP_CLOSE { start-timer state --key $e.skaddr }

    emit {
        pid: $e.pid,
        comm: $e.comm,
        sport: $e.sport,
        dport: $e.dport,
        old: (state-name $e.oldstate),
        new: (state-name $e.newstate),
        held: $held,
    }
}
