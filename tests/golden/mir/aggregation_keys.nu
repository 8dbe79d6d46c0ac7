# Sites of one map whose keys differ in string capacity and int width: the
# copies of a def body and of a loop body, and two sites of one `--as`
# name. Each map's key field takes the longest string and the widest int,
# and the offsets follow from those types.
def tally [what: string, n: int] { $n | math sum --by {op: $what} }

probe tracepoint:syscalls:sys_exit_read {|e|
    tally "read" 1
    tally "write" 2
    for op in ["a" "bb"] { count --by $op }
    count --by {op: "read", id: $e.pid} --as ops
    count --by {op: "write", id: $e.ret} --as ops
}
