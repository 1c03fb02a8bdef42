/* agenda_upload.c - checks a speaker photo before it is stored: the
 * declared content type, the size, the magic bytes of PNG, JPEG or WebP,
 * and the image's dimensions decoded from its header.  Pure functions over
 * bytes: nothing here touches the database, the file system or HTTP, and
 * nothing trusts the uploaded file name or type beyond comparing them. */
#include "agenda.h"

/* Big-endian and little-endian reads. */
static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[1] << 8 | p[0];
}

static uint32_t
le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | le24(p);
}

/* PNG: signature, then an IHDR chunk of 13 bytes holding width and height. */
static int
png_size(const unsigned char *d, size_t n, uint32_t *w, uint32_t *h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	if (n < 33 || memcmp(d, sig, 8) != 0)
		return -1;
	if (be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return -1;
	*w = be32(d + 16);
	*h = be32(d + 20);
	if (d[24] == 0 || d[25] > 6)	/* bit depth, colour type */
		return -1;
	return 0;
}

/* JPEG: SOI, then marker segments until a start-of-frame one (SOF0..SOF15
 * but not DHT C4, JPG C8 or DAC CC) that holds height and width. */
static int
jpeg_size(const unsigned char *d, size_t n, uint32_t *w, uint32_t *h)
{
	size_t		 i = 2;
	unsigned	 m, len;

	if (n < 4 || d[0] != 0xff || d[1] != 0xd8 || d[2] != 0xff)
		return -1;
	while (i + 4 <= n) {
		if (d[i] != 0xff)
			return -1;
		m = d[i + 1];
		if (m == 0xff) {		/* fill byte */
			i++;
			continue;
		}
		if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			i += 2;			/* markers without a length */
			continue;
		}
		if (m == 0xd9 || m == 0xda)	/* end, or scan data before a frame */
			return -1;
		len = be16(d + i + 2);
		if (len < 2 || i + 2 + len > n)
			return -1;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			if (len < 7)
				return -1;
			*h = be16(d + i + 5);
			*w = be16(d + i + 7);
			return 0;
		}
		i += 2 + len;
	}
	return -1;
}

/* WebP: a RIFF container "WEBP" whose first chunk is VP8 (lossy), VP8L
 * (lossless) or VP8X (extended, canvas size). */
static int
webp_size(const unsigned char *d, size_t n, uint32_t *w, uint32_t *h)
{
	uint32_t bits;

	if (n < 30 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
		return -1;
	if (le32(d + 4) + 8 > n)
		return -1;
	if (memcmp(d + 12, "VP8 ", 4) == 0) {
		/* frame tag (3), start code 9d 01 2a, then 14-bit sizes */
		if (d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a)
			return -1;
		*w = le16(d + 26) & 0x3fff;
		*h = le16(d + 28) & 0x3fff;
		return 0;
	}
	if (memcmp(d + 12, "VP8L", 4) == 0) {
		if (d[20] != 0x2f)
			return -1;
		bits = le32(d + 21);
		*w = (bits & 0x3fff) + 1;
		*h = ((bits >> 14) & 0x3fff) + 1;
		return 0;
	}
	if (memcmp(d + 12, "VP8X", 4) == 0) {
		*w = le24(d + 24) + 1;
		*h = le24(d + 27) + 1;
		return 0;
	}
	return -1;
}

enum app_err
agenda_photo_check(const unsigned char *data, size_t len, const char *declared_type,
		   struct agenda_photo *out, const char **why)
{
	uint32_t	 w = 0, h = 0;
	const char	*type;

	memset(out, 0, sizeof(*out));
	if (!data || len == 0) {
		*why = "The photo is empty.";
		return E_INVALID;
	}
	if (len > AGENDA_PHOTO_MAX) {
		*why = "The photo is too large: the limit is 2 MB.";
		return E_INVALID;
	}
	if (png_size(data, len, &w, &h) == 0)
		type = "image/png";
	else if (jpeg_size(data, len, &w, &h) == 0)
		type = "image/jpeg";
	else if (webp_size(data, len, &w, &h) == 0)
		type = "image/webp";
	else {
		*why = "The photo is not a PNG, JPEG or WebP image.";
		return E_INVALID;
	}
	if (declared_type && *declared_type && strcasecmp(declared_type, type) != 0 &&
	    !(strcmp(type, "image/jpeg") == 0 && strcasecmp(declared_type, "image/jpg") == 0) &&
	    strcasecmp(declared_type, "application/octet-stream") != 0) {
		*why = "The photo's file type does not match its contents.";
		return E_INVALID;
	}
	if (w == 0 || h == 0 || w > AGENDA_PHOTO_DIM_MAX || h > AGENDA_PHOTO_DIM_MAX) {
		*why = "The photo's size in pixels is not acceptable (1 to 6000 each way).";
		return E_INVALID;
	}
	out->data = data;
	out->len = len;
	out->type = type;
	out->width = (int)w;
	out->height = (int)h;
	return E_OK;
}
