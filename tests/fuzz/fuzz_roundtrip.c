/* libFuzzer target: label sets from the input (name\0value\1name\0value...)
 * are packed as the plugin packs them, passed through collectd's
 * escape_slashes and decoded with the shipped relabel snippet; whatever the
 * encoder accepts must come back exactly. */
#include "collectd_model.h"
#include "om_sample.h"
#include "om_shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LABELS 12

static rl_rules *rules;

static size_t split(char *buf, size_t size, om_label *labels) {
  size_t n = 0, pos = 0;
  while (pos < size && n < MAX_LABELS) {
    char *name = buf + pos;
    char *sep = memchr(name, '\0', size - pos);
    if (sep == NULL)
      break;
    char *value = sep + 1;
    size_t rest = size - (size_t)(value - buf);
    char *end = memchr(value, '\1', rest);
    size_t vlen = end ? (size_t)(end - value) : rest;
    labels[n].name = (om_slice){name, (size_t)(sep - name)};
    labels[n].value = (om_slice){value, vlen};
    n++;
    pos = (size_t)(value - buf) + vlen + 1;
  }
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (rules == NULL && (rules = rl_rules_load(OM_SNIPPET)) == NULL)
    abort();
  char *buf = malloc(size + 1);
  memcpy(buf, data, size);
  buf[size] = '\0';
  om_label labels[MAX_LABELS + 1], original[MAX_LABELS];
  size_t n = split(buf, size, labels);
  /* names must be unique, as in a parsed sample */
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (om_slice_cmp(labels[i].name, labels[j].name) == 0)
        goto done;
  memcpy(original, labels, n * sizeof(*labels));
  om_sample s;
  om_slice family = om_slice_from_cstr("fuzz_family");
  if (om_sample_build_generic(family, labels, n, 1, &s) != OM_DROP_NONE)
    goto done;
  rl_labelset ls = {0};
  /* one shard or up to the most, as the input's length says */
  cm_as_scraped(&s, 1 + (unsigned)(size * 7 % OM_SHARD_MAX), &ls);
  rl_apply(rules, &ls);
  if (strcmp(rl_get(&ls, "__name__"), "fuzz_family") != 0)
    abort();
  size_t want = 3; /* __name__ and the scrape's job and instance */
  for (size_t i = 0; i < n; i++) {
    if (original[i].value.len == 0)
      continue;
    if (om_slice_eq_cstr(original[i].name, "job") ||
        om_slice_eq_cstr(original[i].name, "instance"))
      want--;
    want++;
    char lname[OM_PACK_MAX + 1];
    snprintf(lname, sizeof(lname), "%.*s", (int)original[i].name.len,
             original[i].name.ptr);
    const char *got = rl_get(&ls, lname);
    if (strlen(got) != original[i].value.len ||
        memcmp(got, original[i].value.ptr, original[i].value.len) != 0)
      abort();
  }
  if (ls.num != want)
    abort();
  rl_labelset_free(&ls);
done:
  free(buf);
  return 0;
}
