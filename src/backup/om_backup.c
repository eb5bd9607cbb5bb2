/* The <Backup> collector's read callback: fetch a listing, track, dispatch.
 *
 * A read fetches the block's listing (runs the command, reads the file or
 * scans the directory) within Timeout and MaxOutputBytes. When that fails
 * the source state says why, the last good listing and the figures drawn
 * from it are dispatched unchanged, and the read still returns 0. */
#include "om_backup.h"
#include "om_backup_config.h"
#include "om_backup_map.h"
#include "om_claims.h"
#include "om_complain.h"
#include "om_emitter.h"
#include "om_exec.h"
#include "om_file.h"
#include "om_hash.h"
#include "om_time.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SLOTS_PER_READ 1000

/* The states of operator_metrics_backup_source_state, in this order. */
typedef enum {
  SOURCE_OK,
  SOURCE_TIMEOUT,
  SOURCE_FAILED,
  SOURCE_TOO_LARGE,
  SOURCE_INVALID,
  SOURCE_MISSING,
  SOURCE_ERROR,
  SOURCE_DUPLICATE, /* read, but another block owns a database it lists */
  SOURCE_STATES
} source_state;

static const char *const STATE_NAMES[SOURCE_STATES] = {
    "ok",      "timeout", "failed", "too_large",
    "invalid", "missing", "error",  "duplicate"};

typedef struct {
  om_backup_config *cfg;
  om_emitter emit;
  const om_family *duration_family;
  om_backup_tracker **trackers; /* one per database ever listed */
  size_t trackers_num;
  om_backup_listing last; /* the last good listing */
  source_state state;
  om_state_log source_log;
  double last_ok_s;
} om_backup;

void om_backup_free(void *p) {
  om_backup *b = p;
  if (b == NULL)
    return;
  for (size_t i = 0; i < b->trackers_num; i++)
    om_backup_tracker_free(b->trackers[i]);
  free(b->trackers);
  om_backup_listing_free(&b->last);
  om_backup_config_free(b->cfg);
  free(b);
}

void *om_backup_new(void *config, const om_catalog *catalog) {
  om_backup_config *cfg = config;
  om_backup *b = calloc(1, sizeof(*b));
  const om_series_type *st = om_catalog_series_of(
      catalog, "dbops_backup_duration_seconds", OM_SERIES_BUCKET);
  if (b == NULL || st == NULL) {
    free(b);
    om_backup_config_free(cfg);
    return NULL;
  }
  b->cfg = cfg;
  om_emitter_init(&b->emit, catalog, "backup", cfg->block.name, cfg->block.id);
  om_emitter_select(&b->emit, &cfg->block);
  om_emitter_combine(&b->emit, om_backup_summed_families, cfg->per_database);
  om_state_log_init(&b->source_log);
  b->duration_family = st->family;
  return b;
}

/* --- fetching ------------------------------------------------------------- */

typedef struct {
  source_state state;
  char why[1024];
} outcome;

static source_state state_of_exec(om_exec_outcome o) {
  switch (o) {
  case OM_EXEC_OK:
    return SOURCE_OK;
  case OM_EXEC_TIMEOUT:
    return SOURCE_TIMEOUT;
  case OM_EXEC_FAILED:
    return SOURCE_FAILED;
  case OM_EXEC_TOO_LARGE:
    return SOURCE_TOO_LARGE;
  default:
    return SOURCE_ERROR;
  }
}

__attribute__((format(printf, 3, 4))) static int
set_outcome(outcome *o, source_state s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  o->state = s;
  vsnprintf(o->why, sizeof(o->why), fmt, ap);
  va_end(ap);
  return s == SOURCE_OK ? 0 : -1;
}

static int parse_info(const char *json, size_t len, om_backup_listing *l,
                      outcome *o, const char *source) {
  char err[300];
  if (om_pgbackrest_parse(json, len, l, err, sizeof(err)) != 0)
    return set_outcome(o, SOURCE_INVALID,
                       "%s is not pgBackRest's info JSON: %s", source, err);
  return 0;
}

static int run_command(const om_backup *b, om_backup_listing *l, outcome *o) {
  om_exec_result r;
  om_exec_run(b->cfg->command, b->cfg->timeout_s, b->cfg->max_output, &r);
  int rc;
  if (r.outcome == OM_EXEC_OK)
    rc = parse_info(r.out.data, r.out.len, l, o, "the command's output");
  else
    rc = set_outcome(o, state_of_exec(r.outcome), "command \"%s\": %s",
                     b->cfg->command[0], r.why);
  om_exec_result_free(&r);
  return rc;
}

/* What a failed open, read or size check means for the source. */
static source_state state_of_errno(int error) {
  return error == ENOENT  ? SOURCE_MISSING
         : error == EFBIG ? SOURCE_TOO_LARGE
                          : SOURCE_ERROR;
}

static int read_file(const om_backup *b, om_backup_listing *l, outcome *o) {
  const char *path = b->cfg->file;
  om_buf json = OM_BUF_INIT;
  int error = 0;
  char err[600];
  if (om_read_file(path, b->cfg->max_output, &json, &error, err, sizeof(err)) !=
      0)
    return set_outcome(o, state_of_errno(error), "%s%s", err,
                       error == EFBIG ? " bytes (MaxOutputBytes)" : "");
  int rc = parse_info(json.data, json.len, l, o, path);
  om_buf_clear(&json, true);
  return rc;
}

static bool stanza_wanted(const void *cfg, const om_backup_set *set) {
  return om_backup_stanza_selected(cfg, set->name);
}

static bool listed(const om_backup_listing *l, const char *name) {
  for (size_t i = 0; i < l->sets_num; i++)
    if (strcmp(l->sets[i].name, name) == 0)
      return true;
  return false;
}

/* Each Stanza asked for that pgBackRest does not know gets the set that
 * pgBackRest itself reports for one without a repository path: status 1,
 * "missing stanza path", no backups; the source state says missing. */
static int add_missing_stanzas(const om_backup *b, om_backup_listing *l,
                               outcome *o) {
  const om_backup_config *cfg = b->cfg;
  for (size_t i = 0; i < cfg->stanzas_num; i++) {
    const char *stanza = cfg->stanzas[i];
    if (listed(l, stanza))
      continue;
    if (om_backup_listing_add(l, stanza, 1, "missing stanza path") == NULL)
      return set_outcome(o, SOURCE_ERROR, "out of memory");
    if (o->state == SOURCE_OK)
      set_outcome(o, SOURCE_MISSING,
                  "pgBackRest does not know stanza \"%s\" (missing stanza "
                  "path)",
                  stanza);
  }
  return 0;
}

/* Drops the stanzas not asked for, adds those asked for that are not
 * there, and gives the one asked for its name. */
static int select_stanzas(const om_backup *b, om_backup_listing *l,
                          outcome *o) {
  om_backup_listing_keep(l, stanza_wanted, b->cfg);
  if (add_missing_stanzas(b, l, o) != 0)
    return -1;
  if (b->cfg->database != NULL && l->sets_num == 1) {
    char *name = strdup(b->cfg->database);
    if (name == NULL)
      return set_outcome(o, SOURCE_ERROR, "out of memory");
    free(l->sets[0].name);
    l->sets[0].name = name;
  }
  return 0;
}

static bool is_dump(const om_backup_config *cfg, const struct dirent *e) {
  return fnmatch(cfg->pattern, e->d_name, FNM_PERIOD) == 0;
}

static int scan_directory(const om_backup *b, om_backup_listing *l,
                          outcome *o) {
  const om_backup_config *cfg = b->cfg;
  DIR *d = opendir(cfg->path);
  if (d == NULL)
    return set_outcome(o, state_of_errno(errno),
                       "cannot open directory \"%s\": %s", cfg->path,
                       strerror(errno));
  om_backup_set *set = om_backup_listing_add(l, cfg->database, 0, "ok");
  int rc = set == NULL ? set_outcome(o, SOURCE_ERROR, "out of memory") : 0;
  struct dirent *e;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    struct stat st;
    if (!is_dump(cfg, e) || fstatat(dirfd(d), e->d_name, &st, 0) != 0 ||
        !S_ISREG(st.st_mode) || strlen(e->d_name) > OM_BACKUP_MAX_NAME)
      continue;
    if (set->items_num == cfg->max_files) {
      rc = set_outcome(o, SOURCE_TOO_LARGE,
                       "directory \"%s\" has more than MaxFiles (%zu) dumps",
                       cfg->path, cfg->max_files);
      break;
    }
    om_backup_item it = {.id = e->d_name,
                         .start = OM_BACKUP_UNKNOWN_TIME,
                         .stop = (int64_t)st.st_mtime,
                         .size = (double)st.st_size,
                         .failed = (uint64_t)st.st_size < cfg->min_size};
    if (om_backup_set_add(set, &it) != 0)
      rc = set_outcome(o, SOURCE_ERROR, "out of memory");
  }
  closedir(d);
  if (rc != 0)
    return rc;
  om_backup_set_sort(set);
  bool any_good = false;
  for (size_t i = 0; i < set->items_num; i++)
    any_good = any_good || !set->items[i].failed;
  if (!any_good) { /* as pgBackRest says of an empty stanza */
    set->status_code = 2;
    char *text = strdup("no valid backups");
    if (text != NULL) {
      free(set->status_text);
      set->status_text = text;
    }
  }
  return 0;
}

static int fetch(const om_backup *b, om_backup_listing *l, outcome *o) {
  memset(l, 0, sizeof(*l));
  o->state = SOURCE_OK;
  o->why[0] = '\0';
  int rc;
  if (b->cfg->type == OM_BACKUP_DIRECTORY)
    rc = scan_directory(b, l, o);
  else if (b->cfg->command != NULL)
    rc = run_command(b, l, o);
  else
    rc = read_file(b, l, o);
  if (rc == 0 && b->cfg->type == OM_BACKUP_PGBACKREST)
    rc = select_stanzas(b, l, o);
  if (rc != 0)
    om_backup_listing_free(l);
  return rc;
}

/* --- tracking ------------------------------------------------------------- */

static om_backup_tracker *tracker_of(om_backup *b, const char *database) {
  for (size_t i = 0; i < b->trackers_num; i++)
    if (strcmp(b->trackers[i]->database, database) == 0)
      return b->trackers[i];
  if (b->trackers_num == OM_BACKUP_MAX_SETS)
    return NULL;
  om_backup_tracker **grown =
      realloc(b->trackers, (b->trackers_num + 1) * sizeof(*grown));
  if (grown == NULL)
    return NULL;
  b->trackers = grown;
  const om_family *f = b->duration_family;
  om_backup_tracker *t =
      om_backup_tracker_new(database, f->buckets, f->buckets_num);
  if (t != NULL)
    b->trackers[b->trackers_num++] = t;
  return t;
}

/* Takes in a new good listing; it replaces the last one. */
static void track(om_backup *b, om_backup_listing *l) {
  for (size_t i = 0; i < l->sets_num; i++) {
    om_backup_tracker *t = tracker_of(b, l->sets[i].name);
    if (t == NULL || om_backup_tracker_update(t, &l->sets[i]) != 0)
      om_log(OM_LOG_ERR, b->cfg->block.id,
             "out of memory while tracking database \"%s\"", l->sets[i].name);
  }
  om_backup_listing_free(&b->last);
  b->last = *l;
}

/* Whether this block sends the database's series: the first block whose
 * source lists a database of a namespace keeps it; a later one says so
 * once and leaves it. */
static bool owns(om_backup *b, om_backup_tracker *t) {
  if (t->claimed)
    return t->held_by == NULL;
  const char *ns = b->cfg->namespace_;
  char key[2 * OM_BACKUP_MAX_NAME + 16];
  int n =
      snprintf(key, sizeof(key), "backup%c%s%c%s", '\0', ns, '\0', t->database);
  if (n < 0 || (size_t)n >= sizeof(key))
    return true; /* too long to be a label anyway */
  t->claimed = true;
  t->held_by = om_claims_take(key, (size_t)n, b->cfg->block.id);
  if (t->held_by != NULL)
    om_log(OM_LOG_WARNING, b->cfg->block.id,
           "database \"%s\" of namespace \"%s\" is reported by block \"%s\" "
           "already: a series has one owner, so this block does not send it "
           "(source state \"duplicate\")",
           t->database, ns, t->held_by);
  return t->held_by == NULL;
}

/* A failure is logged once per distinct reason, recovery once. */
static void note_source(om_backup *b, const outcome *o, bool fresh) {
  const char *id = b->cfg->block.id;
  b->state = o->state;
  if (o->state == SOURCE_OK) {
    om_state_ok(&b->source_log, OM_LOG_INFO, id, "%s",
                "the backup listing can be read again");
    return;
  }
  uint64_t reason = om_hash_bytes(OM_HASH_SEED, o->why, strlen(o->why));
  if (fresh) /* read, but not all there */
    om_state_fail(&b->source_log, reason, OM_LOG_ERR, id,
                  "the backup listing is incomplete (%s): %s",
                  STATE_NAMES[o->state], o->why);
  else
    om_state_fail(&b->source_log, reason, OM_LOG_ERR, id,
                  "cannot get the backup listing (%s): %s; the last "
                  "figures stay as they were",
                  STATE_NAMES[o->state], o->why);
}

/* --- dispatching ---------------------------------------------------------- */

static void dispatch_source(om_backup *b) {
  const char *block = b->cfg->block.name;
  om_emit_states(&b->emit, "operator_metrics_backup_source_state", block,
                 STATE_NAMES, SOURCE_STATES, b->state);
  if (b->last_ok_s > 0) {
    om_label l[] = {om_label_cstr("block", block)};
    om_emit_family(&b->emit,
                   "operator_metrics_backup_source_last_success_timestamp_"
                   "seconds",
                   l, 1, b->last_ok_s);
  }
  for (size_t i = 0; i < b->last.sets_num; i++) {
    const om_backup_set *s = &b->last.sets[i];
    om_label l[] = {om_label_cstr("block", block),
                    om_label_cstr("database", s->name),
                    om_label_cstr("namespace", b->cfg->namespace_),
                    om_label_cstr("message", s->status_text)};
    om_emit_family(&b->emit, "operator_metrics_backup_repository_status", l, 4,
                   s->status_code);
  }
}

/* Each database's schedule slots, settled against a fresh listing only,
 * then its samples. Returns how many databases of the listing another
 * block owns (they are not sent). */
static size_t dispatch_databases(om_backup *b, bool fresh, int64_t now) {
  const om_backup_config *cfg = b->cfg;
  om_backup_identity id = {
      .namespace_ = cfg->namespace_,
      .engine = cfg->engine,
      .storage_type = cfg->storage_type,
      .schedule_name = cfg->block.name,
      .cron = cfg->schedule,
      .paused = cfg->sched.paused,
      .max_backups = cfg->max_backups,
  };
  om_sink sink = om_emitter_sink(&b->emit);
  size_t duplicates = 0;
  for (size_t i = 0; i < b->last.sets_num; i++) {
    const om_backup_set *set = &b->last.sets[i];
    om_backup_tracker *t = tracker_of(b, set->name);
    if (t == NULL)
      continue;
    if (!owns(b, t)) {
      duplicates++;
      continue;
    }
    if (cfg->schedule != NULL)
      om_backup_tracker_schedule(t, &cfg->sched, fresh ? set : NULL, now,
                                 MAX_SLOTS_PER_READ);
    om_backup_map(&id, t, set, &sink);
  }
  return duplicates;
}

int om_backup_read(void *p) {
  om_backup *b = p;
  int64_t now = (int64_t)om_wall_s(); /* before the listing is fetched */
  om_emitter_begin(&b->emit);
  om_backup_listing l;
  outcome o;
  bool fresh = fetch(b, &l, &o) == 0;
  if (fresh) {
    track(b, &l);
    b->last_ok_s = om_wall_s();
  }
  note_source(b, &o, fresh);
  /* the databases first: they tell whether another block owns one */
  if (dispatch_databases(b, fresh, now) > 0 && b->state == SOURCE_OK)
    b->state = SOURCE_DUPLICATE;
  dispatch_source(b);
  om_emitter_end(&b->emit);
  return 0;
}

om_emitter *om_backup_emitter(void *collector) {
  return &((om_backup *)collector)->emit;
}
