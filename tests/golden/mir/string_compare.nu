# String comparisons with literals, and a `mut` string copied on each read.
probe tracepoint:syscalls:sys_enter_openat {|e|
    mut last = ""
    if $e.filename == "/etc/passwd" { $last = $e.filename }
    if ($e.comm | str starts-with "ba") { emit {comm: $e.comm, last: $last} }
}
