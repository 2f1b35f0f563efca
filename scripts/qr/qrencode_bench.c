/*
 * Times libqrencode on the same 250-byte payload and level (M) that
 * Benchmarks/QRBenchmark/main.swift uses, and prints ns/encode in the
 * same format, so scripts/qr/bench.sh can compare the two.
 *
 * Build: cc -O2 -o qrencode_bench qrencode_bench.c -lqrencode
 * Usage: qrencode_bench [encodes-per-round] [rounds]
 *
 * Two entry points are timed:
 *   encodeData   - the whole payload as one 8-bit segment, which is what
 *                  our encoder does (same version, same work): the
 *                  reference for the ratio;
 *   encodeString - QR_MODE_8 hint, case-sensitive: libqrencode splits the
 *                  text into numeric/alphanumeric/8-bit segments itself.
 */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keep in sync with Benchmarks/QRBenchmark/main.swift. */
static const char *PAYLOAD =
    "2@SiUcJzrxuQOkdfXRYnOHcOLwUwvsNqXi70taAt8ZWEhK5D679278QNN2tflwh9oCqVMOdJ6t"
    "nOxAKj9AEEX+muny,C/8UaKf/Zj5ahVYQLjnwdXUh+XwABV097GrpqdJiGVo=,Dz9gvAbWv1tz"
    "mWaB4dVKMt8qhdJw3sYdVZDtaov1LZM=,KuB3Ss/4OoYgUUjJ+/QJMXbV/6vNyuLtERFWONTs7"
    "y4=,17000000000,ZXZvbHV0aW9u";

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Returns the median ns/encode over `rounds` rounds of `n` encodes. */
static double bench(int use_string, int n, int rounds, int *version) {
    double *per = malloc(sizeof(double) * (size_t)rounds);
    size_t len = strlen(PAYLOAD);
    unsigned long sink = 0;
    for (int r = 0; r < rounds; r++) {
        double start = now_ns();
        for (int i = 0; i < n; i++) {
            QRcode *code = use_string
                ? QRcode_encodeString(PAYLOAD, 0, QR_ECLEVEL_M, QR_MODE_8, 1)
                : QRcode_encodeData((int)len, (const unsigned char *)PAYLOAD, 0, QR_ECLEVEL_M);
            if (code == NULL) { perror("libqrencode"); exit(1); }
            sink += code->data[code->width * 3 + 7];
            *version = code->version;
            QRcode_free(code);
        }
        per[r] = (now_ns() - start) / n;
    }
    qsort(per, (size_t)rounds, sizeof(double), cmp_double);
    double median = per[rounds / 2];
    free(per);
    if (sink == 42) fputs("", stderr); /* keep the work observable */
    return median;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    int rounds = argc > 2 ? atoi(argv[2]) : 11;
    if (strlen(PAYLOAD) != 250) { fprintf(stderr, "payload must be 250 bytes\n"); return 1; }
    int version = 0;
    bench(0, n / 10 + 1, 1, &version); /* warm-up */
    double data_ns = bench(0, n, rounds, &version);
    printf("libqrencode-encodeData   bytes=250 level=M version=%d ns/encode=%.0f\n", version, data_ns);
    double string_ns = bench(1, n, rounds, &version);
    printf("libqrencode-encodeString bytes=250 level=M version=%d ns/encode=%.0f\n", version, string_ns);
    return 0;
}
