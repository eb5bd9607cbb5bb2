/* libFuzzer target: configuration blocks of every kind, generated from
 * the bytes as collectd's parser would hand them over (an oconfig_item_t
 * tree of known and unknown keys, strings, numbers, booleans, nested
 * <Resource> and <Pods> blocks; <Host> blocks with or without a name). Each is
 * read by its kind's reader: accepted or refused with a log line (captured by
 * the unit tests' om_log), never a crash, a leak or a read out of bounds. */
#include "log_capture.h"
#include "om_backup_config.h"
#include "om_host_config.h"
#include "om_kube_config.h"
#include "om_pg_config.h"
#include "om_target_config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KEYS[] = {"Collectors",
                                   "MountPointsExclude",
                                   "FSTypesExclude",
                                   "DeviceExclude",
                                   "NetDeviceExclude",
                                   "VmstatFields",
                                   "MountTimeout",
                                   "ProcPath",
                                   "RootFSPath",
                                   "URL",
                                   "HealthURL",
                                   "ReadyURL",
                                   "Interval",
                                   "Timeout",
                                   "CACert",
                                   "ClientCert",
                                   "ClientKey",
                                   "BearerTokenFile",
                                   "VerifyPeer",
                                   "VerifyHost",
                                   "AllowCleartextToken",
                                   "FollowRedirects",
                                   "HonorLabels",
                                   "MaxResponseBytes",
                                   "MaxSeries",
                                   "Job",
                                   "Instance",
                                   "Label",
                                   "Include",
                                   "Exclude",
                                   "Host",
                                   "Port",
                                   "User",
                                   "PasswordFile",
                                   "Password",
                                   "Service",
                                   "Database",
                                   "SSLMode",
                                   "SSLRootCert",
                                   "SSLCert",
                                   "SSLKey",
                                   "ConnectTimeout",
                                   "StatementTimeout",
                                   "Namespace",
                                   "Engine",
                                   "IncludeDatabase",
                                   "ExcludeDatabase",
                                   "MaxRows",
                                   "Type",
                                   "Command",
                                   "File",
                                   "Stanza",
                                   "Path",
                                   "Pattern",
                                   "MinSize",
                                   "MaxFiles",
                                   "StorageType",
                                   "MaxOutputBytes",
                                   "MaxBackups",
                                   "Schedule",
                                   "TimeZone",
                                   "ScheduleWindow",
                                   "Paused",
                                   "APIServer",
                                   "PageSize",
                                   "MaxObjects",
                                   "MaxPages",
                                   "CustomResourceInfo",
                                   "Preset",
                                   "Resource",
                                   "Group",
                                   "Version",
                                   "Kind",
                                   "Prefix",
                                   "ClusterScoped",
                                   "Info",
                                   "CountBy",
                                   "Value",
                                   "PerDatabase",
                                   "PerInstance",
                                   "LeaderElection",
                                   "LeaseNamespace",
                                   "LeaseDuration",
                                   "LeaseIdentity",
                                   "LeaseAPIServer",
                                   "LeaseBearerTokenFile",
                                   "LeaseCACert",
                                   "Pods",
                                   "Selector",
                                   "Service",
                                   "Port",
                                   "Scope",
                                   "Node",
                                   "Scheme",
                                   "Path",
                                   "RefreshInterval",
                                   "MaxPods",
                                   "Namespace",
                                   "APIServer",
                                   "Resource",
                                   "Unknown"};
#define KEYS_NUM (sizeof(KEYS) / sizeof(KEYS[0]))

static const char *const STRINGS[] = {
    "http://127.0.0.1:1/metrics",
    "dbops-operator",
    "collectd-inventory",
    "https://[::1]:8443/m?x=y",
    "ftp://x",
    "http://user:pw@192.0.2.1/",
    "/etc/hostname",
    "/bin/echo",
    "relative",
    "Europe/Berlin",
    "../../etc/passwd",
    "0 3 * * *",
    "@daily",
    "*/0 * * * *",
    "main",
    "a_*",
    "status.phase",
    "status.conditions[type=Ready].status",
    "spec.x[",
    "dbops",
    "dynamo",
    "datum",
    "flux",
    "pgbackrest",
    "directory",
    "verify-full",
    "5432",
    "x",
    "",
    "\xc3(",
    "%2F",
    "example.com",
    "v1",
    "widgets",
    "job",
    "__name__",
    "n-n-n-n-n-n-n-n-n-n-n-n-n-n-n-n-n-n-n-n-",
    "app=datum,tier in (a, b),!canary",
    "metrics",
    "node",
    "cluster",
    "https",
    "/metrics",
    "node-a"};
#define STRINGS_NUM (sizeof(STRINGS) / sizeof(STRINGS[0]))

typedef struct {
  const uint8_t *p, *end;
} input;

static unsigned next(input *in) { return in->p < in->end ? *in->p++ : 0; }

static void values(input *in, oconfig_item_t *it) {
  int n = (int)(next(in) % 4);
  it->values = calloc((size_t)n + 1, sizeof(*it->values));
  it->values_num = n;
  for (int i = 0; i < n; i++) {
    oconfig_value_t *v = &it->values[i];
    unsigned kind = next(in) % 3;
    if (kind == 0) {
      v->type = OCONFIG_TYPE_STRING;
      v->value.string = strdup(STRINGS[next(in) % STRINGS_NUM]);
    } else if (kind == 1) {
      static const double special[] = {0, -1, 0.5, 1e9, 86400.5, 9.01, 1e300};
      unsigned b = next(in);
      v->type = OCONFIG_TYPE_NUMBER;
      v->value.number = b < 200 ? (double)b / 4 : special[b % 7];
    } else {
      v->type = OCONFIG_TYPE_BOOLEAN;
      v->value.boolean = (int)(next(in) & 1);
    }
  }
}

static void items(input *in, oconfig_item_t *parent, int depth) {
  int n = (int)(next(in) % 10);
  parent->children = calloc((size_t)n + 1, sizeof(*parent->children));
  parent->children_num = n;
  for (int i = 0; i < n; i++) {
    oconfig_item_t *it = &parent->children[i];
    it->key = strdup(KEYS[next(in) % KEYS_NUM]);
    it->parent = parent;
    values(in, it);
    if (depth < 2 &&
        (strcmp(it->key, "Resource") == 0 || strcmp(it->key, "Pods") == 0) &&
        (next(in) & 1))
      items(in, it, depth + 1);
  }
}

static void item_free(oconfig_item_t *it) {
  for (int i = 0; i < it->values_num; i++)
    if (it->values[i].type == OCONFIG_TYPE_STRING)
      free(it->values[i].value.string);
  free(it->values);
  for (int i = 0; i < it->children_num; i++)
    item_free(&it->children[i]);
  free(it->children);
  free(it->key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const om_block_syntax *const SYNTAX[] = {
      &om_target_syntax, &om_pg_syntax, &om_backup_syntax, &om_kube_syntax,
      &om_host_syntax};
  input in = {data, data + size};
  const om_block_syntax *syn = SYNTAX[next(&in) % 5];
  oconfig_item_t block = {.key = strdup(syn->key)};
  values(&in, &block);
  items(&in, &block, 0);
  log_capture_reset();
  void *cfg = om_block_parse(&block, syn, 10);
  if (cfg == NULL && log_capture_count() == 0)
    abort(); /* a refusal always says why */
  if (cfg != NULL)
    syn->free(cfg);
  item_free(&block);
  return 0;
}
