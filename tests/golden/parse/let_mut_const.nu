# `let`, `mut` and `const`, with and without type annotations, in a block and at the top level.
const LIMIT = 100
const NAME: string = "bash"
const SIZES: list<int> = [1 2 3]
probe tracepoint:syscalls:sys_exit_read {|e|
    let bytes = $e.ret
    let typed: int = $e.ret * 2
    mut total: int = 0
    mut name = ""
    const LOCAL = 5
    let piped = $e.comm | str length
    let input = $in
}
