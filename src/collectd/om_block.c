/* The configuration skeleton and the time rule of every block; see
 * om_block.h. */
#include "om_block.h"
#include "om_catalog_data.h"
#include "om_conf.h"
#include "om_encode.h"
#include "om_log.h"
#include "om_sample.h"
#include "om_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void om_block_conf_free(om_block_conf *b) {
  free(b->name);
  free(b->id);
  b->name = b->id = NULL;
  om_conf_strings_free(b->include, b->include_num);
  om_conf_strings_free(b->exclude, b->exclude_num);
  b->include = b->exclude = NULL;
  b->include_num = b->exclude_num = 0;
  om_election_conf_free(b->election);
  b->election = NULL;
}

/* The block's name, exactly one non-empty UTF-8 string (or the kind's
 * default name when none is given), and its id. */
static int read_name(const oconfig_item_t *ci, const om_block_syntax *syn,
                     om_block_conf *b) {
  bool unnamed = ci->values_num == 0 && syn->default_name != NULL;
  if (!unnamed &&
      (ci->values_num != 1 || ci->values[0].type != OCONFIG_TYPE_STRING ||
       ci->values[0].value.string[0] == '\0' ||
       !om_utf8_valid(ci->values[0].value.string,
                      strlen(ci->values[0].value.string)))) {
    om_log(OM_LOG_ERR, NULL,
           "a <%s> block needs exactly one non-empty UTF-8 name, as in "
           "<%s \"name\">",
           ci->key, ci->key);
    return -1;
  }
  const char *name = unnamed ? syn->default_name : ci->values[0].value.string;
  size_t len = strlen(syn->kind) + 1 + strlen(name) + 1;
  b->name = strdup(name);
  b->id = malloc(len);
  if (b->name == NULL || b->id == NULL) {
    om_log(OM_LOG_ERR, NULL, "<%s> block: out of memory", syn->key);
    return -1;
  }
  snprintf(b->id, len, "%s/%s", syn->kind, name);
  return 0;
}

typedef struct {
  const om_block_syntax *syntax;
  om_block_conf *conf;
} reading;

/* Interval, or the kind's own options that take more than a type. */
static int other_option(void *ctx, const oconfig_item_t *item) {
  reading *r = ctx;
  if (strcasecmp(item->key, "Interval") == 0)
    return om_conf_seconds(item, r->conf->id, &r->conf->interval_s);
  int rc = om_election_option(&r->conf->election, item, r->conf->id);
  if (rc != 1)
    return rc;
  return r->syntax->option(r->conf, item);
}

static int read_options(const oconfig_item_t *ci, const om_block_syntax *syn,
                        om_block_conf *b) {
  reading r = {syn, b};
  return om_conf_options(ci, b->id, b, syn->options, syn->options_num,
                         syn->repeatable, other_option, &r);
}

int om_block_check_fits(const om_block_conf *b, const char *what,
                        const char *family, om_label *labels, size_t n) {
  size_t num = 0;
  const om_family *f = om_catalog_families(&num), *found = NULL;
  for (size_t i = 0; i < num && found == NULL; i++)
    if (strcmp(f[i].name, family) == 0)
      found = &f[i];
  om_slice order[OM_ORDER_MAX_LABELS];
  size_t order_num = 0;
  for (size_t i = 0; found && found->labels[i] && i < OM_LEN(order); i++)
    order[order_num++] = om_slice_from_cstr(found->labels[i]);
  om_order_labels(labels, n, order, order_num);
  om_pack pack;
  size_t need = 0;
  if (om_pack_labels(labels, n, false, &pack, &need) == OM_ENC_OK)
    return 0;
  om_log(OM_LOG_ERR, b->id,
         "%s too long: the block's own %s would not fit collectd's "
         "identifier fields (%zu bytes, over the %d of three fields of %d "
         "bytes)",
         what, family, need, OM_PACK_MAX, OM_PACK_FIELD_MAX);
  return -1;
}

/* The block's name is a label of its drop counts, whatever its kind. */
static int check_name_fits(const om_block_syntax *syn, const om_block_conf *b) {
  const char *longest = "";
  for (int r = OM_DROP_NONE + 1; r < OM_DROP_REASONS_NUM; r++)
    if (strlen(om_drop_reason_name((om_drop_reason)r)) > strlen(longest))
      longest = om_drop_reason_name((om_drop_reason)r);
  om_label l[] = {om_label_cstr("collector", syn->kind),
                  om_label_cstr("block", b->name),
                  om_label_cstr("reason", longest)};
  return om_block_check_fits(b, "the block's name is",
                             "operator_metrics_dropped_samples_total", l, 3);
}

void *om_block_parse(const oconfig_item_t *ci, const om_block_syntax *syn,
                     double default_interval_s) {
  om_block_conf *b = calloc(1, syn->size);
  if (b == NULL) {
    om_log(OM_LOG_ERR, NULL, "<%s> block: out of memory", syn->key);
    return NULL;
  }
  if (syn->init != NULL)
    syn->init(b);
  if (read_name(ci, syn, b) != 0 || check_name_fits(syn, b) != 0 ||
      read_options(ci, syn, b) != 0) {
    syn->free(b);
    return NULL;
  }
  double interval = b->interval_s > 0 ? b->interval_s : default_interval_s;
  if (syn->finish(b, interval) != 0 ||
      om_election_finish(b->election, b->id, interval) != 0) {
    syn->free(b);
    return NULL;
  }
  return b;
}

int om_block_timeouts(const om_block_conf *b, om_block_timeout *limits,
                      size_t n, double interval_s) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) {
    om_block_timeout *t = &limits[i];
    if (*t->value == 0) {
      double share = interval_s * t->share;
      *t->value = share < t->cap_s ? share : t->cap_s;
    }
    sum += *t->value;
  }
  if (sum <= interval_s * OM_BLOCK_READ_SHARE)
    return 0;
  char names[256] = "";
  for (size_t i = 0; i < n; i++) {
    size_t used = strlen(names);
    snprintf(names + used, sizeof(names) - used, "%s\"%s\" (%g s)",
             i == 0 ? "" : (i + 1 == n ? " and " : ", "), limits[i].option,
             *limits[i].value);
  }
  om_log(OM_LOG_ERR, b->id,
         "%s %s %smust not exceed %g%% of the interval "
         "(%g s)",
         n == 1 ? "option" : "options", names, n == 1 ? "" : "together ",
         OM_BLOCK_READ_SHARE * 100, interval_s);
  return -1;
}
