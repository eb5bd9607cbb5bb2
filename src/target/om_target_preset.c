/* The presets of a <Target>; see om_target_preset.h and the README's
 * "Which source for what". */
#include "om_target_preset.h"
#include "om_text.h"

#include <strings.h>

#define OPERATOR_RUNTIME "controller-runtime", "client_golang"

static const char *const RUNTIME[] = {OPERATOR_RUNTIME, NULL};
static const char *const DYNAMO_SOURCES[] = {OPERATOR_RUNTIME, "dynamo", NULL};
static const char *const NONE[] = {NULL};

/* The DB Provision Operator's counters and histograms of its own work;
 * the rest of its dbops_* families the plugin measures first-hand. */
static const char *const DBOPS_OWN[] = {
    "dbops_database_operations_total",
    "dbops_database_operation_duration_seconds",
    "dbops_user_operations_total",
    "dbops_role_operations_total",
    "dbops_grant_operations_total",
    "dbops_restore_operations_total",
    "dbops_restore_duration_seconds",
    NULL};

/* what <Kubernetes> with Preset "dynamo" counts from the API */
static const char *const DYNAMO_COUNTED[] = {"dynamo_operator_resources_total",
                                             NULL};

static const om_target_preset PRESETS[] = {
    {"dbops-operator", RUNTIME, DBOPS_OWN, NONE},
    {"dynamo-operator", DYNAMO_SOURCES, NONE, DYNAMO_COUNTED},
    {"datum-operator", RUNTIME, NONE, NONE},
};

const om_target_preset *om_target_preset_named(const char *name) {
  for (size_t i = 0; i < OM_LEN(PRESETS); i++)
    if (strcasecmp(PRESETS[i].name, name) == 0)
      return &PRESETS[i];
  return NULL;
}

const char *om_target_preset_names(void) {
  return "dbops-operator, dynamo-operator or datum-operator";
}

bool om_target_preset_has(const om_target_preset *p, const om_family *f) {
  if (om_name_listed(p->except, f->name))
    return false;
  return om_name_listed(p->sources, f->source) ||
         om_name_listed(p->families, f->name);
}
