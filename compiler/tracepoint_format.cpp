#include "compiler/tracepoint_format.h"

#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace nubpf::compiler {

const TracepointField* TracepointFormat::FindField(std::string_view name) const {
  for (const TracepointField& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

static std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// Reads the number after `key:` in `line`, such as 24 from `offset:24;`.
static bool ReadAttribute(std::string_view line, std::string_view key,
                          uint32_t* value) {
  size_t at = line.find(key);
  if (at == std::string_view::npos) return false;
  at += key.size();
  if (at >= line.size() || !std::isdigit(static_cast<unsigned char>(line[at])))
    return false;
  uint32_t number = 0;
  while (at < line.size() && std::isdigit(static_cast<unsigned char>(line[at]))) {
    number = number * 10 + (line[at] - '0');
    ++at;
  }
  *value = number;
  return true;
}

// Splits a C declaration such as `const char * filename` or `char comm[16]`
// into the field's name and shape. A `__data_loc` field puts its empty
// brackets before the name: `__data_loc char[] filename`.
static void ClassifyDeclaration(std::string_view declaration,
                                TracepointField* field) {
  bool is_data_loc = declaration.substr(0, 11) == "__data_loc ";
  size_t bracket = declaration.find('[');
  if (is_data_loc && bracket != std::string_view::npos) {
    size_t close = declaration.find(']', bracket);
    field->name = std::string(Trim(declaration.substr(close + 1)));
    field->shape = TracepointFieldShape::kDataLoc;
    return;
  }
  std::string_view before_array =
      Trim(bracket == std::string_view::npos ? declaration
                                             : declaration.substr(0, bracket));

  size_t name_start = before_array.size();
  while (name_start > 0 &&
         (std::isalnum(static_cast<unsigned char>(before_array[name_start - 1])) ||
          before_array[name_start - 1] == '_')) {
    --name_start;
  }
  field->name = std::string(before_array.substr(name_start));
  std::string_view type = Trim(before_array.substr(0, name_start));

  bool is_char = type == "char" || type == "const char" ||
                 type == "unsigned char" || type == "signed char";
  if (is_data_loc) {
    field->shape = TracepointFieldShape::kDataLoc;
  } else if (bracket != std::string_view::npos) {
    field->shape = is_char ? TracepointFieldShape::kCharArray
                           : TracepointFieldShape::kArray;
  } else if (!type.empty() && type.back() == '*') {
    std::string_view pointee = Trim(type.substr(0, type.size() - 1));
    field->shape = (pointee == "char" || pointee == "const char")
                       ? TracepointFieldShape::kCharPointer
                       : TracepointFieldShape::kPointer;
  } else {
    field->shape = TracepointFieldShape::kInteger;
  }
}

bool ParseTracepointFormat(std::string_view text, TracepointFormat* out,
                           std::string* error) {
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    std::string_view view = Trim(line);
    if (view.substr(0, 5) == "name:") {
      out->name = std::string(Trim(view.substr(5)));
      continue;
    }
    if (view.substr(0, 6) != "field:") continue;

    size_t semicolon = view.find(';');
    if (semicolon == std::string_view::npos) {
      *error = "malformed field line `" + line + "`";
      return false;
    }
    TracepointField field;
    field.declaration = std::string(Trim(view.substr(6, semicolon - 6)));
    uint32_t is_signed = 0;
    if (!ReadAttribute(view, "offset:", &field.offset) ||
        !ReadAttribute(view, "size:", &field.size) ||
        !ReadAttribute(view, "signed:", &is_signed)) {
      *error = "malformed field line `" + line + "`";
      return false;
    }
    field.is_signed = is_signed != 0;
    ClassifyDeclaration(field.declaration, &field);
    if (field.name.empty()) {
      *error = "field without a name in `" + line + "`";
      return false;
    }
    out->fields.push_back(std::move(field));
  }
  return true;
}

static bool HasEvents(const std::string& root) {
  struct stat info;
  return stat((root + "/events").c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string FindTracefs() {
  for (const char* root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    if (HasEvents(root)) return root;
  }
  // Fails without CAP_SYS_ADMIN; the caller then reports that no tracefs
  // was found.
  if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0 &&
      HasEvents("/sys/kernel/tracing")) {
    return "/sys/kernel/tracing";
  }
  return "";
}

std::string TracepointFormatPath(const std::string& tracefs_root, const std::string& category,
                                 const std::string& name) {
  return tracefs_root + "/events/" + category + "/" + name + "/format";
}

TracepointLookup ReadTracepointFormat(const std::string& tracefs_root,
                                      const std::string& category,
                                      const std::string& name,
                                      TracepointFormat* out,
                                      std::string* error) {
  std::string path = TracepointFormatPath(tracefs_root, category, name);
  std::ifstream in(path);
  if (!in) {
    if (access(path.c_str(), F_OK) != 0) return TracepointLookup::kNotFound;
    *error = "cannot read `" + path + "`";
    return TracepointLookup::kUnreadable;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out->category = category;
  out->name = name;
  if (!ParseTracepointFormat(text.str(), out, error)) {
    *error = "`" + path + "`: " + *error;
    return TracepointLookup::kUnreadable;
  }
  return TracepointLookup::kFound;
}

std::vector<std::string> ListTracepoints(const std::string& tracefs_root,
                                         const std::string& category) {
  std::vector<std::string> names;
  std::string folder = tracefs_root + "/events/" + category;
  DIR* directory = opendir(folder.c_str());
  if (directory == nullptr) return names;
  while (dirent* entry = readdir(directory)) {
    if (entry->d_name[0] == '.' || entry->d_type != DT_DIR) continue;
    names.emplace_back(entry->d_name);
  }
  closedir(directory);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace nubpf::compiler
