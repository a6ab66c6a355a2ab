#ifndef CPLATFORMSHIMS_H
#define CPLATFORMSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>

/// Sets this thread's timer slack in nanoseconds with prctl(PR_SET_TIMERSLACK). Returns 0 or -1 (errno set).
int shim_set_timer_slack(unsigned long nanoseconds);

/// Asks for SCHED_FIFO at the given priority for the calling thread (pthread_setschedparam). Returns 0 or an errno value.
int shim_set_fifo_priority(int priority);

/// Turns on SO_TIMESTAMPNS so that shim_receive_timestamped gets kernel receive times. Returns 0 or -1.
int shim_enable_receive_timestamps(int fd);

/// Receives one datagram with recvmsg(2) and the kernel's CLOCK_REALTIME receive time (SCM_TIMESTAMPNS).
/// Returns the datagram's length, or -1 with errno set (EINTR included: the caller retries, through Platform's
/// `retryingInterrupts`). `timestamp` is zeroed when the kernel gave none.
long shim_receive_timestamped(int fd, void *buffer, size_t capacity, struct timespec *timestamp);

/// The kernel's NTP state from adjtimex(2): returns 1 when synchronised (state not TIME_ERROR and
/// STA_UNSYNC clear), 0 when not, -1 on error; fills the estimated and maximum error in microseconds.
int shim_ntp_state(long *estimated_error_us, long *maximum_error_us);

/// The rows of the terminal `fd` is (ioctl TIOCGWINSZ), or -1 when it is none or does not say.
int shim_terminal_rows(int fd);

/// Fills `buffer` with up to `length` random bytes from getrandom(2); returns how many, or -1.
long shim_random_bytes(void *buffer, size_t length);

/// One message of shim_send_many: the same layout as glibc's struct mmsghdr (which needs _GNU_SOURCE).
struct shim_message {
    struct msghdr header;
    unsigned int length;
};

/// Sends up to `count` messages with one sendmmsg(2) call (MSG_DONTWAIT). Returns how many were sent, or -1.
int shim_send_many(int fd, struct shim_message *messages, unsigned int count);

/// A batch of datagrams for recvmmsg(2): `count` buffers of `capacity` bytes, each with room for its sender's
/// address and the control messages that carry its kernel receive time (SCM_TIMESTAMPNS) and the socket's drop count
/// (SO_RXQ_OVFL). Made once; receiving allocates nothing.
struct shim_batch;

/// Makes a batch; NULL when memory is short.
struct shim_batch *shim_batch_create(unsigned int count, size_t capacity);
void shim_batch_destroy(struct shim_batch *batch);

/// Receives up to the batch's count of datagrams from `fd` without waiting (recvmmsg(2), MSG_DONTWAIT). Returns how
/// many, 0 when none is queued, or -1 with errno set (EINTR included: the caller retries, through Platform's
/// `retryingInterrupts`; each call sets the batch up afresh).
int shim_batch_receive(int fd, struct shim_batch *batch);

/// Datagram `index` of the last receive: its bytes and length, its kernel receive time (CLOCK_REALTIME; zero when the
/// kernel gave none), its sender's address and that address's length.
const unsigned char *shim_batch_bytes(const struct shim_batch *batch, unsigned int index);
size_t shim_batch_length(const struct shim_batch *batch, unsigned int index);
struct timespec shim_batch_time(const struct shim_batch *batch, unsigned int index);
const struct sockaddr_storage *shim_batch_source(const struct shim_batch *batch, unsigned int index);
/// The socket's count of datagrams dropped for want of buffer space, as the last datagram of the last receive that
/// carried it said (SO_RXQ_OVFL: the kernel adds it only once a drop has happened); -1 when none did.
long shim_batch_drops(const struct shim_batch *batch);

/// Turns on SO_RXQ_OVFL. Returns 0 or -1.
int shim_enable_drop_count(int fd);

/// Sets the receive buffer with SO_RCVBUFFORCE where permitted, else SO_RCVBUF (capped by net.core.rmem_max).
/// Returns the size the kernel reports afterwards.
int shim_set_receive_buffer(int fd, int bytes);

/// Sets the DSCP of outgoing datagrams: IP_TOS (the DSCP in its top six bits) for IPv4, IPV6_TCLASS for IPv6.
/// Returns 0 or -1.
int shim_set_dscp(int fd, int ipv6, int dscp);

/// Sets Don't Fragment (path MTU discovery, IP_PMTUDISC_DO / IPV6_DONTFRAG) on or off (IP_PMTUDISC_DONT, the
/// kernel fragments). Returns 0 or -1.
int shim_set_dont_fragment(int fd, int ipv6, int on);

/// The path MTU the kernel knows for a connected socket (IP_MTU / IPV6_MTU), or -1.
int shim_path_mtu(int fd, int ipv6);

/// Multicast sending: hops (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS), the outgoing interface by index (0: the
/// routing table's), and whether the host's own sockets hear it (IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP).
int shim_set_multicast_hops(int fd, int ipv6, int hops);
int shim_set_multicast_interface(int fd, int ipv6, unsigned int index);
int shim_set_multicast_loop(int fd, int ipv6, int on);

/// Joins a multicast group on an interface (0: the routing table's), any source (MCAST_JOIN_GROUP) or one source
/// (MCAST_JOIN_SOURCE_GROUP, RFC 3678) when `source` is not NULL. Returns 0 or -1.
int shim_join_group(int fd, int ipv6, unsigned int interface_index, const struct sockaddr_storage *group,
                    const struct sockaddr_storage *source);

/// An interface's index by name (if_nametoindex), 0 when there is none.
unsigned int shim_interface_index(const char *name);

/// The index of the interface holding `address` (getifaddrs), 0 when none does.
unsigned int shim_interface_with_address(const struct sockaddr_storage *address);

/// The kernel's TAI - UTC offset in seconds (struct timex's tai field from adjtimex(2)); 0 when unset or unknown.
int shim_tai_offset(void);

#endif
