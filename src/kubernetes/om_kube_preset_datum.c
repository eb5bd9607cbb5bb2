/* The datum preset: Datum Cloud's Organization and Project
 * (resourcemanager.miloapis.com/v1alpha1, cluster-scoped, condition Ready)
 * and Workload (compute.datumapis.com/v1alpha, condition Available), as
 * kube_customresource_status_condition. */
#include "om_kube_preset_datum.h"

#include <stdio.h>
#include <string.h>

/* kube_customresource_status_condition for one condition type: 1 for its
 * status (True, False or Unknown; Unknown when the condition is absent),
 * 0 for the other two. */
static void condition_states(const om_kube_resource *r, const cJSON *o,
                             const char *type, om_kube_snapshot *s) {
  static const char *const STATUSES[] = {"True", "False", "Unknown"};
  const char *current = om_kube_condition_status(o, type, "Unknown");
  for (size_t i = 0; i < 3; i++) {
    om_label l[] = {om_label_cstr("customresource_group", r->group),
                    om_label_cstr("customresource_version", r->version),
                    om_label_cstr("customresource_kind", r->kind),
                    om_label_cstr("namespace", om_kube_namespace_of(o)),
                    om_label_cstr("name", om_kube_name_of(o)),
                    om_label_cstr("condition", type),
                    om_label_cstr("status", STATUSES[i])};
    om_kube_rows_set(&s->values, "kube_customresource_status_condition", l, 7,
                     strcmp(current, STATUSES[i]) == 0);
  }
}

static void map_ready(const om_kube_resource *r, const cJSON *o,
                      om_kube_snapshot *s) {
  condition_states(r, o, "Ready", s);
}

static void map_available(const om_kube_resource *r, const cJSON *o,
                          om_kube_snapshot *s) {
  condition_states(r, o, "Available", s);
}

#define MILO "resourcemanager.miloapis.com", "v1alpha1"

static const om_kube_preset_resource RESOURCES[] = {
    {MILO, "organizations", "Organization", true, map_ready},
    {MILO, "projects", "Project", true, map_ready},
    {"compute.datumapis.com", "v1alpha", "workloads", "Workload", false,
     map_available},
};

static const char *const FAMILIES[] = {"kube_customresource_status_condition",
                                       NULL};

const om_kube_preset om_kube_preset_datum = {"datum", RESOURCES,
                                             OM_LEN(RESOURCES), FAMILIES};
