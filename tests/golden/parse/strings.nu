# Double-quoted strings with escapes, single-quoted, backtick and raw strings.
probe tracepoint:syscalls:sys_enter_openat {|e|
    emit {double: "tab\there\nquote\" \u{e9} \x41 \(paren\)"}
    emit {single: 'C:\no\escapes', backtick: `a b`}
    emit {raw: r#'it's "raw" \n'#, raw2: r##'a'#b'##}
    emit {empty: "", multi: "one
two"}
}
