/* Bounded DHCPv4 header parsing shared by the syscall tracepoints and the
 * socket-filter test program, so BPF_PROG_RUN tests exercise exactly the
 * code that runs on Kea's packets. Every byte access is masked into the
 * scratch buffer, so any input (hostile or truncated) only ever yields a
 * status, never an out-of-bounds read. */
#ifndef KEASCOPE_DHCP_PARSE_H
#define KEASCOPE_DHCP_PARSE_H

/* SCRATCH_SIZE holds an Ethernet frame of the standard MTU; BUF_MASK keeps
 * every index inside it for the verifier. */
#define SCRATCH_SIZE 2048
#define BUF_MASK (SCRATCH_SIZE - 1)
/* READ_MAX bounds the bytes copied from user memory per packet: DHCP
 * messages above an Ethernet MTU are not sent over UDP by Kea. */
#define READ_MAX 1536
/* DHCP fixed header (236 bytes) plus the magic cookie. */
#define DHCP_FIXED 240
/* MAX_OPTIONS bounds the walk to option 53; real clients put it among the
 * first few, and a cap keeps the verifier's work and the per-packet cost
 * fixed whatever the packet says. */
#define MAX_OPTIONS 48

enum parse_status {
	PARSE_OK = 0,
	PARSE_NOT_DHCP = 1,  /* not a UDP/IPv4 frame for the DHCP ports: ignored */
	PARSE_TRUNCATED = 2, /* shorter than the fixed header */
	PARSE_BAD_HEADER = 3, /* wrong op or magic cookie */
	PARSE_NO_TYPE = 4,   /* options end without option 53 */
};

struct dhcp_info {
	__u32 xid;
	__u8 chaddr[6];
	__u8 op;
	__u8 msg_type;
	__u8 status;
	__u8 has_xid;
	__u16 payload_off;
	__u32 len;
};

/* The option walk's state lives in the map value rather than on the stack:
 * the verifier does not track values read from a map, so the bpf_loop
 * callback converges after one pass instead of being simulated for every
 * possible offset. */
struct opt_walk {
	__u32 off;
	__u32 n;
	__u8 msg_type;
	__u8 found;
	__u8 pad[2];
};

struct scratch {
	__u8 buf[SCRATCH_SIZE];
	struct opt_walk walk;
};

static __always_inline __u8 byte_at(const __u8 *buf, __u32 off)
{
	return buf[off & BUF_MASK];
}

/* walk_option is one step of the walk to option 53, run under bpf_loop on
 * the per-CPU scratch buffer the caller filled. */
static struct scratch *scratch_buf(void);

static long walk_option(__u32 i, void *ctx)
{
	struct scratch *s = scratch_buf();
	if (!s)
		return 1;
	struct opt_walk *w = &s->walk;
	if (w->off >= w->n)
		return 1;
	__u8 code = byte_at(s->buf, w->off);
	if (code == 255)
		return 1;
	if (code == 0) {
		w->off++;
		return 0;
	}
	if (w->off + 1 >= w->n)
		return 1;
	__u8 olen = byte_at(s->buf, w->off + 1);
	if (code == 53) {
		if (olen >= 1 && w->off + 2 < w->n) {
			w->msg_type = byte_at(s->buf, w->off + 2);
			w->found = 1;
		}
		return 1;
	}
	w->off += 2 + olen;
	return 0;
}

/* parse_dhcp reads the DHCP message at buf[base..n); buf must be the
 * scratch buffer, which the option walk reads again. */
static __always_inline void parse_dhcp(const __u8 *buf, __u32 base, __u32 n, struct dhcp_info *d)
{
	d->payload_off = base;
	d->len = n > base ? n - base : 0;
	if (n < base + 34) {
		d->status = PARSE_TRUNCATED;
		return;
	}
	d->op = byte_at(buf, base);
	d->xid = ((__u32)byte_at(buf, base + 4) << 24) | ((__u32)byte_at(buf, base + 5) << 16) |
		 ((__u32)byte_at(buf, base + 6) << 8) | byte_at(buf, base + 7);
	for (int i = 0; i < 6; i++)
		d->chaddr[i] = byte_at(buf, base + 28 + i);
	d->has_xid = 1;
	if (n < base + DHCP_FIXED) {
		d->status = PARSE_TRUNCATED;
		return;
	}
	if ((d->op != 1 && d->op != 2) || byte_at(buf, base + 236) != 99 ||
	    byte_at(buf, base + 237) != 130 || byte_at(buf, base + 238) != 83 ||
	    byte_at(buf, base + 239) != 99) {
		d->status = PARSE_BAD_HEADER;
		return;
	}
	struct scratch *s = scratch_buf();
	if (!s)
		return;
	s->walk.off = base + DHCP_FIXED;
	s->walk.n = n;
	s->walk.found = 0;
	s->walk.msg_type = 0;
	bpf_loop(MAX_OPTIONS, walk_option, 0, 0);
	if (s->walk.found) {
		d->msg_type = s->walk.msg_type;
		d->status = PARSE_OK;
		return;
	}
	d->status = PARSE_NO_TYPE;
}

/* parse_frame finds the DHCP message in an Ethernet frame as Kea's raw
 * (LPF) sockets read and write them. want_port is the UDP destination
 * port of queries (67) or the source port of responses (67). */
static __always_inline void parse_frame(const __u8 *buf, __u32 n, int by_dport, struct dhcp_info *d)
{
	if (n < 14 + 20 + 8 || byte_at(buf, 12) != 0x08 || byte_at(buf, 13) != 0x00) {
		d->status = PARSE_NOT_DHCP;
		return;
	}
	__u8 vihl = byte_at(buf, 14);
	__u32 ihl = (vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || ihl < 20 || byte_at(buf, 14 + 9) != 17) {
		d->status = PARSE_NOT_DHCP;
		return;
	}
	__u32 udp = 14 + ihl;
	if (n < udp + 8) {
		d->status = PARSE_NOT_DHCP;
		return;
	}
	__u32 port_off = by_dport ? udp + 2 : udp;
	if (byte_at(buf, port_off) != 0 || byte_at(buf, port_off + 1) != 67) {
		d->status = PARSE_NOT_DHCP;
		return;
	}
	parse_dhcp(buf, udp + 8, n, d);
}

#endif
