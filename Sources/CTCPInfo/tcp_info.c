#include <stddef.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "tcp_info.h"

int64_t tcp_info_bytes_acked(int fd) {
    struct tcp_info info;
    socklen_t length = sizeof info;
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return -1;
    if (length < offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof info.tcpi_bytes_acked) return -1;
    return (int64_t)info.tcpi_bytes_acked;
}
