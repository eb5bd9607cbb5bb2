/* libFuzzer target: arbitrary bytes as pgBackRest's info JSON. What
 * parses must be a listing as the header promises: at most
 * OM_BACKUP_MAX_SETS sets of sorted items with stop >= start and valid
 * UTF-8 names; a refusal must say where. Nothing may crash or leak. */
#include "om_backup_listing.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool keep_odd(const void *ctx, const om_backup_set *set) {
  (void)ctx;
  return strlen(set->name) % 2 == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[300];
  char *json = malloc(size ? size : 1);
  memcpy(json, data, size);
  om_backup_listing l;
  if (om_pgbackrest_parse(json, size, &l, err, sizeof(err)) != 0) {
    if (err[0] == '\0')
      abort();
    free(json);
    return 0;
  }
  if (l.sets_num > OM_BACKUP_MAX_SETS)
    abort();
  for (size_t i = 0; i < l.sets_num; i++) {
    const om_backup_set *s = &l.sets[i];
    if (!om_utf8_valid(s->name, strlen(s->name)))
      abort();
    for (size_t j = 0; j < s->items_num; j++) {
      if (s->items[j].stop < s->items[j].start)
        abort();
      if (j > 0 && s->items[j].stop > s->items[j - 1].stop)
        abort(); /* newest first */
    }
  }
  om_backup_listing_keep(&l, keep_odd, NULL);
  om_backup_listing_free(&l);
  free(json);
  return 0;
}
