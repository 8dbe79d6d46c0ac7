# Recursion, direct or through another command, cannot be inlined.
def countdown [n: int] { countdown ($n - 1) }
def ping [] { pong }
def pong [] { ping }
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {n: (countdown 3)}
    ping
}
