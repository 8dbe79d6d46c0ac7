# Lists with and without commas, integer and optional cell path members, and `get`.
probe tracepoint:syscalls:sys_exit_read {|e|
    let spaced = [1 2 3]
    let commas = [1, 2, 3,]
    let lines = [
        "a"
        "b", c
    ]
    let nested = [[1 2] [] [$e.ret]]
    let first = $spaced.0
    let deep = $e.task.real_parent.tgid
    let maybe = $e.missing?
    let r = {a: {b: [1]}}
    let maybe_deep = $r.a?.b.0?
    let quoted = $e."a key"
    let got = $e | get ret
    let record = {list: [1 2], "key with space": 1}
}
