/* operator_metrics: the collectd plugin's entry points.
 *
 * module_register() registers only the complex config, init and shutdown
 * callbacks. Each configuration block becomes its own collector object with
 * its own read callback, "operator_metrics/<kind>/<name>", so collectd's
 * read threads run blocks in parallel and a slow source delays no other. */
#include "om_collectd.h"
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

static int config_target(oconfig_item_t *ci) {
  double interval = CDTIME_T_TO_DOUBLE(plugin_get_interval());
  om_target_config *cfg = om_target_config_parse(ci, interval);
  if (cfg == NULL)
    return -1;
  if (claim_block_id(cfg->block_id) != 0) {
    om_target_config_free(cfg);
    return -1;
  }
  char id[DATA_MAX_NAME_LEN * 2];
  snprintf(id, sizeof(id), "%s", cfg->block_id);
  double block_interval = cfg->interval_s;
  return register_block(id, block_interval, om_target_read,
                        om_target_new(cfg, catalog), om_target_free);
}

static int config_postgres(oconfig_item_t *ci) {
  double interval = CDTIME_T_TO_DOUBLE(plugin_get_interval());
  om_pg_config *cfg = om_pg_config_parse(ci, interval);
  if (cfg == NULL)
    return -1;
  if (claim_block_id(cfg->block_id) != 0) {
    om_pg_config_free(cfg);
    return -1;
  }
  char id[DATA_MAX_NAME_LEN * 2];
  snprintf(id, sizeof(id), "%s", cfg->block_id);
  double block_interval = cfg->interval_s;
  return register_block(id, block_interval, om_pg_read, om_pg_new(cfg, catalog),
                        om_pg_free);
}

static int om_config(oconfig_item_t *ci) {
  if (ensure_catalog() != 0)
    return -1;
  for (int i = 0; i < ci->children_num; i++) {
    oconfig_item_t *child = &ci->children[i];
    int status;
    if (strcasecmp(child->key, "Target") == 0) {
      status = config_target(child);
    } else if (strcasecmp(child->key, "Postgres") == 0) {
      status = config_postgres(child);
    } else {
      om_log(OM_LOG_ERR, NULL,
             "unknown block or option \"%s\" in <Plugin " OM_PLUGIN_NAME
             ">; expected <Target \"name\"> or <Postgres \"name\">",
             child->key);
      status = -1;
    }
    if (status != 0)
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
