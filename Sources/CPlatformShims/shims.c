#define _GNU_SOURCE
#include "CPlatformShims.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/timex.h>

int shim_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

int shim_set_fifo_priority(int priority) {
    struct sched_param parameter;
    memset(&parameter, 0, sizeof parameter);
    parameter.sched_priority = priority;
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameter);
}

int shim_enable_receive_timestamps(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

long shim_receive_timestamped(int fd, void *buffer, size_t capacity, struct timespec *timestamp) {
    struct iovec vector = { .iov_base = buffer, .iov_len = capacity };
    union {
        char bytes[CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } control;
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control.bytes;
    message.msg_controllen = sizeof control.bytes;
    memset(timestamp, 0, sizeof *timestamp);
    ssize_t received;
    do {
        received = recvmsg(fd, &message, 0);
    } while (received < 0 && errno == EINTR);
    if (received < 0) return -1;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL;
         header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
            memcpy(timestamp, CMSG_DATA(header), sizeof *timestamp);
        }
    }
    return (long)received;
}

int shim_ntp_state(long *estimated_error_us, long *maximum_error_us) {
    struct timex state;
    memset(&state, 0, sizeof state);
    int result = adjtimex(&state);
    *estimated_error_us = state.esterror;
    *maximum_error_us = state.maxerror;
    if (result < 0) return -1;
    return (result != TIME_ERROR && (state.status & STA_UNSYNC) == 0) ? 1 : 0;
}

long shim_random_bytes(void *buffer, size_t length) {
    return (long)getrandom(buffer, length, 0);
}

_Static_assert(sizeof(struct shim_message) == sizeof(struct mmsghdr), "shim_message mirrors mmsghdr");
_Static_assert(offsetof(struct shim_message, length) == offsetof(struct mmsghdr, msg_len), "and its fields");

int shim_send_many(int fd, struct shim_message *messages, unsigned int count) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, MSG_DONTWAIT);
}
