#ifndef CTCPINFO_H
#define CTCPINFO_H
#include <stdint.h>

/// Bytes the peer of TCP socket `fd` has acknowledged since the connection opened (Linux
/// `tcpi_bytes_acked`), or -1 when the socket cannot say: what a client really received.
int64_t tcp_info_bytes_acked(int fd);

#endif
