# Early `return`s and the branches of a final `if` carry an int, a bool or
# a string, of one type, and the end of the body gives the same type.
def name [x: int] { if $x > 0 { return "positive" }; "other" }
def mixed [x: int] { if $x > 0 { return 1 }; if $x < 0 { return true }; 0 }
def ends-without-value [x: int] { if $x > 0 { return 1 }; count }
def both-return [x: int] { if $x > 0 { return 1 } else { return 2 } }
def final-if-record [x: int] { if $x > 0 { {a: 1} } else { {a: 2} } }
def final-if-mixed [x: int] { if $x > 0 { 1 } else if $x < 0 { true } else { 0 } }
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: (name $e.ret)}
    emit {b: (mixed $e.ret)}
    emit {c: (ends-without-value $e.ret)}
    emit {d: (both-return $e.ret)}
    emit {f: (final-if-record $e.ret)}
    emit {g: (final-if-mixed $e.ret)}
}
