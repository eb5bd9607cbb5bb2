/* libFuzzer target: arbitrary bytes as a TZif file and as a POSIX TZ rule
 * (the TimeZone option reads zone files). A zone that parses must answer
 * offsets within a day of UTC at any time; nothing may crash, leak or
 * read past the input. */
#include "om_tz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void probe(const om_tz *tz) {
  static const int64_t times[] = {
      INT64_MIN / 2, -1, 0, 1774746000, 2216250000, 4102444800, INT64_MAX / 2};
  for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
    int32_t off = om_tz_offset(tz, times[i]);
    if (off < -26 * 3600 || off > 26 * 3600)
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[256];
  unsigned char *copy = malloc(size ? size : 1); /* exactly size bytes */
  memcpy(copy, data, size);
  om_tz *tz = om_tz_parse(copy, size, err, sizeof(err));
  if (tz != NULL)
    probe(tz);
  om_tz_free(tz);
  free(copy);
  char *rule = malloc(size + 1);
  memcpy(rule, data, size);
  rule[size] = '\0';
  tz = om_tz_parse_rule(rule, err, sizeof(err));
  if (tz != NULL)
    probe(tz);
  om_tz_free(tz);
  free(rule);
  return 0;
}
