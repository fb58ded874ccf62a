// The policy items' compressors side by side (issue 16, session 26): every item, case record and
// class summary of a state, decoded (JSON, zlib 1…7, zstd 0x81…0x87), then compressed again
// against the same dictionaries by deflate as schema v11–v14 did and by Zstandard at each level
// given. Prints CPU seconds and stored bytes. Built and run by scripts/bench-item-codec.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

typedef struct { unsigned char dict; size_t len; unsigned char *json; } item;
static unsigned char *dicts[8]; static size_t dictLen[8];
static item *items; static size_t count, capacity;
static unsigned char out[1 << 20];

static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void add(const unsigned char *b, size_t n) {
    if (!n) return;
    item it = { 0, 0, NULL };
    if (b[0] == '{') { it.json = malloc(n); memcpy(it.json, b, n); it.len = n; }
    else if (b[0] & 0x80) {
        int d = b[0] & 0x7f; it.dict = d;
        ZSTD_DCtx *dc = ZSTD_createDCtx(); ZSTD_DCtx_setParameter(dc, ZSTD_d_format, ZSTD_f_zstd1_magicless);
        ZSTD_DCtx_loadDictionary(dc, dicts[d], dictLen[d]);
        size_t r = ZSTD_decompressDCtx(dc, out, sizeof out, b + 1, n - 1); ZSTD_freeDCtx(dc);
        if (ZSTD_isError(r)) { fprintf(stderr, "undecodable zstd item\n"); exit(1); }
        it.json = malloc(r); memcpy(it.json, out, r); it.len = r;
    } else {
        int d = b[0]; it.dict = d; z_stream s; memset(&s, 0, sizeof s); inflateInit2(&s, -15);
        inflateSetDictionary(&s, dicts[d], dictLen[d]);
        s.next_in = (unsigned char *)b + 1; s.avail_in = n - 1; s.next_out = out; s.avail_out = sizeof out;
        if (inflate(&s, Z_FINISH) != Z_STREAM_END) { fprintf(stderr, "undecodable deflate item\n"); exit(1); }
        it.len = sizeof out - s.avail_out; it.json = malloc(it.len); memcpy(it.json, out, it.len); inflateEnd(&s);
    }
    if (count == capacity) { capacity = capacity ? capacity * 2 : 1 << 16; items = realloc(items, capacity * sizeof *items); }
    items[count++] = it;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: codec STATE DICTDIR [ZSTD_LEVEL…]\n"); return 2; }
    for (int d = 1; d <= 7; d++) {
        char path[4096]; snprintf(path, sizeof path, "%s/dict%d.bin", argv[2], d);
        FILE *f = fopen(path, "rb"); if (!f) { perror(path); return 1; }
        fseek(f, 0, SEEK_END); dictLen[d] = ftell(f); fseek(f, 0, SEEK_SET);
        dicts[d] = malloc(dictLen[d]); if (fread(dicts[d], 1, dictLen[d], f) != dictLen[d]) return 1; fclose(f);
    }
    sqlite3 *db; if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL)) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
    const char *queries[] = { "SELECT data FROM policy_items", "SELECT explanation FROM class_history", "SELECT record FROM cases" };
    for (int q = 0; q < 3; q++) {
        sqlite3_stmt *s; sqlite3_prepare_v2(db, queries[q], -1, &s, NULL);
        while (sqlite3_step(s) == SQLITE_ROW) add(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
        sqlite3_finalize(s);
    }
    size_t json = 0; for (size_t i = 0; i < count; i++) json += items[i].len;
    printf("%zu items, %zu bytes of JSON\n", count, json);

    // deflate as schema v11–v14 stored it: level 3, memLevel 5, raw; a large dictionary primed
    // once and its stream copied per item, a small one set per item.
    z_stream primed[8], plain, copy; int isPrimed[8] = { 0 };
    for (int d = 1; d <= 7; d++) if (dictLen[d] >= 3000) {
        int bits = 9; while (bits < 15 && (1u << bits) < dictLen[d] + 2048) bits++;
        memset(&primed[d], 0, sizeof primed[d]); deflateInit2(&primed[d], 3, Z_DEFLATED, -bits, 5, Z_DEFAULT_STRATEGY);
        deflateSetDictionary(&primed[d], dicts[d], dictLen[d]); isPrimed[d] = 1;
    }
    memset(&plain, 0, sizeof plain); deflateInit2(&plain, 3, Z_DEFLATED, -15, 5, Z_DEFAULT_STRATEGY);
    size_t stored = 0; double t = cpu();
    for (size_t i = 0; i < count; i++) {
        item *it = &items[i]; if (!it->dict) { stored += it->len; continue; }
        z_stream *s;
        if (isPrimed[it->dict]) { memset(&copy, 0, sizeof copy); deflateCopy(&copy, &primed[it->dict]); s = &copy; }
        else { deflateReset(&plain); deflateSetDictionary(&plain, dicts[it->dict], dictLen[it->dict]); s = &plain; }
        s->next_in = it->json; s->avail_in = it->len; s->next_out = out; s->avail_out = sizeof out;
        deflate(s, Z_FINISH); stored += 1 + sizeof out - s->avail_out;
        if (s == &copy) deflateEnd(&copy);
    }
    printf("deflate level 3 (v11-v14)   CPU %6.2f s  stored %10zu bytes\n", cpu() - t, stored);

    for (int a = 3; a < argc; a++) {
        int level = atoi(argv[a]);
        ZSTD_CDict *cd[8]; for (int d = 1; d <= 7; d++) cd[d] = ZSTD_createCDict(dicts[d], dictLen[d], level);
        ZSTD_CCtx *c = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(c, ZSTD_c_format, ZSTD_f_zstd1_magicless);
        ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0); ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0);
        ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0);
        stored = 0; t = cpu();
        for (size_t i = 0; i < count; i++) {
            item *it = &items[i]; if (!it->dict) { stored += it->len; continue; }
            ZSTD_CCtx_refCDict(c, cd[it->dict]);
            size_t n = ZSTD_compress2(c, out, sizeof out, it->json, it->len);
            if (ZSTD_isError(n)) { fprintf(stderr, "%s\n", ZSTD_getErrorName(n)); return 1; }
            stored += 1 + (n + 1 < it->len ? n : it->len - 1);
        }
        printf("zstd level %-2d (v15: 4)       CPU %6.2f s  stored %10zu bytes\n", level, cpu() - t, stored);
        ZSTD_freeCCtx(c); for (int d = 1; d <= 7; d++) ZSTD_freeCDict(cd[d]);
    }
    return 0;
}
