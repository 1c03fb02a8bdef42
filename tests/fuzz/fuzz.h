/* fuzz.h - what every libFuzzer driver in tests/fuzz/ shares: the entry
 * point libFuzzer calls, and CHECK, which aborts (a finding) when a
 * property the code promises does not hold.  A driver is built two ways:
 * with clang -fsanitize=fuzzer (make fuzz) and as a plain program with
 * replay.c's main() (make test replays its seeds and regression files).
 * Drivers must not keep state between inputs, touch files or the network. */
#ifndef COLEAD_FUZZ_H
#define COLEAD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise is a crash, so libFuzzer saves the input. */
#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

#define FUZZ_ARENA	(64u << 20)	/* arena per input */

#endif
