# Only probes, `def`, `const` and `use` may appear at the top level.
}
oops
probe tracepoint:syscalls:sys_enter_openat {|e| count }
