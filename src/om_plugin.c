/* operator_metrics: the collectd plugin's entry point and its kinds of
 * blocks. Everything else is in the rooms below src/: the collectors
 * (target/, postgres/, backup/, kubernetes/, host/), collectd's glue
 * (collectd/om_module.c registers the callbacks), bounded I/O (io/) and
 * pure code (core/). */
#include "om_backup.h"
#include "om_backup_config.h"
#include "om_host.h"
#include "om_host_config.h"
#include "om_http.h"
#include "om_kube.h"
#include "om_kube_config.h"
#include "om_module.h"
#include "om_pg_client.h"
#include "om_pg_config.h"
#include "om_postgres.h"
#include "om_target.h"
#include "om_target_config.h"

#include <cjson/cJSON.h>

static const om_block_kind KINDS[] = {
    {&om_target_syntax, om_target_new, om_target_read, om_target_free,
     om_target_claims, om_target_emitter},
    {&om_pg_syntax, om_pg_new, om_pg_read, om_pg_free, om_pg_claims,
     om_pg_emitter},
    {&om_backup_syntax, om_backup_new, om_backup_read, om_backup_free,
     om_backup_claims, om_backup_emitter},
    {&om_kube_syntax, om_kube_new, om_kube_read, om_kube_free, om_kube_claims,
     om_kube_emitter},
    {&om_host_syntax, om_host_new, om_host_read, om_host_free, om_host_claims,
     om_host_emitter},
};

/* collectd-dev's own version of the headers the plugin is built against */
static const char *collectd_version(void) {
#ifdef PACKAGE_VERSION
  return PACKAGE_VERSION;
#else
  return "5";
#endif
}

void module_register(void);
void module_register(void) {
  static char libpq[16];
  static om_build build;
  om_pg_lib_version(libpq, sizeof(libpq));
  build = (om_build){OM_VERSION, collectd_version(), om_http_lib_version(),
                     libpq, cJSON_Version()};
  om_module_register(KINDS, OM_LEN(KINDS), &build);
}
