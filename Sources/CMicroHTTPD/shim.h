#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H

/* libmicrohttpd for Swift. Swift cannot call C variadic functions or take a va_list callback, so
 * the variadic entry points poolserve needs are wrapped here in small non-variadic inline
 * functions, and libmicrohttpd's log messages are formatted here before they reach Swift. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <malloc.h>
#include <microhttpd.h>

/** A formatted libmicrohttpd message, handed to Swift. */
typedef void (*cmhd_message_callback)(void *cls, const char *message);

/** Everything a daemon is started with (see `cmhd_start`). */
struct cmhd_settings {
    unsigned int flags;
    const struct sockaddr *address;
    unsigned int threads;
    unsigned int connection_limit;
    unsigned int per_address_limit;      /* 0: none */
    unsigned int connection_timeout;     /* seconds */
    size_t connection_memory_limit;      /* bytes for a connection's head and buffers */
    MHD_AccessHandlerCallback access;
    MHD_RequestCompletedCallback completed;
    MHD_NotifyConnectionCallback notify_connection;
    void *(*uri_log)(void *cls, const char *uri, struct MHD_Connection *connection);
    cmhd_message_callback message;
    void *cls;                           /* given to every callback */
};

/** The message callback registered by `cmhd_start`, kept per daemon in its logger closure. */
struct cmhd_logger {
    cmhd_message_callback message;
    void *cls;
};

/** libmicrohttpd's log callback: formats the message and hands it to Swift. */
static void cmhd_log_trampoline(void *cls, const char *format, va_list ap) {
    struct cmhd_logger *logger = (struct cmhd_logger *) cls;
    char text[512];
    vsnprintf(text, sizeof text, format, ap);
    if (logger && logger->message) logger->message(logger->cls, text);
}

/** Leaves the request target as sent: no percent-decoding (the router matches raw paths). */
static size_t cmhd_keep_escapes(void *cls, struct MHD_Connection *connection, char *s) {
    (void) cls; (void) connection;
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

/** Starts a daemon with `settings`; `logger` must outlive it. Returns NULL on failure. */
static inline struct MHD_Daemon *cmhd_start(const struct cmhd_settings *settings, struct cmhd_logger *logger) {
    logger->message = settings->message;
    logger->cls = settings->cls;
    struct MHD_OptionItem options[] = {
        { MHD_OPTION_EXTERNAL_LOGGER, (intptr_t) &cmhd_log_trampoline, logger },
        { MHD_OPTION_SOCK_ADDR, 0, (void *) settings->address },
        { MHD_OPTION_THREAD_POOL_SIZE, settings->threads, NULL },
        { MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit, NULL },
        { MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings->per_address_limit, NULL },
        { MHD_OPTION_CONNECTION_TIMEOUT, settings->connection_timeout, NULL },
        { MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t) settings->connection_memory_limit, NULL },
        { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t) settings->completed, settings->cls },
        { MHD_OPTION_NOTIFY_CONNECTION, (intptr_t) settings->notify_connection, settings->cls },
        { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t) settings->uri_log, settings->cls },
        { MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t) &cmhd_keep_escapes, NULL },
        { MHD_OPTION_END, 0, NULL },
    };
    return MHD_start_daemon(settings->flags, 0, NULL, NULL, settings->access, settings->cls,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

/** The port the daemon is bound to (useful when it was asked for port 0), or 0. */
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/** Whether this build of libmicrohttpd supports epoll. */
static inline int cmhd_has_epoll(void) {
    return MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES;
}

/** The connection's socket, or -1. */
static inline int cmhd_connection_fd(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

/** The bytes of the request's head as received, from the request line to the empty line, or 0.
 * libmicrohttpd keeps the head where it read it, from the method (the access handler's `method`
 * points at its first byte) on, with line ends, colons and the request line's spaces overwritten
 * by NULs. */
static inline size_t cmhd_request_header_size(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    return info ? info->header_size : 0;
}

/** The pointer libmicrohttpd keeps for the connection's socket (set in the connection notifier). */
static inline void *cmhd_socket_context(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/** Sets the connection's inactivity timeout in seconds (0: none). Call on the connection's thread. */
static inline void cmhd_set_timeout(struct MHD_Connection *connection, unsigned int seconds) {
    (void) MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, seconds);
}

/** Gives the allocator's free pages back to the system (glibc `malloc_trim`). */
static inline void cmhd_release_free_memory(void) {
    malloc_trim(0);
}

#endif
