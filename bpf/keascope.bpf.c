//go:build ignore

/* keascope's probes on kea-dhcp4. The default set is syscall tracepoints
 * only: Kea's receive (recvmsg on its UDP socket, read on its packet
 * socket) and send (sendmsg, sendto) calls carry the whole DHCP message, so
 * parsing it here gives type, xid and client of every packet and pairs
 * each response with its query without a single uprobe hit. The deep set
 * adds uprobes on Kea's libraries for per-phase times, Kea's own counter
 * bumps, exceptions and error logs.
 *
 * Counts and histograms are aggregated here, not streamed, so no load can
 * lose them; the ring buffer only carries per-packet events when asked for
 * and the rare exception/log events. */

#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "dhcp_parse.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set at load time by the loader. */
volatile const __u8 cfg_events = 0; /* stream one event per answered or malformed packet */

/* Counter indices; the Go side reads the array by these names. */
enum counter {
	CNT_RX_BASE = 0,   /* + message type 0..15 (16+ folded into 15) */
	CNT_TX_BASE = 16,  /* + message type */
	CNT_MALFORMED = 32,      /* queries that fail the header parse */
	CNT_MALFORMED_TRUNC = 33,
	CNT_MALFORMED_HEADER = 34,
	CNT_MALFORMED_NOTYPE = 35,
	CNT_ANSWERED = 36,
	CNT_TX_UNMATCHED = 37,   /* responses with no query seen (read before keascope attached) */
	CNT_PENDING_FULL = 38,   /* pending table full: a query not tracked */
	CNT_RETRANSMIT = 39,     /* a query replaced an unanswered one with the same xid and client */
	CNT_EVENTS_LOST = 40,    /* ring buffer full */
	CNT_KERNEL_DROPS = 41,   /* UDP socket buffer overflows on port 67 */
	CNT_NO_REPLY_EXPECTED = 42, /* release, decline: no response by design */
	CNT_STATS_LOST = 43,     /* Kea counter table full */
	CNT_RX_UDP = 44,         /* queries read with recvmsg: Kea's udp socket mode */
	CNT_RX_RAW = 45,         /* queries read with read: Kea's raw (LPF) socket mode */
	CNT_SEND_FAILED = 46,    /* responses the kernel refused: the query counts as dropped */
	CNT_NO_ARRIVAL = 47,     /* queries read with no arrival seen: no queue wait recorded */
	CNT_MAX = 48,
};

/* Histogram ids: latency of (query q, response r) is HIST_LAT + q*16 + r,
 * phases are HIST_PHASE + phase. */
enum hist_id {
	HIST_LAT = 0,
	HIST_PHASE = 256,
};

enum phase {
	PHASE_QUEUE_WAIT = 0,
	PHASE_PARSE = 1,
	PHASE_ALLOCATE = 2,
	PHASE_LEASE_WRITE = 3,
	PHASE_PACK = 4,
	PHASE_MAX = 5,
};

enum event_kind {
	EV_ANSWERED = 1,
	EV_MALFORMED = 2,
	EV_EXCEPTION = 3,
	EV_LOG_ERROR = 4,
	EV_LOG_WARN = 5,
};

/* SUB_BITS matches metrics.SubBucketBits: the Go histogram and this index
 * must agree bucket for bucket. MAX_NS is metrics.MaxValue. */
#define SUB_BITS 6
#define SUB_BUCKETS (1 << SUB_BITS)
#define MAX_NS ((1ULL << 37) - 1)
#define TEXT_LEN 128
#define FILE_LEN 64
#define STAT_NAME_LEN 64

struct hist_key {
	__u16 hist;
	__u16 bucket;
};

struct pending_key {
	__u32 xid;
	__u8 chaddr[6];
	__u16 pad;
};

struct pending_query {
	__u64 ts;
	__u64 queue_ns;
	__u32 tid;
	__u8 qtype;
	__u8 pad[3];
};

/* What a syscall's enter saved for its exit. */
struct inflight {
	__u64 ptr; /* msghdr (recvmsg) or buffer (read) */
	__u32 kind;
	__u32 pad;
};

enum inflight_kind {
	IN_RECVMSG = 1,
	IN_READ = 2,
};

/* A response parsed at send entry, accounted at exit once the kernel took it. */
struct send_state {
	__u64 ts;
	struct dhcp_info d;
};

struct phase_key {
	__u32 tid;
	__u32 phase;
};

struct thread_phases {
	__u64 ns[PHASE_MAX];
};

struct event {
	__u64 ts;
	__u64 latency_ns;
	__u64 phase_ns[PHASE_MAX];
	__u32 kind;
	__u32 xid;
	__u32 tid;
	__u32 line;
	__u8 chaddr[6];
	__u8 qtype;
	__u8 rtype;
	__u8 status;
	__u8 pad[7];
	char text[TEXT_LEN];
	char file[FILE_LEN];
};

struct stat_key {
	char name[STAT_NAME_LEN];
};

/* Emits struct event into BTF for bpf2go: the ring buffer has no value type. */
const struct event *unused_event __attribute__((unused));

/* Arrival of every DHCP query on any interface of the host: (xid, client
 * hardware address) → bpf_ktime_get_ns() at netif_receive_skb. Kea's read
 * of the query takes its entry out; LRU bounds what is never read (other
 * servers, queries dropped in the kernel). Keyed by the message rather than
 * the sk_buff because the skb Kea reads is not always the one that arrived:
 * a packet socket (raw mode) reads a clone, and UDP copies small linear
 * datagrams without a tracepoint naming the skb. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct pending_key);
	__type(value, __u64);
} arrivals SEC(".maps");

/* Kea processes to watch: tgid → 1. A map rather than a constant so a
 * restarted Kea is followed without reloading the programs. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} watched SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Cumulative; user space takes differences per interval. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct hist_key);
	__type(value, __u64);
} hists SEC(".maps");

/* Queries read and not yet answered; user space ages out the unanswered. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct pending_key);
	__type(value, struct pending_query);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct send_state);
} sending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* Deep set: uprobe entry times and per-thread phase sums for events. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct phase_key);
	__type(value, __u64);
} phase_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct thread_phases);
} thread_phases SEC(".maps");

/* Kea's own statistics bumps by name, cumulative. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct stat_key);
	__type(value, __s64);
} kea_stats SEC(".maps");

/* The parser test's output. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dhcp_info);
} test_result SEC(".maps");

static __always_inline int is_watched(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	return bpf_map_lookup_elem(&watched, &tgid) != 0;
}

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline __u32 type_slot(__u8 t)
{
	return t > 15 ? 15 : t;
}

/* bucket_index is metrics.BucketIndex: bit length, then a shift. */
static __always_inline __u16 bucket_index(__u64 v)
{
	if (v > MAX_NS)
		v = MAX_NS;
	if (v < 2 * SUB_BUCKETS)
		return v;
	__u32 bits = 0;
	__u64 x = v;
	if (x >> 32) { bits += 32; x >>= 32; }
	if (x >> 16) { bits += 16; x >>= 16; }
	if (x >> 8) { bits += 8; x >>= 8; }
	if (x >> 4) { bits += 4; x >>= 4; }
	if (x >> 2) { bits += 2; x >>= 2; }
	if (x >> 1) { bits += 1; x >>= 1; }
	bits += x; /* bit length */
	__u32 shift = bits - (SUB_BITS + 1);
	return (shift + 1) * SUB_BUCKETS + (__u32)(v >> shift) - SUB_BUCKETS;
}

/* A global (non-static) function is verified once on its own, not again on
 * every path of every caller: the bit-length branches would otherwise
 * multiply the parser's paths past the verifier's budget. */
__noinline int hist_add(__u32 hist, __u64 ns)
{
	struct hist_key k = {.hist = hist, .bucket = bucket_index(ns)};
	__u64 *v = bpf_map_lookup_elem(&hists, &k);
	if (v) {
		__sync_fetch_and_add(v, 1);
		return 0;
	}
	__u64 one = 1;
	if (bpf_map_update_elem(&hists, &k, &one, BPF_NOEXIST) == 0)
		return 0;
	v = bpf_map_lookup_elem(&hists, &k); /* another CPU created it meanwhile */
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

static struct scratch *scratch_buf(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch, &zero);
}

static __always_inline struct scratch *get_scratch(void)
{
	return scratch_buf();
}

static __always_inline __u32 copy_user(struct scratch *s, const void *ptr, long n)
{
	if (n <= 0)
		return 0;
	if (n > READ_MAX)
		n = READ_MAX;
	if (bpf_probe_read_user(s->buf, n, ptr) != 0)
		return 0;
	return n;
}

static __always_inline void emit_malformed(struct dhcp_info *d)
{
	if (!cfg_events)
		return;
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(CNT_EVENTS_LOST);
		return;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = EV_MALFORMED;
	e->ts = bpf_ktime_get_ns();
	e->xid = d->xid;
	__builtin_memcpy(e->chaddr, d->chaddr, 6);
	e->qtype = d->msg_type;
	e->status = d->status;
	e->tid = (__u32)bpf_get_current_pid_tgid();
	bpf_ringbuf_submit(e, 0);
}

/* queue_wait records how long the query k waited between its arrival at an
 * interface and Kea's read returning it at now (phases_us.queue_wait) and
 * returns it; 0 when its arrival was not seen. */
static __always_inline __u64 queue_wait(struct pending_key *k, __u64 now)
{
	__u64 *at = bpf_map_lookup_elem(&arrivals, k);
	if (!at || *at > now) {
		count(CNT_NO_ARRIVAL);
		return 0;
	}
	__u64 wait = now - *at;
	bpf_map_delete_elem(&arrivals, k);
	hist_add(HIST_PHASE + PHASE_QUEUE_WAIT, wait);
	return wait;
}

/* on_query accounts one message Kea read. */
static __always_inline void on_query(struct dhcp_info *d)
{
	if (d->status == PARSE_NOT_DHCP)
		return;
	if (d->status != PARSE_OK && d->status != PARSE_NO_TYPE) {
		count(CNT_MALFORMED);
		count(d->status == PARSE_TRUNCATED ? CNT_MALFORMED_TRUNC : CNT_MALFORMED_HEADER);
		emit_malformed(d);
		return;
	}
	if (d->op != 1) /* a BOOTREPLY sent to Kea: Kea ignores it */
		return;
	__u64 now = bpf_ktime_get_ns();
	count(CNT_RX_BASE + type_slot(d->msg_type));
	struct pending_key k = {.xid = d->xid};
	__builtin_memcpy(k.chaddr, d->chaddr, 6);
	__u64 wait = queue_wait(&k, now);
	if (d->status == PARSE_NO_TYPE)
		count(CNT_MALFORMED_NOTYPE);
	if (d->msg_type == 4 || d->msg_type == 7) {
		count(CNT_NO_REPLY_EXPECTED);
		return;
	}
	struct pending_query p = {
		.ts = now,
		.queue_ns = wait,
		.tid = (__u32)bpf_get_current_pid_tgid(),
		.qtype = d->msg_type,
	};
	if (bpf_map_update_elem(&pending, &k, &p, BPF_NOEXIST) == 0)
		return;
	if (bpf_map_lookup_elem(&pending, &k)) {
		count(CNT_RETRANSMIT);
		bpf_map_update_elem(&pending, &k, &p, BPF_ANY);
		return;
	}
	count(CNT_PENDING_FULL);
}

/* on_send remembers a response until its send returns. */
static __always_inline void on_send(struct dhcp_info *d)
{
	if (d->status != PARSE_OK || d->op != 2)
		return;
	__u64 id = bpf_get_current_pid_tgid();
	struct send_state st = {.ts = bpf_ktime_get_ns(), .d = *d};
	bpf_map_update_elem(&sending, &id, &st, BPF_ANY);
}

/* on_response accounts one message Kea sent and pairs it with its query;
 * now is when Kea started the send. A failed send is no answer. */
static __always_inline void on_response(struct dhcp_info *d, __u64 now, long ret)
{
	struct pending_key k = {.xid = d->xid};
	__builtin_memcpy(k.chaddr, d->chaddr, 6);
	if (ret < 0) {
		count(CNT_SEND_FAILED);
		bpf_map_delete_elem(&pending, &k);
		return;
	}
	count(CNT_TX_BASE + type_slot(d->msg_type));
	struct pending_query *p = bpf_map_lookup_elem(&pending, &k);
	if (!p) {
		count(CNT_TX_UNMATCHED);
		return;
	}
	__u64 lat = now - p->ts;
	__u64 wait = p->queue_ns;
	__u8 q = p->qtype;
	bpf_map_delete_elem(&pending, &k);
	count(CNT_ANSWERED);
	hist_add(HIST_LAT + type_slot(q) * 16 + type_slot(d->msg_type), lat);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct thread_phases *tp = bpf_map_lookup_elem(&thread_phases, &tid);
	if (cfg_events) {
		struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e) {
			count(CNT_EVENTS_LOST);
		} else {
			__builtin_memset(e, 0, sizeof(*e));
			e->kind = EV_ANSWERED;
			e->ts = now;
			e->latency_ns = lat;
			e->xid = d->xid;
			e->tid = tid;
			__builtin_memcpy(e->chaddr, d->chaddr, 6);
			e->qtype = q;
			e->rtype = d->msg_type;
			if (tp)
				__builtin_memcpy(e->phase_ns, tp->ns, sizeof(tp->ns));
			e->phase_ns[PHASE_QUEUE_WAIT] = wait;
			bpf_ringbuf_submit(e, 0);
		}
	}
	if (tp)
		__builtin_memset(tp, 0, sizeof(*tp));
}

static __always_inline void save_inflight(__u64 ptr, __u32 kind)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct inflight in = {.ptr = ptr, .kind = kind};
	bpf_map_update_elem(&inflight, &id, &in, BPF_ANY);
}

/* read_msghdr copies the first iovec of a msghdr whose name is an IPv4
 * address: Kea's DHCP socket, not its control channel (which has no name). */
static __always_inline __u32 read_msghdr(struct scratch *s, const struct user_msghdr *um, long max)
{
	struct user_msghdr m;
	struct iovec iov;
	__u16 family = 0;
	if (bpf_probe_read_user(&m, sizeof(m), um) != 0 || !m.msg_name || m.msg_iovlen < 1)
		return 0;
	if (bpf_probe_read_user(&family, sizeof(family), m.msg_name) != 0 || family != 2 /* AF_INET */)
		return 0;
	if (bpf_probe_read_user(&iov, sizeof(iov), m.msg_iov) != 0)
		return 0;
	long n = (long)iov.iov_len < max ? (long)iov.iov_len : max;
	return copy_user(s, iov.iov_base, n);
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int enter_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	if (is_watched())
		save_inflight(ctx->args[1], IN_RECVMSG);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_read")
int enter_read(struct trace_event_raw_sys_enter *ctx)
{
	if (is_watched())
		save_inflight(ctx->args[1], IN_READ);
	return 0;
}

static __always_inline int on_receive_exit(long ret, __u32 want)
{
	if (!is_watched())
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	struct inflight *in = bpf_map_lookup_elem(&inflight, &id);
	if (!in)
		return 0;
	__u64 ptr = in->ptr;
	__u32 kind = in->kind;
	bpf_map_delete_elem(&inflight, &id);
	if (kind != want || ret <= 0)
		return 0;
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	struct dhcp_info d = {};
	if (kind == IN_RECVMSG) {
		__u32 n = read_msghdr(s, (const struct user_msghdr *)ptr, ret);
		if (n == 0)
			return 0;
		parse_dhcp(s->buf, 0, n, &d);
		if (d.status != PARSE_NOT_DHCP)
			count(CNT_RX_UDP);
	} else {
		__u32 n = copy_user(s, (const void *)ptr, ret);
		if (n == 0)
			return 0;
		parse_frame(s->buf, n, 1, &d);
		if (d.status != PARSE_NOT_DHCP)
			count(CNT_RX_RAW);
	}
	on_query(&d);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	return on_receive_exit(ctx->ret, IN_RECVMSG);
}

SEC("tracepoint/syscalls/sys_exit_read")
int exit_read(struct trace_event_raw_sys_exit *ctx)
{
	return on_receive_exit(ctx->ret, IN_READ);
}

/* Sends are parsed at entry: the buffer is complete, and the send time is
 * when Kea hands the response to the kernel. */
SEC("tracepoint/syscalls/sys_enter_sendmsg")
int enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	if (!is_watched())
		return 0;
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	__u32 n = read_msghdr(s, (const struct user_msghdr *)ctx->args[1], READ_MAX);
	if (n == 0)
		return 0;
	struct dhcp_info d = {};
	parse_dhcp(s->buf, 0, n, &d);
	on_send(&d);
	return 0;
}

/* Raw mode: Kea writes whole Ethernet frames with sendto on its packet socket. */
SEC("tracepoint/syscalls/sys_enter_sendto")
int enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	if (!is_watched())
		return 0;
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	__u32 n = copy_user(s, (const void *)ctx->args[1], (long)ctx->args[2]);
	if (n == 0)
		return 0;
	struct dhcp_info d = {};
	parse_frame(s->buf, n, 0, &d);
	on_send(&d);
	return 0;
}

static __always_inline int on_send_exit(long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct send_state *st = bpf_map_lookup_elem(&sending, &id);
	if (!st)
		return 0;
	struct send_state copy = *st;
	bpf_map_delete_elem(&sending, &id);
	on_response(&copy.d, copy.ts, ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int exit_sendmsg(struct trace_event_raw_sys_exit *ctx)
{
	return on_send_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int exit_sendto(struct trace_event_raw_sys_exit *ctx)
{
	return on_send_exit(ctx->ret);
}

/* Fires in softirq context, so it cannot be tied to a Kea process: every
 * overflow of a UDP socket on port 67 in any namespace is counted. */
SEC("tracepoint/udp/udp_fail_queue_rcv_skb")
int udp_fail(struct trace_event_raw_udp_fail_queue_rcv_skb *ctx)
{
	if (ctx->dport == 67 || ctx->dport == (67 << 8))
		count(CNT_KERNEL_DROPS);
	return 0;
}

/* Arrival of a DHCP query: fires for every packet any interface of the host
 * receives, in any namespace (veths included), so it filters first on what
 * sits in the sk_buff itself, then on one read of the IPv4 and UDP headers,
 * and remembers only BOOTREQUESTs to port 67. skb->data is at the network
 * header here (the driver pulled the Ethernet header). A query that passes
 * two interfaces (a bridge, a veth pair) keeps the later, nearer Kea. */
struct arrival_hdr {
	__u8 udp[8];
	__u8 dhcp[34]; /* op .. chaddr */
};

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(netif_rx, struct sk_buff *skb)
{
	if (skb->protocol != 0x0008) /* htons(ETH_P_IP) */
		return 0;
	__u32 headlen = skb->len - skb->data_len;
	if (headlen < 20 + sizeof(struct arrival_hdr))
		return 0;
	const __u8 *data = skb->data;
	__u8 ip[20];
	if (bpf_probe_read_kernel(ip, sizeof(ip), data) != 0)
		return 0;
	if (ip[9] != 17 /* UDP */ || (ip[0] >> 4) != 4 || ((ip[6] & 0x1f) | ip[7]) != 0)
		return 0; /* not UDP, or a later fragment */
	__u32 ihl = (ip[0] & 0xf) * 4;
	if (ihl < 20 || headlen < ihl + sizeof(struct arrival_hdr))
		return 0;
	struct arrival_hdr h;
	if (bpf_probe_read_kernel(&h, sizeof(h), data + ihl) != 0)
		return 0;
	if (h.udp[2] != 0 || h.udp[3] != 67 || h.dhcp[0] != 1 /* BOOTREQUEST */)
		return 0;
	struct pending_key k = {
		.xid = ((__u32)h.dhcp[4] << 24) | ((__u32)h.dhcp[5] << 16) | ((__u32)h.dhcp[6] << 8) | h.dhcp[7],
	};
	__builtin_memcpy(k.chaddr, &h.dhcp[28], 6);
	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&arrivals, &k, &now, BPF_ANY);
	return 0;
}

/* ---- deep set: uprobes on Kea's libraries ---- */

static __always_inline int phase_enter(__u32 phase)
{
	if (!is_watched())
		return 0;
	struct phase_key k = {.tid = (__u32)bpf_get_current_pid_tgid(), .phase = phase};
	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&phase_start, &k, &now, BPF_ANY);
	return 0;
}

static __always_inline int phase_exit(__u32 phase)
{
	struct phase_key k = {.tid = (__u32)bpf_get_current_pid_tgid(), .phase = phase};
	__u64 *start = bpf_map_lookup_elem(&phase_start, &k);
	if (!start)
		return 0;
	__u64 dur = bpf_ktime_get_ns() - *start;
	bpf_map_delete_elem(&phase_start, &k);
	hist_add(HIST_PHASE + phase, dur);
	if (!cfg_events)
		return 0;
	__u32 tid = k.tid;
	struct thread_phases *tp = bpf_map_lookup_elem(&thread_phases, &tid);
	if (!tp) {
		struct thread_phases zero = {};
		bpf_map_update_elem(&thread_phases, &tid, &zero, BPF_NOEXIST);
		tp = bpf_map_lookup_elem(&thread_phases, &tid);
		if (!tp)
			return 0;
	}
	if (phase < PHASE_MAX)
		tp->ns[phase] += dur;
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(parse_enter) { return phase_enter(PHASE_PARSE); }
SEC("uretprobe")
int BPF_KRETPROBE(parse_exit) { return phase_exit(PHASE_PARSE); }
SEC("uprobe")
int BPF_KPROBE(allocate_enter) { return phase_enter(PHASE_ALLOCATE); }
SEC("uretprobe")
int BPF_KRETPROBE(allocate_exit) { return phase_exit(PHASE_ALLOCATE); }
SEC("uprobe")
int BPF_KPROBE(lease_write_enter) { return phase_enter(PHASE_LEASE_WRITE); }
SEC("uretprobe")
int BPF_KRETPROBE(lease_write_exit) { return phase_exit(PHASE_LEASE_WRITE); }
SEC("uprobe")
int BPF_KPROBE(pack_enter) { return phase_enter(PHASE_PACK); }
SEC("uretprobe")
int BPF_KRETPROBE(pack_exit) { return phase_exit(PHASE_PACK); }

/* StatsMgr::addValue(const std::string& name, int64_t value): arg1 points at
 * a libstdc++ string, whose first two words are {char *data; size_t len}. */
SEC("uprobe")
int BPF_KPROBE(stats_add, void *self, void *name, long value)
{
	if (!is_watched())
		return 0;
	struct {
		const char *p;
		unsigned long len;
	} str;
	if (bpf_probe_read_user(&str, sizeof(str), name) != 0)
		return 0;
	struct stat_key k = {};
	unsigned long n = str.len;
	if (n > STAT_NAME_LEN - 1)
		n = STAT_NAME_LEN - 1;
	if (bpf_probe_read_user(k.name, n & (STAT_NAME_LEN - 1), str.p) != 0)
		return 0;
	__s64 *v = bpf_map_lookup_elem(&kea_stats, &k);
	if (v) {
		__sync_fetch_and_add(v, value);
		return 0;
	}
	if (bpf_map_update_elem(&kea_stats, &k, &value, BPF_NOEXIST) != 0) {
		v = bpf_map_lookup_elem(&kea_stats, &k);
		if (v)
			__sync_fetch_and_add(v, value);
		else
			count(CNT_STATS_LOST);
	}
	return 0;
}

/* isc::Exception::Exception(const char* file, size_t line, const char* what) */
SEC("uprobe")
int BPF_KPROBE(exception_ctor, void *self, const char *file, unsigned long line, const char *what)
{
	if (!is_watched())
		return 0;
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(CNT_EVENTS_LOST);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = EV_EXCEPTION;
	e->ts = bpf_ktime_get_ns();
	e->tid = (__u32)bpf_get_current_pid_tgid();
	e->line = line;
	bpf_probe_read_user_str(e->text, sizeof(e->text), what);
	bpf_probe_read_user_str(e->file, sizeof(e->file), file);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* Logger::error/warn(const MessageID& id) return a Formatter by value, so
 * arg0 is the hidden return slot, arg1 the logger and arg2 points at the
 * message id (a const char*). */
static __always_inline int log_event(const char *const *idp, __u32 kind)
{
	if (!is_watched())
		return 0;
	const char *id = 0;
	if (bpf_probe_read_user(&id, sizeof(id), idp) != 0)
		return 0;
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(CNT_EVENTS_LOST);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ts = bpf_ktime_get_ns();
	e->tid = (__u32)bpf_get_current_pid_tgid();
	bpf_probe_read_user_str(e->text, sizeof(e->text), id);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(log_error, void *ret, void *self, const char *const *id) { return log_event(id, EV_LOG_ERROR); }
SEC("uprobe")
int BPF_KPROBE(log_warn, void *ret, void *self, const char *const *id) { return log_event(id, EV_LOG_WARN); }

/* ---- test only: runs the parsers on bytes given to BPF_PROG_RUN ---- */

static __always_inline int run_test(struct __sk_buff *skb, int frame)
{
	struct scratch *s = get_scratch();
	__u32 zero = 0;
	struct dhcp_info *out = bpf_map_lookup_elem(&test_result, &zero);
	if (!s || !out)
		return 0;
	__u32 n = skb->len;
	if (n > READ_MAX)
		n = READ_MAX;
	if (n == 0 || bpf_skb_load_bytes(skb, 0, s->buf, n) != 0)
		return 0;
	struct dhcp_info d = {};
	if (frame)
		parse_frame(s->buf, n, 1, &d);
	else
		parse_dhcp(s->buf, 0, n, &d);
	*out = d;
	return 1;
}

SEC("socket")
int test_parse_payload(struct __sk_buff *skb) { return run_test(skb, 0); }

SEC("socket")
int test_parse_frame(struct __sk_buff *skb) { return run_test(skb, 1); }
