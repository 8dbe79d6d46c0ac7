# Signatures that a probe cannot call: types it lacks, a typed switch and
# a default that is not a constant.
def a [x: float] { 1 }
def b [--quiet: bool] { 1 }
def c [x: int = (1 | into int)] { $x }
probe tracepoint:syscalls:sys_exit_read {|e| count }
