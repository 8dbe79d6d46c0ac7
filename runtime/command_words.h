// The command of `nubpf-run -c 'CMD ARGS'`, split into the words of its
// argv as a POSIX shell splits a simple command.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"

namespace nubpf::runtime {

// Splits `text` at unquoted spaces, tabs and newlines. Inside single quotes
// every character is literal. Inside double quotes a backslash escapes only
// `$`, `` ` ``, `"`, `\` and a newline, as in sh. Outside quotes a backslash
// makes the next character literal. Quotes join the text next to them into
// one word, so `a'b c'd` is the word `ab cd`, and `''` is an empty word.
// Nothing is expanded: no variables, globs, `~` or command substitution.
//
// Fails with an error of exit code kUsage on an unterminated quote, a
// backslash at the end, and a command with no words.
ErrorOr<std::vector<std::string>> SplitCommandWords(std::string_view text);

}  // namespace nubpf::runtime
