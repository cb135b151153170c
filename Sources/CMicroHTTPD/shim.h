#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

/* libmicrohttpd for Swift. Swift cannot call C variadic functions, so the few variadic entry
 * points poolserve needs are wrapped here in small non-variadic inline functions. */

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

/** Starts a daemon with an internal thread pool, bound to `addr`. Returns NULL on failure. */
static inline struct MHD_Daemon *cmhd_start(unsigned int flags,
                                            const struct sockaddr *addr,
                                            unsigned int threads,
                                            unsigned int connection_limit,
                                            unsigned int connection_timeout,
                                            size_t connection_memory_limit,
                                            MHD_AccessHandlerCallback handler,
                                            void *handler_cls,
                                            MHD_RequestCompletedCallback completed,
                                            void *completed_cls) {
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, handler_cls,
                            MHD_OPTION_SOCK_ADDR, addr,
                            MHD_OPTION_THREAD_POOL_SIZE, threads,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
                            MHD_OPTION_END);
}

/** The port the daemon is bound to (useful when it was asked for port 0), or 0. */
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/** The number of open connections. */
static inline unsigned int cmhd_current_connections(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info ? info->num_connections : 0;
}

/** Whether this build of libmicrohttpd supports epoll. */
static inline int cmhd_has_epoll(void) {
    return MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES;
}

#endif
