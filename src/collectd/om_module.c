/* The plugin's config, init and shutdown callbacks; see om_module.h. */
#include "om_module.h"
#include "om_conf.h"
#include "om_dispatch.h"
#include "om_emitter.h"
#include "om_http.h"
#include "om_log.h"
#include "om_shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const om_block_kind *kinds;
static size_t kinds_num;
static om_catalog *catalog;
static char *block_ids[OM_MODULE_MAX_BLOCKS];
static size_t blocks_num;
static om_claims claims; /* of every block, until init */
static const om_build *build;
static om_sample build_info; /* operator_metrics_build_info, built at init */

/* What collectd holds for one block's read callback. */
typedef struct {
  const om_block_kind *kind;
  void *collector;
  om_election *election; /* NULL: the block always reads */
} block;

static int read_block(user_data_t *ud) {
  block *b = ud->data;
  if (b->election == NULL)
    return b->kind->read(b->collector);
  bool leader = om_election_lead(b->election);
  om_emitter *e = b->kind->emitter(b->collector);
  om_emitter_lead(e, leader, om_election_state_names, OM_ELECTION_STATES,
                  om_election_state_of(b->election));
  if (!leader) {
    om_emitter_standby(e);
    return 0;
  }
  return b->kind->read(b->collector);
}

static void free_block(void *p) {
  block *b = p;
  if (b == NULL)
    return;
  b->kind->stop(b->collector);
  om_election_free(b->election);
  free(b);
}

static int ensure_catalog(void) {
  char err[256];
  if (catalog != NULL)
    return 0;
  catalog = om_catalog_new(err, sizeof(err));
  if (catalog == NULL) {
    om_log(OM_LOG_ERR, NULL, "cannot build the metric catalog: %s", err);
    return -1;
  }
  om_emitter_set_plugin_limit(OM_PLUGIN_MAX_SERIES_DEFAULT);
  return 0;
}

/* Block ids must be unique: they name the read callbacks. */
static const char *claim_block_id(const char *id) {
  for (size_t i = 0; i < blocks_num; i++) {
    if (strcmp(block_ids[i], id) == 0) {
      om_log(OM_LOG_ERR, id, "%s",
             "a block of this kind and name exists "
             "already; block names must be unique");
      return NULL;
    }
  }
  if (blocks_num == OM_MODULE_MAX_BLOCKS ||
      (block_ids[blocks_num] = strdup(id)) == NULL) {
    om_log(OM_LOG_ERR, id, "too many blocks (at most %d)",
           OM_MODULE_MAX_BLOCKS);
    return NULL;
  }
  return block_ids[blocks_num++];
}

/* One read callback per block, "operator_metrics/<kind>/<name>". */
static int register_block(const om_block_kind *kind, const char *id,
                          double interval_s, om_election_conf *election,
                          void *collector) {
  om_election *el =
      election != NULL ? om_election_new(election, id, interval_s) : NULL;
  block *b = collector ? calloc(1, sizeof(*b)) : NULL;
  if (b == NULL || (election != NULL && el == NULL)) {
    free(b);
    om_election_free(el);
    if (collector != NULL)
      kind->stop(collector);
    om_log(OM_LOG_ERR, id, "out of memory");
    return -1;
  }
  *b = (block){kind, collector, el};
  char callback[2 * DATA_MAX_NAME_LEN];
  snprintf(callback, sizeof(callback), OM_PLUGIN_NAME "/%s", id);
  user_data_t ud = {.data = b, .free_func = free_block};
  return plugin_register_complex_read(OM_PLUGIN_NAME, callback, read_block,
                                      DOUBLE_TO_CDTIME_T(interval_s), &ud);
}

static int config_block(const om_block_kind *kind, oconfig_item_t *ci) {
  double interval = CDTIME_T_TO_DOUBLE(plugin_get_interval());
  om_block_conf *cfg = om_block_parse(ci, kind->syntax, interval);
  if (cfg == NULL)
    return -1; /* refused, and logged */
  const char *id = claim_block_id(cfg->id);
  double block_interval = cfg->interval_s > 0 ? cfg->interval_s : interval;
  if (id == NULL) {
    kind->syntax->free(cfg);
    return -1;
  }
  if (kind->claims != NULL)
    kind->claims(cfg, &claims);
  om_election_conf *election = cfg->election;
  cfg->election = NULL; /* the block's, not the collector's */
  return register_block(kind, id, block_interval, election,
                        kind->start(cfg, catalog));
}

/* The plugin-wide options directly in <Plugin operator_metrics>: 1 when
 * ci is none of them, else 0 or -1 (logged). */
static int config_plugin_option(const oconfig_item_t *ci) {
  static bool max_series_given;
  if (strcasecmp(ci->key, "MaxSeries") != 0)
    return 1;
  if (max_series_given) {
    om_log(OM_LOG_ERR, NULL,
           "option \"MaxSeries\" of <Plugin " OM_PLUGIN_NAME
           "> is given twice");
    return -1;
  }
  size_t limit = 0;
  if (om_conf_size(ci, NULL, 1, OM_PLUGIN_MAX_SERIES_MAX, &limit) != 0)
    return -1;
  max_series_given = true;
  om_emitter_set_plugin_limit(limit);
  return 0;
}

static const om_block_kind *kind_of(const char *key) {
  for (size_t k = 0; k < kinds_num; k++)
    if (strcasecmp(key, kinds[k].syntax->key) == 0)
      return &kinds[k];
  return NULL;
}

static void refuse_unknown(const char *key) {
  char expected[256] = "";
  for (size_t k = 0; k < kinds_num; k++) {
    size_t used = strlen(expected);
    snprintf(expected + used, sizeof(expected) - used, "%s<%s \"name\">",
             k == 0 ? "" : (k + 1 == kinds_num ? " or " : ", "),
             kinds[k].syntax->key);
  }
  om_log(OM_LOG_ERR, NULL,
         "unknown block or option \"%s\" in <Plugin " OM_PLUGIN_NAME
         ">; expected %s",
         key, expected);
}

/* Every block is read, and every error of each is logged, before collectd
 * is told to refuse the configuration: a user fixes them in one go. */
static int om_config(oconfig_item_t *ci) {
  if (ensure_catalog() != 0)
    return -1;
  int errors = 0;
  for (int i = 0; i < ci->children_num; i++) {
    oconfig_item_t *child = &ci->children[i];
    const om_block_kind *kind = kind_of(child->key);
    int option = kind == NULL ? config_plugin_option(child) : 1;
    if (option == 0)
      continue;
    if (option < 0) {
      errors++;
    } else if (kind == NULL) {
      refuse_unknown(child->key);
      errors++;
    } else if (config_block(kind, child) != 0) {
      errors++;
    }
  }
  if (errors > 0)
    om_log(OM_LOG_ERR, NULL,
           "%d of %d block(s) in <Plugin " OM_PLUGIN_NAME
           "> refused; collectd does not start",
           errors, ci->children_num);
  else if (om_claims_check(&claims) != 0) {
    om_log(OM_LOG_ERR, NULL, "%s",
           "blocks in <Plugin " OM_PLUGIN_NAME
           "> would send the same series; collectd does not start");
    errors++;
  }
  return errors > 0 ? -1 : 0;
}

static int read_build_info(user_data_t *ud) {
  (void)ud;
  om_series_ref s = om_sample_series(&build_info);
  return om_dispatch(&s, 1, 0, cdtime()) == 0 ? 0 : -1;
}

/* Logs what the plugin runs with and registers its build_info series. */
static int start_build_info(void) {
  om_log(OM_LOG_INFO, NULL,
         "version %s (collectd %s, libcurl %s, libpq %s, "
         "cJSON %s)",
         build->version, build->collectd, build->libcurl, build->libpq,
         build->cjson);
  const om_series_type *st = om_catalog_series_of(
      catalog, "operator_metrics_build_info", OM_SERIES_PLAIN);
  om_label l[] = {om_label_cstr("version", build->version),
                  om_label_cstr("collectd", build->collectd),
                  om_label_cstr("libcurl", build->libcurl),
                  om_label_cstr("libpq", build->libpq)};
  if (st == NULL ||
      om_sample_build(st, l, OM_LEN(l), 1, &build_info) != OM_DROP_NONE) {
    om_log(OM_LOG_ERR, NULL, "%s", "internal error: no build_info series");
    return -1;
  }
  return plugin_register_complex_read(
      OM_PLUGIN_NAME, OM_PLUGIN_NAME "/build_info", read_build_info, 0, NULL);
}

static int om_init(void) {
  char err[256];
  om_claims_settle(&claims);
  om_conf_set_hostname(hostname_g);
  if (ensure_catalog() != 0)
    return -1;
  if (om_http_global_init(err, sizeof(err)) != 0) {
    om_log(OM_LOG_ERR, NULL, "%s", err);
    return -1;
  }
  if (om_register_data_sets(catalog,
                            om_shard_count(om_emitter_plugin_limit())) != 0)
    return -1;
  return start_build_info();
}

/* collectd stops the read threads and frees the blocks before this. */
static int om_shutdown(void) {
  for (size_t i = 0; i < blocks_num; i++)
    free(block_ids[i]);
  blocks_num = 0;
  om_emitter_shutdown();
  om_claims_shutdown();
  om_catalog_free(catalog);
  catalog = NULL;
  om_http_global_cleanup();
  return 0;
}

void om_module_register(const om_block_kind *table, size_t num,
                        const om_build *b) {
  kinds = table;
  kinds_num = num;
  build = b;
  plugin_register_complex_config(OM_PLUGIN_NAME, om_config);
  plugin_register_init(OM_PLUGIN_NAME, om_init);
  plugin_register_shutdown(OM_PLUGIN_NAME, om_shutdown);
}
