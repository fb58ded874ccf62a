// Zstandard (libzstd, Debian's libzstd-dev): the agent's stored chunks and policy items.
// The advanced API (dictionaries referenced by a context, magicless frames) is declared under
// ZSTD_STATIC_LINKING_ONLY; every function used from it is exported by libzstd.so.1 since 1.4.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

// ZSTD_c_format and ZSTD_d_format are macros over experimental parameters, which Swift does not
// import: frames without their 4-byte magic, for rows whose first byte already says what they hold.
static inline size_t czstd_compress_magicless(ZSTD_CCtx *cctx) {
    return ZSTD_CCtx_setParameter(cctx, ZSTD_c_format, ZSTD_f_zstd1_magicless);
}
static inline size_t czstd_decompress_magicless(ZSTD_DCtx *dctx) {
    return ZSTD_DCtx_setParameter(dctx, ZSTD_d_format, ZSTD_f_zstd1_magicless);
}
