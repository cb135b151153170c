#ifndef HEAP_STATS_H
#define HEAP_STATS_H
#include <stddef.h>

/// Bytes the process holds in glibc malloc right now (mallinfo2's uordblks plus hblkhd: small
/// blocks in use and memory-mapped blocks), for tests that bound what a computation keeps.
size_t heap_stats_in_use(void);

#endif
