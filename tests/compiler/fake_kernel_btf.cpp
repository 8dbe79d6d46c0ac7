#include "fake_kernel_btf.h"

#include <bpf/btf.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace nubpf::testing {
namespace {

// Adds types in the order C declares them; each call returns the new id.
class BtfWriter {
 public:
  BtfWriter() : btf_(btf__new_empty()) {
    if (btf_ == nullptr) throw std::runtime_error("btf__new_empty failed");
  }
  ~BtfWriter() { btf__free(btf_); }

  int Int(const char* name, size_t size, int encoding) {
    return Check(btf__add_int(btf_, name, size, encoding));
  }
  int Pointer(int type) { return Check(btf__add_ptr(btf_, type)); }
  int Const(int type) { return Check(btf__add_const(btf_, type)); }
  int Typedef(const char* name, int type) { return Check(btf__add_typedef(btf_, name, type)); }
  int Array(int element, uint32_t count) {
    return Check(btf__add_array(btf_, index_type_, element, count));
  }
  int Forward(const char* name) { return Check(btf__add_fwd(btf_, name, BTF_FWD_STRUCT)); }

  // A struct or union; `Field` adds its members right after.
  int Struct(const char* name, uint32_t size) { return Check(btf__add_struct(btf_, name, size)); }
  int Union(const char* name, uint32_t size) { return Check(btf__add_union(btf_, name, size)); }
  void Field(const char* name, int type, uint32_t bit_offset, uint32_t bitfield_size = 0) {
    Check(btf__add_field(btf_, name, type, bit_offset, bitfield_size));
  }
  int Enum(const char* name, uint32_t size) { return Check(btf__add_enum(btf_, name, size)); }
  void Value(const char* name, int64_t value) { Check(btf__add_enum_value(btf_, name, value)); }

  void SetIndexType(int type) { index_type_ = type; }
  // The id the next type added gets.
  int NextId() const { return static_cast<int>(btf__type_cnt(btf_)); }

  void Save(const std::string& path) {
    uint32_t size = 0;
    const void* data = btf__raw_data(btf_, &size);
    std::ofstream(path, std::ios::binary).write(static_cast<const char*>(data), size);
  }

 private:
  int Check(int id) {
    if (id < 0) throw std::runtime_error("adding a BTF type failed");
    return id;
  }

  struct btf* btf_;
  int index_type_ = 0;
};

// The types, as C declares them in Linux, with offsets in bytes:
//
//   typedef int pid_t;
//   typedef struct { unsigned int val; } kuid_t;
//   enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_SID };
//   struct sched_entity { u64 load; u64 vruntime; };           // size 16
//   struct upid { int nr; };                                   // size 4
//   struct pid { unsigned int level; struct upid numbers[]; };  // size 4
//   struct qstr { u32 hash; const unsigned char *name; };       // size 16
//   struct dentry { struct qstr d_name; };                      // size 16
//   struct path { void *mnt; struct dentry *dentry; };          // size 16
//   struct file { struct path f_path; };                        // size 16
//   struct mm_struct { unsigned long total_vm; struct file *exe_file; };
//   struct cred { kuid_t uid; };                                // size 4
//   struct files_struct;                                        // declared only
//   struct stat { long st_size; };                              // size 8
//   struct task_struct {                                        // size 128
//     unsigned int __state;                     //   0
//     unsigned int flags;                       //   4
//     struct sched_entity se;                   //   8
//     unsigned int sched_reset_on_fork : 1;     //  24, bit 0
//     unsigned int sched_contributes_to_load : 1;  // 24, bit 1
//     pid_t pid;                                //  28
//     pid_t tgid;                               //  32
//     struct task_struct *real_parent;          //  40
//     struct pid *thread_pid;                   //  48
//     int prio_array[4];                        //  56
//     union { enum pid_type kind; unsigned int raw; };  // 72
//     char comm[16];                            //  76
//     struct mm_struct *mm;                     //  96
//     const struct cred *cred;                  // 104
//     struct files_struct *files;               // 112
//     const char *name;                         // 120
//   };
void WriteTypes(BtfWriter& w, const std::string& path) {
  int u32 = w.Int("unsigned int", 4, 0);
  w.SetIndexType(u32);
  int s32 = w.Int("int", 4, BTF_INT_SIGNED);
  int u64 = w.Int("long long unsigned int", 8, 0);
  int ulong = w.Int("long unsigned int", 8, 0);
  int character = w.Int("char", 1, 0);
  int unsigned_character = w.Int("unsigned char", 1, 0);
  int pid_t = w.Typedef("pid_t", s32);

  int kuid_struct = w.Struct(nullptr, 4);
  w.Field("val", u32, 0);
  int kuid_t = w.Typedef("kuid_t", kuid_struct);

  int pid_type = w.Enum("pid_type", 4);
  w.Value("PIDTYPE_PID", 0);
  w.Value("PIDTYPE_TGID", 1);
  w.Value("PIDTYPE_PGID", 2);
  w.Value("PIDTYPE_SID", 3);

  int sched_entity = w.Struct("sched_entity", 16);
  w.Field("load", u64, 0);
  w.Field("vruntime", u64, 64);

  int upid = w.Struct("upid", 4);
  w.Field("nr", s32, 0);
  int numbers = w.Array(upid, 0);
  int pid = w.Struct("pid", 4);
  w.Field("level", u32, 0);
  w.Field("numbers", numbers, 32);

  int name_pointer = w.Pointer(w.Const(unsigned_character));
  int qstr = w.Struct("qstr", 16);
  w.Field("hash", u32, 0);
  w.Field("name", name_pointer, 64);
  int dentry = w.Struct("dentry", 16);
  w.Field("d_name", qstr, 0);
  int void_pointer = w.Pointer(0);
  int dentry_pointer = w.Pointer(dentry);
  int path_struct = w.Struct("path", 16);
  w.Field("mnt", void_pointer, 0);
  w.Field("dentry", dentry_pointer, 64);
  int file = w.Struct("file", 16);
  w.Field("f_path", path_struct, 0);
  int file_pointer = w.Pointer(file);
  int mm_struct = w.Struct("mm_struct", 16);
  w.Field("total_vm", ulong, 0);
  w.Field("exe_file", file_pointer, 64);
  int cred = w.Struct("cred", 4);
  w.Field("uid", kuid_t, 0);
  int files_struct = w.Forward("files_struct");
  int s64 = w.Int("long int", 8, BTF_INT_SIGNED);
  w.Struct("stat", 8);
  w.Field("st_size", s64, 0);

  int anonymous_union = w.Union(nullptr, 4);
  w.Field("kind", pid_type, 0);
  w.Field("raw", u32, 0);

  // Every member's type exists before the struct, because libbpf adds
  // members right after their struct. The pointer to the struct itself
  // names the id the struct gets next.
  int member_types[] = {w.Pointer(pid), w.Array(s32, 4), w.Array(character, 16),
                       w.Pointer(mm_struct), w.Pointer(w.Const(cred)),
                       w.Pointer(files_struct), w.Pointer(w.Const(character))};
  int task_pointer = w.Pointer(w.NextId() + 1);
  w.Struct("task_struct", 128);
  w.Field("__state", u32, 0);
  w.Field("flags", u32, 32);
  w.Field("se", sched_entity, 64);
  w.Field("sched_reset_on_fork", u32, 192, 1);
  w.Field("sched_contributes_to_load", u32, 193, 1);
  w.Field("pid", pid_t, 224);
  w.Field("tgid", pid_t, 256);
  w.Field("real_parent", task_pointer, 320);
  w.Field("thread_pid", member_types[0], 384);
  w.Field("prio_array", member_types[1], 448);
  w.Field("", anonymous_union, 576);
  w.Field("comm", member_types[2], 608);
  w.Field("mm", member_types[3], 768);
  w.Field("cred", member_types[4], 832);
  w.Field("files", member_types[5], 896);
  w.Field("name", member_types[6], 960);
  w.Save(path);
}

}  // namespace

FakeKernelBtf::FakeKernelBtf() {
  char pattern[] = "/tmp/nubpf-btf-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  path_ = folder_ + "/vmlinux";
  BtfWriter writer;
  WriteTypes(writer, path_);
}

FakeKernelBtf::~FakeKernelBtf() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::string KernelBtfFor(const std::string& golden_name, const FakeKernelBtf& fake) {
  return golden_name.rfind("kernel_", 0) == 0 ? fake.path() : "";
}

}  // namespace nubpf::testing
