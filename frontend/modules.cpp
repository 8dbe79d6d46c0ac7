#include "frontend/modules.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "frontend/parser.h"

namespace nubpf::frontend {
namespace {

namespace fs = std::filesystem;

// The folder that a path in `use` is first looked up in: the folder of the
// file that has the `use`, as given ("" for the working directory).
std::string FolderOf(const std::string& path) {
  return fs::path(path).parent_path().string();
}

std::string JoinPath(const std::string& folder, const std::string& name) {
  if (folder.empty()) return name;
  return (fs::path(folder) / name).string();
}

// One name per file, whatever path reached it, so that a cycle and a
// module used twice are found. The path shown to users stays as given.
std::string Identity(const std::string& path) {
  std::error_code ignored;
  fs::path canonical = fs::weakly_canonical(path, ignored);
  return canonical.empty() ? path : canonical.string();
}

// Returns the names that `use` can import from `module`: its exported
// commands and its constants.
std::set<std::string> MemberNames(const File& module) {
  std::set<std::string> names;
  for (const DefDecl& def : module.defs) {
    if (def.exported) names.insert(def.name);
  }
  for (const auto& constant : module.constants) names.insert(constant->name);
  return names;
}

// The offsets of `source`, its end-of-file position included.
Span RangeOf(const SourceFile& source) {
  return {source.base(), source.base() + static_cast<uint32_t>(source.text().size()) + 1};
}

class ModuleLoader {
 public:
  ModuleLoader(SourceFile& main, const std::vector<std::string>& include_dirs,
               InputFiles* inputs, DiagnosticSink& diagnostics)
      : main_(main), include_dirs_(include_dirs), inputs_(inputs), diagnostics_(diagnostics) {}

  // Marks `source` as being loaded, so that a module that uses it is a cycle.
  void Enter(const SourceFile& source) {
    active_.push_back(Identity(source.path()));
    active_paths_.push_back(source.path());
  }
  void Leave() {
    active_.pop_back();
    active_paths_.pop_back();
  }

  // Loads every module that `file`, the tree of `source`, uses.
  void LoadUses(const SourceFile& source, const File& file);

  // Commands and constants of every module loaded, in the order the files
  // were read, each module after the modules it uses.
  std::vector<std::unique_ptr<LetStmt>> constants;
  std::vector<DefDecl> defs;

 private:
  std::optional<std::string> Find(const SourceFile& source, const UseDecl& use);
  void Load(const std::string& path, const std::string& identity, const UseDecl& use);
  void CheckItems(const File& module);
  void CheckMembers(const UseDecl& use, const std::string& identity);
  void Import(const SourceFile& source, const UseDecl& use, const std::string& identity);
  void AddDefs(const std::string& identity, std::vector<DefDecl>* module_defs);

  SourceFile& main_;
  const std::vector<std::string>& include_dirs_;
  InputFiles* inputs_;
  DiagnosticSink& diagnostics_;
  // The modules being loaded, outermost first, as identities and as paths.
  std::vector<std::string> active_;
  std::vector<std::string> active_paths_;
  // The member names of each module loaded, by identity.
  std::map<std::string, std::set<std::string>> loaded_;
  // Modules that could not be read or parsed, whose members are unknown.
  std::set<std::string> failed_;
  // The indexes in `defs` of each module's commands, by identity.
  std::map<std::string, std::vector<size_t>> module_defs_;
};

void ModuleLoader::LoadUses(const SourceFile& source, const File& file) {
  for (const UseDecl& use : file.uses) {
    if (!IsModuleFile(use)) continue;
    if (!use.all_members && use.members.empty()) {
      std::string name = fs::path(use.module).stem().string();
      diagnostics_.Error(use.span,
                         "`use " + use.module + "` without members is not supported yet",
                         "Nushell would name its commands `" + name +
                             " NAME`; write `use " + use.module + " *` or `use " +
                             use.module + " [NAME]`");
      continue;
    }
    std::optional<std::string> path = Find(source, use);
    if (!path) continue;

    std::string identity = Identity(*path);
    auto cycle_start = std::find(active_.begin(), active_.end(), identity);
    if (cycle_start != active_.end()) {
      std::string chain;
      for (auto at = cycle_start - active_.begin(); at < static_cast<long>(active_.size());
           ++at) {
        chain += "`" + active_paths_[at] + "` uses ";
      }
      diagnostics_.Error(use.module_span, "module cycle: " + chain + "`" + *path + "`",
                         "a module cannot use a file that uses it; move the "
                         "commands both need into a third module");
      continue;
    }
    if (loaded_.count(identity) == 0) Load(*path, identity, use);
    CheckMembers(use, identity);
    Import(source, use, identity);
  }
}

// Returns the path of the module that `use` names, or reports it missing.
std::optional<std::string> ModuleLoader::Find(const SourceFile& source, const UseDecl& use) {
  std::vector<std::string> folders;
  if (fs::path(use.module).is_absolute()) {
    folders.push_back("");
  } else {
    folders.push_back(FolderOf(source.path()));
    folders.insert(folders.end(), include_dirs_.begin(), include_dirs_.end());
  }

  std::error_code ignored;
  for (const std::string& folder : folders) {
    std::string path = JoinPath(folder, use.module);
    if (fs::is_regular_file(path, ignored)) return path;
  }

  std::string searched;
  for (const std::string& folder : folders) {
    if (!searched.empty()) searched += ", ";
    searched += "`" + (folder.empty() ? std::string(".") : folder) + "`";
  }
  std::string help = fs::path(use.module).is_absolute()
                         ? "check the path"
                         : "searched " + searched + "; pass `-I DIR` to search another folder";
  diagnostics_.Error(use.module_span, "module file `" + use.module + "` not found", help);
  return std::nullopt;
}

void ModuleLoader::Load(const std::string& path, const std::string& identity,
                        const UseDecl& use) {
  loaded_[identity];
  std::string error;
  const SourceFile* source = main_.LoadModule(path, &error);
  if (source == nullptr) {
    failed_.insert(identity);
    diagnostics_.Error(use.module_span, error);
    return;
  }
  RecordInput(inputs_, path);

  File module;
  if (!Parse(*source, diagnostics_, &module)) {
    failed_.insert(identity);
    return;
  }
  CheckItems(module);
  loaded_[identity] = MemberNames(module);
  for (DefDecl& def : module.defs) def.callable_in.push_back(RangeOf(*source));

  Enter(*source);
  LoadUses(*source, module);
  Leave();

  for (auto& constant : module.constants) constants.push_back(std::move(constant));
  AddDefs(identity, &module.defs);
}

// Reports what a module may not hold: a module only lends commands and
// constants, so probes, `def main` and shared `mut` globals belong in the
// probe file.
void ModuleLoader::CheckItems(const File& module) {
  for (const ProbeDecl& probe : module.probes) {
    diagnostics_.Error(probe.span, "a module cannot contain probes",
                       "move the probe into the probe file, or wrap its body in an "
                       "`export def` that the probe file calls");
  }
  for (const auto& global : module.globals) {
    diagnostics_.Error(global->span, "a module cannot declare a top-level `mut`",
                       "declare the global in the probe file, whose probes share it");
  }
  for (const DefDecl& def : module.defs) {
    if (def.name != "main") continue;
    diagnostics_.Error(def.name_span, "a module cannot define `main`",
                       "the flags of `def main` are load-time parameters of the "
                       "probe file; define it there");
  }
}

// Reports a name in `use FILE [a b]` that the module does not define or
// does not export.
void ModuleLoader::CheckMembers(const UseDecl& use, const std::string& identity) {
  if (failed_.count(identity) > 0) return;
  const std::set<std::string>& names = loaded_[identity];
  for (const std::string& member : use.members) {
    if (names.count(member) > 0) continue;
    diagnostics_.Error(use.span, "module `" + use.module + "` exports no command or constant `" +
                                     member + "`",
                       "define it in the module with `export def` or `export const`, or "
                       "remove it from the list");
  }
}

// Lets the code of `source` call the commands that `use` imports: with `*`
// the exported ones, with a list the ones it names.
//
// TODO: constants stay visible to every file, because the checker keeps
// one table of them; a member list or a missing `export` hides only
// commands.
void ModuleLoader::Import(const SourceFile& source, const UseDecl& use,
                          const std::string& identity) {
  for (size_t index : module_defs_[identity]) {
    DefDecl& def = defs[index];
    bool listed = std::find(use.members.begin(), use.members.end(), def.name) !=
                  use.members.end();
    if (def.exported && (use.all_members || listed)) {
      def.callable_in.push_back(RangeOf(source));
    }
  }
}

// Adds a module's commands, reporting a name that another file took.
void ModuleLoader::AddDefs(const std::string& identity, std::vector<DefDecl>* module_defs) {
  for (DefDecl& def : *module_defs) {
    auto earlier = std::find_if(defs.begin(), defs.end(),
                                [&](const DefDecl& other) { return other.name == def.name; });
    if (earlier != defs.end()) {
      Diagnostic& error = diagnostics_.Error(
          def.name_span, "command `" + def.name + "` is defined in two modules");
      error.labels.push_back({earlier->name_span, "first defined here"});
      continue;
    }
    module_defs_[identity].push_back(defs.size());
    defs.push_back(std::move(def));
  }
}

}  // namespace

bool IsModuleFile(const UseDecl& use) {
  return fs::path(use.module).extension() == ".nu";
}

bool LoadModules(SourceFile& main, const std::vector<std::string>& include_dirs,
                 InputFiles* inputs, DiagnosticSink& diagnostics, File* file) {
  size_t errors_before = diagnostics.error_count();
  // The probe file's commands are for its own code, as in Nushell, where a
  // module cannot call the commands of the script that uses it.
  for (DefDecl& def : file->defs) def.callable_in.push_back(RangeOf(main));

  ModuleLoader loader(main, include_dirs, inputs, diagnostics);
  loader.Enter(main);
  loader.LoadUses(main, *file);
  loader.Leave();

  // A command of the probe file may not reuse a module's name: the checker
  // would call one of the two without saying which.
  for (const DefDecl& def : file->defs) {
    for (const DefDecl& imported : loader.defs) {
      if (imported.name != def.name) continue;
      Diagnostic& error = diagnostics.Error(
          def.name_span, "command `" + def.name + "` is also defined in a module",
          "rename one of them");
      error.labels.push_back({imported.name_span, "the module defines it here"});
    }
  }

  // Imported items come first: the probe file's constants may refer to a
  // module's, and its probes call the module's commands.
  file->constants.insert(file->constants.begin(),
                         std::make_move_iterator(loader.constants.begin()),
                         std::make_move_iterator(loader.constants.end()));
  file->defs.insert(file->defs.begin(), std::make_move_iterator(loader.defs.begin()),
                    std::make_move_iterator(loader.defs.end()));
  return diagnostics.error_count() == errors_before;
}

}  // namespace nubpf::frontend
