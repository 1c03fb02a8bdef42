/* replay.c - the main() a fuzz driver gets when it is built as a plain
 * program (make fuzz-replay, make test): feed every file named on the
 * command line, or every file in each directory named, to the driver once,
 * and say how many there were.  A crash or a failed CHECK ends it with a
 * non-zero status, so the regression files of past findings and the seed
 * corpora keep being tested by every build, sanitized or not.  It does no
 * fuzzing itself. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* Read a whole file into malloc'd memory; -1 (said) if it cannot. */
static int
slurp(const char *path, uint8_t **out, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	uint8_t	*p = NULL;
	size_t	 n = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			p = realloc(p, cap);
			if (!p)
				abort();
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*out = p;
	*len = n;
	return 0;
}

/* Run one file through the driver (a fresh copy of exactly its bytes, so
 * ASan sees reads past the end).  Returns 0 or -1. */
static int
run_file(const char *path)
{
	uint8_t	*data, *copy;
	size_t	 n;

	if (slurp(path, &data, &n) < 0)
		return -1;
	copy = malloc(n ? n : 1);
	if (!copy)
		abort();
	memcpy(copy, data, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	free(data);
	return 0;
}

/* Run a file, or every regular file of a directory (not recursing). */
static int
run_path(const char *path, int *count)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*e;
	char		 name[4096];
	int		 rc = 0;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;	/* no regression files yet */
		fprintf(stderr, "replay: cannot stat '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if (!(d = opendir(path))) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/%s", path, e->d_name);
		if (stat(name, &st) == 0 && S_ISREG(st.st_mode)) {
			(*count)++;
			if (run_file(name) < 0)
				rc = -1;
		}
	}
	closedir(d);
	return rc;
}

/* Replay every FILE or DIR argument; 0 when all were read and none crashed. */
int
main(int argc, char **argv)
{
	int i, count = 0, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			rc = 1;
	printf("%s: %d input(s) replayed%s\n", argv[0], count, rc ? ", some unreadable" : "");
	return rc;
}
