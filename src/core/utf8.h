/* utf8.h - UTF-8 validation and counting; strict (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
#ifndef COLEAD_UTF8_H
#define COLEAD_UTF8_H

#include "core.h"

int	utf8_valid(const char *p, size_t n);		/* 1 valid, 0 not */
/* Code points in a valid string; (size_t)-1 if invalid. */
size_t	utf8_len(const char *p, size_t n);
/* Has control characters other than \t \n \r (for single-line fields: also
 * refuses \n \r when single_line). */
int	utf8_has_controls(const char *p, size_t n, int single_line);

#endif
