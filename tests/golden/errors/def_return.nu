# Early `return`s carry an int or a bool, of one type, and the end of the
# body gives the same type.
def name [x: int] { if $x > 0 { return "positive" }; "other" }
def mixed [x: int] { if $x > 0 { return 1 }; if $x < 0 { return true }; 0 }
def ends-without-value [x: int] { if $x > 0 { return 1 }; count }
def both-return [x: int] { if $x > 0 { return 1 } else { return 2 } }
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: (name $e.ret)}
    emit {b: (mixed $e.ret)}
    emit {c: (ends-without-value $e.ret)}
    emit {d: (both-return $e.ret)}
}
