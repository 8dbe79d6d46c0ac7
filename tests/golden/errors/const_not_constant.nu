# A `const` needs a value known at compile time.
const PID = $e.pid
probe tracepoint:syscalls:sys_exit_read {|e| count }
