/* Only the kernel types keascope's BPF programs touch, written by hand
 * instead of a 3 MB bpftool dump. Tracepoint contexts and pt_regs have a
 * stable layout on x86-64, so no CO-RE relocation is needed for them. */
#ifndef KEASCOPE_VMLINUX_MIN_H
#define KEASCOPE_VMLINUX_MIN_H
/* tells bpf_tracing.h to use the kernel's pt_regs field names */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

struct __sk_buff {
	__u32 len;
	/* the rest is not read: the parser test copies bytes with
	 * bpf_skb_load_bytes, which only needs the context pointer */
};

/* The sk_buff fields the arrival probe reads. Unlike the rest of this file
 * its layout changes between kernels, so it is relocated (CO-RE) against
 * the running kernel's BTF: only the names have to match. */
struct sk_buff {
	unsigned int len;
	unsigned int data_len;
	__be16 protocol;
	unsigned char *data;
} __attribute__((preserve_access_index));

/* x86-64 layout of the registers a uprobe sees (arch/x86/include/asm/ptrace.h). */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

/* syscalls:sys_enter_* and sys_exit_* */
struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long id;
	unsigned long args[6];
};

struct trace_event_raw_sys_exit {
	struct trace_entry ent;
	long id;
	long ret;
};

/* udp:udp_fail_queue_rcv_skb, as in its tracefs format file */
struct trace_event_raw_udp_fail_queue_rcv_skb {
	struct trace_entry ent;
	int rc;
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u8 saddr[28];
	__u8 daddr[28];
};

/* user space structures read with bpf_probe_read_user */
struct iovec {
	void *iov_base;
	unsigned long iov_len;
};

struct user_msghdr {
	void *msg_name;
	int msg_namelen;
	struct iovec *msg_iov;
	unsigned long msg_iovlen;
	void *msg_control;
	unsigned long msg_controllen;
	unsigned int msg_flags;
};

#endif
