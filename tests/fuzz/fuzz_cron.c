/* libFuzzer target: arbitrary text as a Schedule (cron expression), and
 * the next times it fires in UTC and in a zone with daylight saving. A
 * next time is always later than the time asked about; nothing may
 * crash or loop without bound. */
#include "om_cron.h"
#include "om_tz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static om_tz *berlin;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[256];
  if (berlin == NULL)
    berlin = om_tz_parse_rule("CET-1CEST,M3.5.0,M10.5.0/3", err, sizeof(err));
  if (size > OM_CRON_MAX_LENGTH + 8)
    return 0;
  char *expr = malloc(size + 1);
  memcpy(expr, data, size);
  expr[size] = '\0';
  om_cron c;
  if (om_cron_parse(expr, &c, err, sizeof(err)) == 0) {
    int64_t t = 1774746000 - 600; /* just before a change to summer time */
    for (int i = 0; i < 3; i++) {
      int64_t next = om_cron_next(&c, i == 1 ? berlin : NULL, t);
      if (next != -1 && next <= t)
        abort();
      if (next > 0)
        t = next;
    }
  }
  free(expr);
  return 0;
}
