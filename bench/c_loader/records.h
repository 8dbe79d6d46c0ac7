/* Records that the hand-written BPF programs send through their ring buffer,
 * shared by the programs and the loader. Each starts with its kind, so the
 * one loader can decode every program's records. */
#ifndef BENCH_RECORDS_H
#define BENCH_RECORDS_H

#define COMM_LEN 16
#define PATH_LEN 256

enum record_kind {
  RECORD_GETPPID = 1,
  RECORD_OPEN = 2,
};

struct getppid_record {
  __u32 kind;
  __u32 pid;
  __u64 ts;
  char comm[COMM_LEN];
};

struct open_record {
  __u32 kind;
  __u32 pid;
  char comm[COMM_LEN];
  char file[PATH_LEN];
};

#endif
