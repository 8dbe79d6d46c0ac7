// Routes libbpf's own messages. libbpf_set_print() takes a bare function
// with no user data, so the state here is process-wide; nothing else in
// the runtime is.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace nubpf::runtime {

// Installs the libbpf print callback. With `verbose` set, every libbpf
// message goes there; libbpf starts each with `libbpf: `. Either way, the
// last warning lines are kept for error reports.
void InstallLibbpfPrint(std::FILE* verbose);

// Returns the last warning lines libbpf printed (at most 20), oldest first.
std::vector<std::string> RecentLibbpfWarnings();

// Forgets the kept warnings, so the next report shows only new ones.
void ClearLibbpfWarnings();

// Replaces the kept warnings with `lines`, such as ones saved earlier with
// RecentLibbpfWarnings(), so that a report after a retry shows the first
// attempt's warnings.
void RestoreLibbpfWarnings(const std::vector<std::string>& lines);

}  // namespace nubpf::runtime
