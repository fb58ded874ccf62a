// The policy items' compressors side by side (issue 16, sessions 26 and 30): every item, case
// record and class summary of a state, decoded (JSON, zlib 1…7, zstd 0x81…0x87 against the
// dictionaries' content, 0x89…0x8F against them with their entropy tables), then compressed again
// by deflate as schema v11–v14 did and by Zstandard at each level given, against the content alone
// (v15–v16) and with the tables (v17). Prints CPU seconds and stored bytes, and a digest of the
// decoded JSON (two states that stored the same items give the same digest, whatever their
// encoding). Built and run by scripts/bench-item-codec.
//
// With --tables it prints instead the entropy tables for PolicyItemDictionaryTables.swift: each
// dictionary's content finalized by libzstd (ZDICT_finalizeDictionary) with the statistics of the
// items it serves (every 97th item of the dictionary, in table order: deterministic), as base64 of
// the bytes libzstd puts before the content (magic, id, Huffman and FSE tables). The tables in the
// source are frozen once an agent has stored items with them: a frame decodes only against the
// very dictionary it was made with.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#define ZDICT_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>

typedef struct { unsigned char dict; size_t len; unsigned char *json; } item;
static unsigned char *dicts[8]; static size_t dictLen[8];
static unsigned char *tabled[8]; static size_t tabledLen[8];  // the entropy tables, then the content
static item *items; static size_t count, capacity;
static const char *names[8] = { "", "class items", "roster items", "instruction items", "case items", "prompt items", "case records", "class summaries" };
static unsigned char out[1 << 20];

static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void add(const unsigned char *b, size_t n) {
    if (!n) return;
    item it = { 0, 0, NULL };
    if (b[0] == '{') { it.json = malloc(n); memcpy(it.json, b, n); it.len = n; }
    else if (b[0] & 0x80) {
        int low = b[0] & 0x7f, d = low & 7, tables = low & 8;
        if (low > 15 || d == 0) { fprintf(stderr, "an unknown first byte %02x\n", b[0]); exit(1); }
        it.dict = d;
        ZSTD_DCtx *dc = ZSTD_createDCtx(); ZSTD_DCtx_setParameter(dc, ZSTD_d_format, ZSTD_f_zstd1_magicless);
        ZSTD_DCtx_loadDictionary(dc, tables ? tabled[d] : dicts[d], tables ? tabledLen[d] : dictLen[d]);
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

static void base64(const unsigned char *b, size_t n) {
    static const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = b[i] << 16 | (i + 1 < n ? b[i + 1] << 8 : 0) | (i + 2 < n ? b[i + 2] : 0);
        putchar(a[v >> 18 & 63]); putchar(a[v >> 12 & 63]);
        putchar(i + 1 < n ? a[v >> 6 & 63] : '='); putchar(i + 2 < n ? a[v & 63] : '=');
    }
}

// Prints each dictionary's number, the samples drawn and the base64 of its tables.
static int printTables(void) {
    for (int d = 1; d <= 7; d++) {
        size_t samples = 0, bytes = 0, seen = 0;
        for (size_t i = 0; i < count; i++) if (items[i].dict == d && seen++ % 97 == 0) { samples++; bytes += items[i].len; }
        unsigned char *joined = malloc(bytes + 1); size_t *sizes = malloc((samples + 1) * sizeof *sizes), k = 0, at = 0;
        seen = 0;
        for (size_t i = 0; i < count; i++) if (items[i].dict == d && seen++ % 97 == 0) {
            memcpy(joined + at, items[i].json, items[i].len); at += items[i].len; sizes[k++] = items[i].len;
        }
        size_t capacity = dictLen[d] + 65536; unsigned char *whole = malloc(capacity);
        ZDICT_params_t p; memset(&p, 0, sizeof p);
        p.compressionLevel = 4;        // PolicyItemCodec.level
        p.dictID = 0x5d1c7000u + d;    // fixed: 0 would draw a random id
        size_t n = ZDICT_finalizeDictionary(whole, capacity, dicts[d], dictLen[d], joined, sizes, (unsigned)samples, p);
        if (ZDICT_isError(n)) { fprintf(stderr, "dictionary %d: %s (%zu samples)\n", d, ZDICT_getErrorName(n), samples); return 1; }
        size_t head = n - dictLen[d];
        if (n < dictLen[d] || memcmp(whole + head, dicts[d], dictLen[d])) { fprintf(stderr, "dictionary %d: its content was not kept whole\n", d); return 1; }
        printf("%d %zu ", d, samples); base64(whole, head); putchar('\n');
        free(joined); free(sizes); free(whole);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: codec STATE DICTDIR [ZSTD_LEVEL… | --tables]\n"); return 2; }
    for (int d = 1; d <= 7; d++) {
        char path[4096]; snprintf(path, sizeof path, "%s/dict%d.bin", argv[2], d);
        FILE *f = fopen(path, "rb"); if (!f) { perror(path); return 1; }
        fseek(f, 0, SEEK_END); dictLen[d] = ftell(f); fseek(f, 0, SEEK_SET);
        dicts[d] = malloc(dictLen[d]); if (fread(dicts[d], 1, dictLen[d], f) != dictLen[d]) return 1; fclose(f);
        snprintf(path, sizeof path, "%s/tables%d.bin", argv[2], d);
        f = fopen(path, "rb"); if (!f) { perror(path); return 1; }
        fseek(f, 0, SEEK_END); size_t n = ftell(f); fseek(f, 0, SEEK_SET);
        tabledLen[d] = n + dictLen[d]; tabled[d] = malloc(tabledLen[d]);
        if (fread(tabled[d], 1, n, f) != n) return 1; fclose(f);
        memcpy(tabled[d] + n, dicts[d], dictLen[d]);
    }
    sqlite3 *db; if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL)) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
    const char *queries[] = { "SELECT data FROM policy_items ORDER BY type, key", "SELECT explanation FROM class_history ORDER BY seq",
                              "SELECT record FROM cases ORDER BY id" };
    for (int q = 0; q < 3; q++) {
        sqlite3_stmt *s; sqlite3_prepare_v2(db, queries[q], -1, &s, NULL);
        while (sqlite3_step(s) == SQLITE_ROW) add(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
        sqlite3_finalize(s);
    }
    if (argc > 3 && !strcmp(argv[3], "--tables")) return printTables();
    size_t json = 0; for (size_t i = 0; i < count; i++) json += items[i].len;
    unsigned long long digest = 0xcbf29ce484222325ULL;  // FNV-1a over the decoded JSON, in table order
    for (size_t i = 0; i < count; i++) for (size_t k = 0; k < items[i].len; k++) digest = (digest ^ items[i].json[k]) * 0x100000001b3ULL;
    printf("%zu items, %zu bytes of JSON, digest %016llx\n", count, json, digest);

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

    for (int a = 3; a < argc; a++)
    for (int tables = 0; tables <= 1; tables++) {
        int level = atoi(argv[a]);
        ZSTD_CDict *cd[8];
        for (int d = 1; d <= 7; d++) cd[d] = ZSTD_createCDict(tables ? tabled[d] : dicts[d], tables ? tabledLen[d] : dictLen[d], level);
        ZSTD_CCtx *c = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(c, ZSTD_c_format, ZSTD_f_zstd1_magicless);
        ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0); ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0);
        ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0);
        // One dictionary at a time, so each one's share can be told (a level may suit one and not another).
        double seconds[8] = { 0 }; size_t bytes[8] = { 0 }, number[8] = { 0 };
        stored = 0;
        for (size_t i = 0; i < count; i++) if (!items[i].dict) stored += items[i].len;
        for (int d = 1; d <= 7; d++) {
            double start = cpu();
            for (size_t i = 0; i < count; i++) {
                item *it = &items[i]; if (it->dict != d) continue;
                ZSTD_CCtx_refCDict(c, cd[d]);
                size_t n = ZSTD_compress2(c, out, sizeof out, it->json, it->len);
                if (ZSTD_isError(n)) { fprintf(stderr, "%s\n", ZSTD_getErrorName(n)); return 1; }
                bytes[d] += 1 + (n + 1 < it->len ? n : it->len - 1); number[d]++;
            }
            seconds[d] = cpu() - start; stored += bytes[d];
        }
        double total = 0; for (int d = 1; d <= 7; d++) total += seconds[d];
        printf("zstd level %-2d %-13s   CPU %6.2f s  stored %10zu bytes\n", level,
               tables ? "with tables" : "content alone", total, stored);
        if (tables) for (int d = 1; d <= 7; d++)
            printf("    dictionary %d (%s): %7zu items  CPU %5.2f s  stored %9zu bytes\n", d, names[d], number[d], seconds[d], bytes[d]);
        ZSTD_freeCCtx(c); for (int d = 1; d <= 7; d++) ZSTD_freeCDict(cd[d]);
    }
    return 0;
}
