# Comparisons and the string and list tests, all at one precedence level.
probe tracepoint:syscalls:sys_enter_openat {|e|
    let a = $e.pid == 1 and $e.pid != 2
    let b = $e.pid < 1 or $e.pid <= 2 or $e.pid > 3 or $e.pid >= 4
    let c = $e.filename =~ "^/tmp" and $e.filename !~ "\\.so$"
    let d = $e.filename like "x" or $e.filename not-like "y"
    let f = $e.pid in [1 2 3] and $e.pid not-in 10..20
    let g = $e.filename starts-with "/etc" or $e.filename ends-with ".conf"
    let h = 1 + 1 in [2]
}
