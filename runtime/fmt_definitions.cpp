// fmt's compiled functions, for the static nubpf-run only (CMakeLists.txt
// leaves this file out of the runtime library). Debian 12's libfmt-dev
// ships fmt 9.1 as libfmt.so without a libfmt.a, and a static program
// cannot link a shared library. fmt's headers declare the functions that
// libfmt.so exports, and format-inl.h defines them, so including it here
// gives the static link the same functions from the same headers.
//
// The runtime's objects stay compiled against the shared fmt (FMT_SHARED).
// On Linux, FMT_SHARED only sets default symbol visibility, so the same
// objects link with these definitions as with libfmt.so.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

// format.h declares these two templates `extern template`, so they exist
// only where something instantiates them explicitly, and the functions that
// format-inl.h defines call them. If nubpf-run's link ever fails with an
// undefined reference to another fmt template, its instantiation goes here.
template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl<char>(locale_ref) -> char;

}  // namespace detail
FMT_END_NAMESPACE
