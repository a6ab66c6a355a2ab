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

#endif
