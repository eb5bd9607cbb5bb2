/* operator_metrics: the collectd plugin's entry points.
 *
 * module_register() registers only the complex config, init and shutdown
 * callbacks. Each configuration block becomes its own collector object with
 * its own read callback, "operator_metrics/<kind>/<name>", so collectd's
 * read threads run blocks in parallel and a slow source delays no other. */
#include "om_backup.h"
#include "om_collectd.h"
#include "om_kube.h"
#include "om_log.h"
#include "om_postgres.h"
#include "om_target.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>

#define MAX_BLOCKS 1024

static om_catalog *catalog;
static char *block_ids[MAX_BLOCKS];
static size_t blocks_num;
static bool curl_ready;

static int ensure_catalog(void) {
  char err[256];
  if (catalog != NULL)
    return 0;
  catalog = om_catalog_new(err, sizeof(err));
  if (catalog == NULL) {
    om_log(OM_LOG_ERR, NULL, "cannot build the metric catalog: %s", err);
    return -1;
  }
  return 0;
}

/* Block names must be unique per kind: they name the read callbacks. */
static int claim_block_id(const char *id) {
  for (size_t i = 0; i < blocks_num; i++) {
    if (strcmp(block_ids[i], id) == 0) {
      om_log(OM_LOG_ERR, id, "%s",
             "a block of this kind and name exists "
             "already; block names must be unique");
      return -1;
    }
  }
  if (blocks_num == MAX_BLOCKS ||
      (block_ids[blocks_num] = strdup(id)) == NULL) {
    om_log(OM_LOG_ERR, id, "too many blocks (at most %d)", MAX_BLOCKS);
    return -1;
  }
  blocks_num++;
  return 0;
}

/* One read callback per block, "operator_metrics/<kind>/<name>". */
static int register_block(const char *block_id, double interval_s,
                          plugin_read_cb read, void *collector,
                          void (*free_func)(void *)) {
  if (collector == NULL) {
    om_log(OM_LOG_ERR, block_id, "out of memory");
    return -1;
  }
  char callback[DATA_MAX_NAME_LEN * 2];
  snprintf(callback, sizeof(callback), OM_PLUGIN_NAME "/%s", block_id);
  user_data_t ud = {.data = collector, .free_func = free_func};
  return plugin_register_complex_read(OM_PLUGIN_NAME, callback, read,
                                      DOUBLE_TO_CDTIME_T(interval_s), &ud);
}

/* Each kind of block: how its configuration is parsed into a collector. A
 * config function returns the collector (NULL after logging why), its
 * block id and its interval. */
typedef struct {
  const char *key;
  void *(*configure)(oconfig_item_t *ci, double interval, const char **id,
                     double *block_interval);
  plugin_read_cb read;
  void (*free_func)(void *);
} block_kind;

/* The collector takes ownership of its configuration, even on failure. */
#define CONFIGURE(kind, config_type, parse, config_free, make)                 \
  static void *configure_##kind(oconfig_item_t *ci, double interval,           \
                                const char **id, double *block_interval) {     \
    config_type *cfg = parse(ci, interval);                                    \
    if (cfg == NULL)                                                           \
      return NULL;                                                             \
    if (claim_block_id(cfg->block_id) != 0) {                                  \
      config_free(cfg);                                                        \
      return NULL;                                                             \
    }                                                                          \
    *id = block_ids[blocks_num - 1];                                           \
    *block_interval = cfg->interval_s;                                         \
    return make(cfg, catalog);                                                 \
  }

CONFIGURE(target, om_target_config, om_target_config_parse,
          om_target_config_free, om_target_new)
CONFIGURE(postgres, om_pg_config, om_pg_config_parse, om_pg_config_free,
          om_pg_new)
CONFIGURE(backup, om_backup_config, om_backup_config_parse,
          om_backup_config_free, om_backup_new)
CONFIGURE(kube, om_kube_config, om_kube_config_parse, om_kube_config_free,
          om_kube_new)

static const block_kind KINDS[] = {
    {"Target", configure_target, om_target_read, om_target_free},
    {"Postgres", configure_postgres, om_pg_read, om_pg_free},
    {"Backup", configure_backup, om_backup_read, om_backup_free},
    {"Kubernetes", configure_kube, om_kube_read, om_kube_free},
};

static int config_block(const block_kind *kind, oconfig_item_t *ci) {
  double interval = CDTIME_T_TO_DOUBLE(plugin_get_interval());
  const char *id = NULL;
  double block_interval = 0;
  void *collector = kind->configure(ci, interval, &id, &block_interval);
  if (id == NULL)
    return -1; /* refused, and logged */
  return register_block(id, block_interval, kind->read, collector,
                        kind->free_func);
}

static int om_config(oconfig_item_t *ci) {
  if (ensure_catalog() != 0)
    return -1;
  for (int i = 0; i < ci->children_num; i++) {
    oconfig_item_t *child = &ci->children[i];
    const block_kind *kind = NULL;
    for (size_t k = 0; k < sizeof(KINDS) / sizeof(KINDS[0]); k++)
      if (strcasecmp(child->key, KINDS[k].key) == 0)
        kind = &KINDS[k];
    if (kind == NULL) {
      om_log(OM_LOG_ERR, NULL,
             "unknown block or option \"%s\" in <Plugin " OM_PLUGIN_NAME
             ">; expected <Target \"name\">, <Postgres \"name\">, "
             "<Backup \"name\"> or <Kubernetes \"name\">",
             child->key);
      return -1;
    }
    if (config_block(kind, child) != 0)
      return -1;
  }
  return 0;
}

static int om_init(void) {
  if (ensure_catalog() != 0)
    return -1;
  if (!curl_ready) {
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
      om_log(OM_LOG_ERR, NULL, "curl_global_init failed: %s",
             curl_easy_strerror(rc));
      return -1;
    }
    curl_ready = true;
  }
  return om_register_data_sets(catalog);
}

/* collectd stops the read threads and frees the blocks before this. */
static int om_shutdown(void) {
  for (size_t i = 0; i < blocks_num; i++)
    free(block_ids[i]);
  blocks_num = 0;
  om_catalog_free(catalog);
  catalog = NULL;
  if (curl_ready) {
    curl_global_cleanup();
    curl_ready = false;
  }
  return 0;
}

void module_register(void);
void module_register(void) {
  plugin_register_complex_config(OM_PLUGIN_NAME, om_config);
  plugin_register_init(OM_PLUGIN_NAME, om_init);
  plugin_register_shutdown(OM_PLUGIN_NAME, om_shutdown);
}
