#include "runtime/object_inspection.h"

#include <memory>
#include <vector>

#include "runtime/listing_output.h"
#include "runtime/object_listing.h"
#include "runtime/program_verification.h"

namespace nubpf::runtime {

std::optional<Error> ListObjectTo(const std::string& path, OutputFormat format,
                                  std::FILE* out) {
  ErrorOr<std::vector<ListingRecord>> records = ListObject(path);
  if (!records) return records.TakeError();
  PrintListing(*records, format, out);
  return std::nullopt;
}

std::optional<Error> VerifyObjectTo(const std::string& path, LoaderOptions options,
                                    OutputFormat format, std::FILE* out) {
  options.load_only = true;
  ErrorOr<std::unique_ptr<AttachedObject>> object = LoadAndAttach(path, options);
  if (!object) return object.TakeError();

  ErrorOr<std::vector<ProgramVerification>> programs =
      ReadProgramVerifications((*object)->metadata(), (*object)->object());
  if (!programs) return programs.TakeError();
  PrintProgramVerifications(*programs, format, out);
  return std::nullopt;
}

}  // namespace nubpf::runtime
