# Comments are allowed everywhere, including inside records, lists, match arms and after `=>`.
use nubpf * # after use
const X = 1 # after const
def main [ # after the bracket
    --n: int = 1 # after a parameter
] { # after the brace
    probe tracepoint:syscalls:sys_exit_read {|e| # after the closure's parameter
        let r = { # in a record
            a: 1 # after a field
            # between fields
            b: 2
        }
        let l = [ # in a list
            1 # after an element
            2
        ]
        match $e.ret { # after the match brace
            # before an arm
            0 => # after the arrow
                "zero" # after the value
            _ => { count } # after a block
        }
        $e.comm # before a pipe
            | count # after the command
    } # after the probe
}
