# A probe closure takes one parameter, written without `$` or a type.
probe tracepoint:syscalls:sys_exit_read {|e, f| count }
probe tracepoint:syscalls:sys_exit_read {|e: record| count }
probe tracepoint:syscalls:sys_exit_read {|$e| count }
