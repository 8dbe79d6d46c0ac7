# Integer literals in four bases with `_` separators, bools and null.
probe tracepoint:syscalls:sys_enter_openat {|e|
    emit {decimal: 42, hex: 0x2a, upper_hex: 0X2A, octal: 0o52, binary: 0b101010}
    emit {separated: 1_000_000, max: 18446744073709551615, negative: -1}
    emit {yes: true, no: false, nothing: null}
}
