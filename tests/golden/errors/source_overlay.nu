# `source` and `overlay` are valid Nushell that a probe file cannot use.
source helpers.nu
overlay use helpers
probe tracepoint:syscalls:sys_exit_read {|e|
    source-env env.nu
}
