/* The dynamo preset: the Dynamo operator (nvidia.com). Its resource
 * counter's status per kind: DGD .status.state and DGDR (v1beta1)
 * .status.phase verbatim; DCD ready when Available=True and
 * observedGeneration >= generation; DM ready when ready and LoRA-covered
 * endpoints cover totalEndpoints > 0; DGDSA ready when it has a selector
 * and replicas != 0. */
#include "om_kube_preset_dynamo.h"

#include <stdio.h>
#include <string.h>

static double number_at(const cJSON *o, const char *path) {
  const cJSON *v = om_json_at(o, path);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void dynamo_count(const om_kube_resource *r, const cJSON *o,
                         const char *status, om_kube_snapshot *s) {
  om_label l[] = {om_label_cstr("resource_type", r->kind),
                  om_label_cstr("namespace", om_kube_namespace_of(o)),
                  om_label_cstr("status", status)};
  om_kube_rows_count(&s->totals, "dynamo_operator_resources_total", l, 3);
}

static void map_dgd(const om_kube_resource *r, const cJSON *o,
                    om_kube_snapshot *s) {
  dynamo_count(r, o, om_json_str(o, "status.state", ""), s);
}

static void map_dgdr(const om_kube_resource *r, const cJSON *o,
                     om_kube_snapshot *s) {
  dynamo_count(r, o, om_json_str(o, "status.phase", ""), s);
}

static void map_dcd(const om_kube_resource *r, const cJSON *o,
                    om_kube_snapshot *s) {
  bool current = number_at(o, "status.observedGeneration") >=
                 number_at(o, "metadata.generation");
  bool ready = current && strcmp(om_kube_condition_status(o, "Available", ""),
                                 "True") == 0;
  dynamo_count(r, o, ready ? "ready" : "not_ready", s);
}

static void map_dm(const om_kube_resource *r, const cJSON *o,
                   om_kube_snapshot *s) {
  double total = number_at(o, "status.totalEndpoints");
  double covered = number_at(o, "status.readyEndpoints") +
                   number_at(o, "status.loraFallbackCoveredEndpoints");
  bool ready = total > 0 && covered > 0 && covered >= total;
  dynamo_count(r, o, ready ? "ready" : "not_ready", s);
}

static void map_dgdsa(const om_kube_resource *r, const cJSON *o,
                      om_kube_snapshot *s) {
  bool ready = om_json_str(o, "status.selector", NULL) != NULL &&
               number_at(o, "status.replicas") != 0;
  dynamo_count(r, o, ready ? "ready" : "not_ready", s);
}

#define DYNAMO "nvidia.com"

static const om_kube_preset_resource RESOURCES[] = {
    {DYNAMO, "v1alpha1", "dynamographdeployments", "DynamoGraphDeployment",
     false, map_dgd},
    {DYNAMO, "v1alpha1", "dynamocomponentdeployments",
     "DynamoComponentDeployment", false, map_dcd},
    {DYNAMO, "v1alpha1", "dynamomodels", "DynamoModel", false, map_dm},
    {DYNAMO, "v1beta1", "dynamographdeploymentrequests",
     "DynamoGraphDeploymentRequest", false, map_dgdr},
    {DYNAMO, "v1alpha1", "dynamographdeploymentscalingadapters",
     "DynamoGraphDeploymentScalingAdapter", false, map_dgdsa},
};

static const char *const FAMILIES[] = {"dynamo_operator_resources_total", NULL};

const om_kube_preset om_kube_preset_dynamo = {"dynamo", RESOURCES,
                                              OM_LEN(RESOURCES), FAMILIES};
