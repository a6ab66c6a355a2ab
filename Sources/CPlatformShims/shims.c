#define _GNU_SOURCE
#include "CPlatformShims.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
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
    ssize_t received = recvmsg(fd, &message, 0);
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

struct shim_batch {
    unsigned int count;
    size_t capacity;
    unsigned char *buffers;
    struct mmsghdr *messages;
    struct iovec *vectors;
    struct sockaddr_storage *sources;
    union control {
        char bytes[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(uint32_t))];
        struct cmsghdr align;
    } *controls;
    struct timespec *times;
    long drops;
};

struct shim_batch *shim_batch_create(unsigned int count, size_t capacity) {
    struct shim_batch *batch = calloc(1, sizeof *batch);
    if (batch == NULL) return NULL;
    batch->count = count;
    batch->capacity = capacity;
    batch->buffers = calloc(count, capacity);
    batch->messages = calloc(count, sizeof *batch->messages);
    batch->vectors = calloc(count, sizeof *batch->vectors);
    batch->sources = calloc(count, sizeof *batch->sources);
    batch->controls = calloc(count, sizeof *batch->controls);
    batch->times = calloc(count, sizeof *batch->times);
    batch->drops = -1;
    if (!batch->buffers || !batch->messages || !batch->vectors || !batch->sources || !batch->controls
        || !batch->times) {
        shim_batch_destroy(batch);
        return NULL;
    }
    return batch;
}

void shim_batch_destroy(struct shim_batch *batch) {
    if (batch == NULL) return;
    free(batch->buffers);
    free(batch->messages);
    free(batch->vectors);
    free(batch->sources);
    free(batch->controls);
    free(batch->times);
    free(batch);
}

int shim_batch_receive(int fd, struct shim_batch *batch) {
    batch->drops = -1;
    for (unsigned int i = 0; i < batch->count; i++) {
        batch->vectors[i].iov_base = batch->buffers + i * batch->capacity;
        batch->vectors[i].iov_len = batch->capacity;
        struct msghdr *header = &batch->messages[i].msg_hdr;
        memset(header, 0, sizeof *header);
        header->msg_name = &batch->sources[i];
        header->msg_namelen = sizeof batch->sources[i];
        header->msg_iov = &batch->vectors[i];
        header->msg_iovlen = 1;
        header->msg_control = batch->controls[i].bytes;
        header->msg_controllen = sizeof batch->controls[i].bytes;
        batch->messages[i].msg_len = 0;
    }
    int received = recvmmsg(fd, batch->messages, batch->count, MSG_DONTWAIT, NULL);
    if (received < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    for (int i = 0; i < received; i++) {
        struct msghdr *header = &batch->messages[i].msg_hdr;
        memset(&batch->times[i], 0, sizeof batch->times[i]);
        for (struct cmsghdr *control = CMSG_FIRSTHDR(header); control != NULL;
             control = CMSG_NXTHDR(header, control)) {
            if (control->cmsg_level != SOL_SOCKET) continue;
            if (control->cmsg_type == SCM_TIMESTAMPNS) {
                memcpy(&batch->times[i], CMSG_DATA(control), sizeof batch->times[i]);
            } else if (control->cmsg_type == SO_RXQ_OVFL) {
                uint32_t drops;
                memcpy(&drops, CMSG_DATA(control), sizeof drops);
                batch->drops = (long)drops;
            }
        }
    }
    return received;
}

const unsigned char *shim_batch_bytes(const struct shim_batch *batch, unsigned int index) {
    return batch->buffers + index * batch->capacity;
}

size_t shim_batch_length(const struct shim_batch *batch, unsigned int index) {
    return batch->messages[index].msg_len;
}

struct timespec shim_batch_time(const struct shim_batch *batch, unsigned int index) {
    return batch->times[index];
}

const struct sockaddr_storage *shim_batch_source(const struct shim_batch *batch, unsigned int index) {
    return &batch->sources[index];
}

long shim_batch_drops(const struct shim_batch *batch) {
    return batch->drops;
}

int shim_enable_drop_count(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
}

int shim_set_receive_buffer(int fd, int bytes) {
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }
    int size = 0;
    socklen_t length = sizeof size;
    getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &length);
    return size;
}

int shim_set_dscp(int fd, int ipv6, int dscp) {
    int value = dscp << 2;
    return ipv6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &value, sizeof value)
                : setsockopt(fd, IPPROTO_IP, IP_TOS, &value, sizeof value);
}

int shim_set_dont_fragment(int fd, int ipv6, int on) {
    if (ipv6) {
        int discover = on ? IPV6_PMTUDISC_DO : IPV6_PMTUDISC_DONT;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &discover, sizeof discover) != 0) return -1;
        int dont = on ? 1 : 0;
        return setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &dont, sizeof dont);
    }
    int discover = on ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
    return setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &discover, sizeof discover);
}

int shim_path_mtu(int fd, int ipv6) {
    int mtu = 0;
    socklen_t length = sizeof mtu;
    int result = ipv6 ? getsockopt(fd, IPPROTO_IPV6, IPV6_MTU, &mtu, &length)
                      : getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &length);
    return result == 0 ? mtu : -1;
}

int shim_set_multicast_hops(int fd, int ipv6, int hops) {
    if (ipv6) return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
    unsigned char ttl = (unsigned char)hops;
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
}

int shim_set_multicast_interface(int fd, int ipv6, unsigned int index) {
    if (ipv6) return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof index);
    struct ip_mreqn request;
    memset(&request, 0, sizeof request);
    request.imr_ifindex = (int)index;
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof request);
}

int shim_set_multicast_loop(int fd, int ipv6, int on) {
    if (ipv6) {
        unsigned int value = on ? 1 : 0;
        return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &value, sizeof value);
    }
    unsigned char value = on ? 1 : 0;
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &value, sizeof value);
}

int shim_join_group(int fd, int ipv6, unsigned int interface_index, const struct sockaddr_storage *group,
                    const struct sockaddr_storage *source) {
    int level = ipv6 ? IPPROTO_IPV6 : IPPROTO_IP;
    if (source == NULL) {
        struct group_req request;
        memset(&request, 0, sizeof request);
        request.gr_interface = interface_index;
        memcpy(&request.gr_group, group, sizeof request.gr_group);
        return setsockopt(fd, level, MCAST_JOIN_GROUP, &request, sizeof request);
    }
    struct group_source_req request;
    memset(&request, 0, sizeof request);
    request.gsr_interface = interface_index;
    memcpy(&request.gsr_group, group, sizeof request.gsr_group);
    memcpy(&request.gsr_source, source, sizeof request.gsr_source);
    return setsockopt(fd, level, MCAST_JOIN_SOURCE_GROUP, &request, sizeof request);
}

unsigned int shim_interface_index(const char *name) {
    return if_nametoindex(name);
}

unsigned int shim_interface_with_address(const struct sockaddr_storage *address) {
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0) return 0;
    unsigned int index = 0;
    for (struct ifaddrs *entry = list; entry != NULL && index == 0; entry = entry->ifa_next) {
        if (entry->ifa_addr == NULL || entry->ifa_addr->sa_family != address->ss_family) continue;
        if (address->ss_family == AF_INET) {
            const struct sockaddr_in *a = (const struct sockaddr_in *)entry->ifa_addr;
            const struct sockaddr_in *b = (const struct sockaddr_in *)address;
            if (a->sin_addr.s_addr == b->sin_addr.s_addr) index = if_nametoindex(entry->ifa_name);
        } else if (address->ss_family == AF_INET6) {
            const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)entry->ifa_addr;
            const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)address;
            if (memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0) index = if_nametoindex(entry->ifa_name);
        }
    }
    freeifaddrs(list);
    return index;
}

int shim_tai_offset(void) {
    struct timex state;
    memset(&state, 0, sizeof state);
    if (adjtimex(&state) < 0) return 0;
    return state.tai;
}

int shim_terminal_rows(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) return -1;
    return size.ws_row;
}
