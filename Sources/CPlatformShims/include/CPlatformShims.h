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
/// Returns the datagram's length, or -1 with errno set. `timestamp` is zeroed when the kernel gave none.
long shim_receive_timestamped(int fd, void *buffer, size_t capacity, struct timespec *timestamp);

/// The kernel's NTP state from adjtimex(2): returns 1 when synchronised (state not TIME_ERROR and
/// STA_UNSYNC clear), 0 when not, -1 on error; fills the estimated and maximum error in microseconds.
int shim_ntp_state(long *estimated_error_us, long *maximum_error_us);

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
/// many, 0 when none is queued, or -1 with errno set.
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

#endif
