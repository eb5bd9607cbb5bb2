/* A Lease for leader election, without I/O; see om_lease.h. */
#include "om_lease.h"
#include "om_json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Copies a string field of obj (absent: "") into out; false when it is
 * not a string or does not fit. */
static bool copy_field(const cJSON *obj, const char *path, char *out,
                       size_t cap) {
  const cJSON *v = om_json_at(obj, path);
  out[0] = '\0';
  if (v == NULL || cJSON_IsNull(v))
    return true;
  if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
    return false;
  memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
  return true;
}

/* A whole number field in [0, max] (absent: 0); false otherwise. */
static bool number_field(const cJSON *obj, const char *path, long max,
                         long *out) {
  const cJSON *v = om_json_at(obj, path);
  *out = 0;
  if (v == NULL || cJSON_IsNull(v))
    return true;
  if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
      v->valuedouble != floor(v->valuedouble))
    return false;
  *out = (long)v->valuedouble;
  return true;
}

int om_lease_parse(const char *json, size_t len, om_lease_record *out,
                   char *err, size_t errlen) {
  cJSON *root = cJSON_ParseWithLength(json, len);
  const char *bad = NULL;
  memset(out, 0, sizeof(*out));
  if (root == NULL || !cJSON_IsObject(root))
    bad = "not a JSON object";
  else if (strcmp(om_json_str(root, "kind", ""), "Lease") != 0)
    bad = "\"kind\" is not \"Lease\"";
  else if (!copy_field(root, "metadata.resourceVersion", out->version,
                       sizeof(out->version)) ||
           out->version[0] == '\0')
    bad = "\"metadata.resourceVersion\" is missing or not a short string";
  else if (!copy_field(root, "spec.holderIdentity", out->holder,
                       sizeof(out->holder)))
    bad = "\"spec.holderIdentity\" is not a string of at most 255 bytes";
  else if (!copy_field(root, "spec.acquireTime", out->acquire_time,
                       sizeof(out->acquire_time)))
    bad = "\"spec.acquireTime\" is not a time";
  else if (!number_field(root, "spec.leaseDurationSeconds", 86400 * 365,
                         &out->duration_s))
    bad = "\"spec.leaseDurationSeconds\" is not a whole number of seconds";
  else if (!number_field(root, "spec.leaseTransitions", 2147483647L,
                         &out->transitions))
    bad = "\"spec.leaseTransitions\" is not a whole number";
  cJSON_Delete(root);
  if (bad != NULL)
    snprintf(err, errlen, "the answer is not a Lease: %s", bad);
  return bad == NULL ? 0 : -1;
}

void om_lease_time(double epoch_s, char out[OM_LEASE_TIME_SIZE]) {
  time_t secs = (time_t)floor(epoch_s);
  long micros = (long)((epoch_s - floor(epoch_s)) * 1e6);
  struct tm tm;
  if (micros > 999999)
    micros = 999999;
  gmtime_r(&secs, &tm);
  char day[32];
  strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, OM_LEASE_TIME_SIZE, "%s.%06dZ", day, (int)micros);
}

char *om_lease_body(const char *namespace_, const char *name,
                    const om_lease_record *current, const char *holder,
                    long duration_s, double now) {
  char renew[OM_LEASE_TIME_SIZE];
  om_lease_time(now, renew);
  bool renewal = current != NULL && strcmp(current->holder, holder) == 0;
  const char *acquired =
      renewal && current->acquire_time[0] ? current->acquire_time : renew;
  long transitions = current == NULL ? 0
                     : renewal       ? current->transitions
                                     : current->transitions + 1;
  cJSON *root = cJSON_CreateObject();
  cJSON *meta = cJSON_AddObjectToObject(root, "metadata");
  cJSON *spec = cJSON_AddObjectToObject(root, "spec");
  char *out = NULL;
  if (root != NULL && meta != NULL && spec != NULL &&
      cJSON_AddStringToObject(root, "apiVersion", "coordination.k8s.io/v1") &&
      cJSON_AddStringToObject(root, "kind", "Lease") &&
      cJSON_AddStringToObject(meta, "name", name) &&
      cJSON_AddStringToObject(meta, "namespace", namespace_) &&
      (current == NULL ||
       cJSON_AddStringToObject(meta, "resourceVersion", current->version)) &&
      cJSON_AddStringToObject(spec, "holderIdentity", holder) &&
      cJSON_AddNumberToObject(spec, "leaseDurationSeconds",
                              (double)duration_s) &&
      cJSON_AddStringToObject(spec, "acquireTime", acquired) &&
      cJSON_AddStringToObject(spec, "renewTime", renew) &&
      cJSON_AddNumberToObject(spec, "leaseTransitions", (double)transitions))
    out = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  char *copy = out != NULL ? strdup(out) : NULL; /* freed with free() */
  cJSON_free(out);
  return copy;
}

om_lease_action om_lease_decide(om_lease_watch *w, const om_lease_record *r,
                                const char *me, double now, double default_s) {
  if (r == NULL) {
    w->known = false;
    return OM_LEASE_CREATE;
  }
  if (strcmp(r->holder, me) == 0)
    return OM_LEASE_RENEW;
  if (r->holder[0] == '\0')
    return OM_LEASE_TAKE;
  if (!w->known || strcmp(w->version, r->version) != 0) {
    w->known = true;
    memcpy(w->version, r->version, sizeof(w->version));
    w->since = now;
  }
  double duration = r->duration_s > 0 ? (double)r->duration_s : default_s;
  return now - w->since >= duration ? OM_LEASE_TAKE : OM_LEASE_WAIT;
}
