use nubpf *
# biolatency: block I/O latency, the time from when the kernel issues a
# request to the device until the device completes it, as a power-of-two
# histogram per device, printed at exit. A request is known by its device
# and first sector, from issue to completion. dev is the kernel's dev_t:
# `dev bit-shr 20` is the major number and `dev bit-and 0xfffff` the minor.
#
#   nubpfc samples/biolatency.nu -o biolatency.bpf.o
#   nubpf-run biolatency.bpf.o --duration 10sec
probe tracepoint:block:block_rq_issue {|e|
    start-timer request --key {dev: $e.dev, sector: $e.sector}
}

probe tracepoint:block:block_rq_complete {|e|
    let latency = stop-timer request --key {dev: $e.dev, sector: $e.sector}
    $latency | histogram --by {major: ($e.dev bit-shr 20), minor: ($e.dev bit-and 0xfffff)} --as block_io_latency
}
