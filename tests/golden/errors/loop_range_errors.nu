# Ranges whose values Nushell cannot count, or that overflow.
probe tracepoint:syscalls:sys_exit_read {|e|
    for x in 1..1..5 { count }
    for x in 1..2..0 { count }
    for x in 5..4..5 { count }
    for x in "a"..3 { count }
    for x in 9223372036854775806..9223372036854775807 { count }
}
