# `use` declarations are kept and otherwise ignored.
use nubpf *
use nubpf [emit count]
use nubpf emit
use std/log
probe tracepoint:syscalls:sys_enter_openat {|e| count }
