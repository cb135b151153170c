#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

/* zlib for Swift: `inflateInit2` and `deflateInit2` are macros (they pass the library version
 * and the stream's size), which Swift cannot call, so they are wrapped here. */

#include <zlib.h>

/** Starts inflating with `window_bits` (15 + 16: gzip; 15: zlib; -15: raw deflate). */
static inline int czlib_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

/** Starts compressing at `level` (1 fastest … 9 smallest) with `window_bits` (15 + 16: gzip,
 * RFC 1952; 15: the zlib format, RFC 1950, which HTTP's `deflate` coding is). */
static inline int czlib_deflate_init(z_stream *stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}

#endif
