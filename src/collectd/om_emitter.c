/* Samples to collectd, every drop counted; see om_emitter.h. */
#include "om_emitter.h"
#include "om_complain.h"
#include "om_dispatch.h"
#include "om_tally.h"
#include "om_text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DROPPED_FAMILY "operator_metrics_dropped_samples_total"

/* The plugin-wide ledger: one plugin, one budget, for every block. */
static om_budget budget = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

void om_emitter_set_plugin_limit(size_t max_series) {
  om_budget_set_limit(&budget, max_series);
}

size_t om_emitter_plugin_limit(void) { return om_budget_limit(&budget); }

/* The plugin-wide sums (below): a read opens and closes the block's part. */
static void sums_begin(om_emitter *e);
static void sums_end(om_emitter *e);

void om_emitter_init(om_emitter *e, const om_catalog *catalog,
                     const char *collector, const char *block,
                     const char *block_id) {
  memset(e, 0, sizeof(*e));
  e->catalog = catalog;
  e->collector = collector;
  e->block = block;
  e->block_id = block_id;
  e->contributor = SIZE_MAX;
  e->leader = -1;
  C_COMPLAIN_INIT(&e->complaint);
}

void om_emitter_combine(om_emitter *e, const char *const *families,
                        bool keep_finer) {
  e->summed = keep_finer ? NULL : families;
}

void om_emitter_select(om_emitter *e, const om_block_conf *b) {
  e->include = (const char *const *)b->include;
  e->include_num = b->include_num;
  e->exclude = (const char *const *)b->exclude;
  e->exclude_num = b->exclude_num;
}

/* What every read starts with, made or stood by: the time, the room the
 * budget gives, no samples sent or dropped yet. */
static void start_read(om_emitter *e) {
  e->time = cdtime();
  e->room = om_budget_room(&budget, e->held);
  e->data_sent = e->own_sent = 0;
  e->read_dropped = 0;
  e->first_drop = OM_DROP_NONE;
  e->first_series[0] = '\0';
}

void om_emitter_begin(om_emitter *e) {
  start_read(e);
  sums_begin(e);
}

void om_emitter_stamp(om_emitter *e) { e->time = cdtime(); }

void om_emit_dropped(om_emitter *e, om_drop_reason r, uint64_t count,
                     om_slice series) {
  om_emit_dropped_sized(e, r, count, series, 0);
}

void om_emit_dropped_sized(om_emitter *e, om_drop_reason r, uint64_t count,
                           om_slice series, size_t need) {
  if (count == 0 || r <= OM_DROP_NONE || r >= OM_DROP_REASONS_NUM)
    return;
  e->dropped[r] += count;
  if (e->read_dropped == 0) {
    size_t n = series.len < sizeof(e->first_series) - 1
                   ? series.len
                   : sizeof(e->first_series) - 1;
    memcpy(e->first_series, series.ptr, n);
    e->first_series[n] = '\0';
    e->first_drop = r;
    e->first_need = r == OM_DROP_PACK_TOO_LONG ? need : 0;
  }
  e->read_dropped += count;
}

static void drop_one(om_emitter *e, om_drop_reason r, const char *series) {
  om_emit_dropped(e, r, 1, om_slice_from_cstr(series));
}

size_t om_emitter_room(const om_emitter *e) {
  if (e->room == SIZE_MAX)
    return SIZE_MAX;
  return e->room > e->data_sent ? e->room - e->data_sent : 0;
}

/* The one call of om_dispatch: a block's own series (own) always go. */
static void send_value(om_emitter *e, const om_series_ref *s, double value,
                       int64_t derive, om_slice series, bool own) {
  if (!own && om_emitter_room(e) == 0) {
    om_emit_dropped(e, OM_DROP_PLUGIN_SERIES_LIMIT, 1, series);
    return;
  }
  if (om_dispatch(s, value, derive, e->time) != 0) {
    om_emit_dropped(e, OM_DROP_DISPATCH_FAILED, 1, series);
    return;
  }
  if (own)
    e->own_sent++;
  else
    e->data_sent++;
}

void om_emit_value(om_emitter *e, const om_series_ref *s, double value,
                   int64_t derive, om_slice series) {
  send_value(e, s, value, derive, series, false);
}

/* A sample built here; own: the block's own health. */
static void send_sample(om_emitter *e, const om_sample *s, om_slice series,
                        bool own) {
  om_series_ref ref = om_sample_series(s);
  send_value(e, &ref, s->value, s->derive, series, own);
}

/* The block's health: families Prometheus or the plugin itself define. */
static bool is_own(const om_series_type *st) {
  const char *src = st->family->source;
  return strcmp(src, "prometheus") == 0 || strcmp(src, "plugin") == 0;
}

/* Whether the block sends family, whose series type (any of them) is st
 * (NULL: outside the catalog): its own health always, the others as its
 * Include/Exclude patterns say. Asked once per family a call emits. */
static bool wanted(const om_emitter *e, const om_series_type *st,
                   const char *family) {
  if ((e->include_num == 0 && e->exclude_num == 0) ||
      (st != NULL && is_own(st)))
    return true;
  return om_glob_choose(e->include, e->include_num, e->exclude, e->exclude_num,
                        family);
}

/* Builds a sample of series type st (NULL: not in the catalog) and
 * dispatches it. */
static void emit_series(om_emitter *e, const om_series_type *st,
                        const char *family, om_label *labels, size_t n,
                        double value) {
  if (st == NULL) {
    drop_one(e, OM_DROP_NOT_IN_CATALOG, family);
    return;
  }
  om_sample s;
  om_drop_reason r = om_sample_build(st, labels, n, value, &s);
  if (r != OM_DROP_NONE)
    om_emit_dropped_sized(e, r, 1, om_slice_from_cstr(st->series_name),
                          s.pack_need);
  else
    send_sample(e, &s, om_slice_from_cstr(st->series_name), is_own(st));
}

/* --- the plugin-wide sums ---------------------------------------------- */

/* Every combining block's figures, under one lock. */
static pthread_mutex_t sums_lock = PTHREAD_MUTEX_INITIALIZER;
static om_tally *sums;

#define SOURCE_SIZE 1024

/* Whether a label is one of family f's documented ones. */
static bool documented(const om_family *f, om_slice name) {
  for (const char *const *l = f->labels; l != NULL && *l != NULL; l++)
    if (om_slice_eq_cstr(name, *l))
      return true;
  return false;
}

/* Splits labels into the documented ones (doc, *doc_num) and the name of
 * the source the others make ("name=value" joined by NUL, in the given
 * order) in source; returns the source's length, 0 when every label is
 * documented, SIZE_MAX when the source does not fit. */
static size_t split_source(const om_family *f, const om_label *labels, size_t n,
                           om_label *doc, size_t *doc_num,
                           char source[SOURCE_SIZE]) {
  size_t len = 0;
  *doc_num = 0;
  for (size_t i = 0; i < n; i++) {
    const om_label *l = &labels[i];
    if (documented(f, l->name)) {
      doc[(*doc_num)++] = *l;
      continue;
    }
    if (len + l->name.len + l->value.len + 2 > SOURCE_SIZE)
      return SIZE_MAX;
    memcpy(source + len, l->name.ptr, l->name.len);
    len += l->name.len;
    source[len++] = '=';
    memcpy(source + len, l->value.ptr, l->value.len);
    len += l->value.len;
    source[len++] = '\0';
  }
  return len;
}

/* The block's number among the contributors (made on first use); the lock
 * is held. SIZE_MAX when out of memory. */
static size_t contributor_of(om_emitter *e) {
  if (sums == NULL)
    sums = om_tally_new();
  if (sums != NULL && e->contributor == SIZE_MAX)
    e->contributor = om_tally_contributor(sums, e);
  return sums == NULL ? SIZE_MAX : e->contributor;
}

/* A combining block's sample (value, or the histogram h when not NULL)
 * whose labels name a source: added to the sum of its documented series.
 * Returns false when the sample is to go out as it is. */
static bool summed(om_emitter *e, const om_series_type *st,
                   const om_label *labels, size_t n, double value,
                   const om_histogram *h) {
  if (e->summed == NULL || st == NULL || n > OM_SERIES_ORDER_MAX ||
      !om_name_listed(e->summed, st->family->name))
    return false;
  om_label doc[OM_SERIES_ORDER_MAX];
  size_t doc_num;
  char source[SOURCE_SIZE];
  size_t len = split_source(st->family, labels, n, doc, &doc_num, source);
  if (len == 0)
    return false;
  int rc = -1;
  if (len != SIZE_MAX) {
    pthread_mutex_lock(&sums_lock);
    size_t c = contributor_of(e);
    if (c != SIZE_MAX)
      rc = om_tally_put(sums, c, st->family->name, doc, doc_num,
                        (om_slice){source, len}, value, h);
    pthread_mutex_unlock(&sums_lock);
  }
  if (rc != 0)
    drop_one(e, OM_DROP_PLUGIN_SERIES_LIMIT, st->family->name);
  return true;
}

static void sums_begin(om_emitter *e) {
  if (e->summed == NULL)
    return;
  pthread_mutex_lock(&sums_lock);
  size_t c = contributor_of(e);
  if (c != SIZE_MAX)
    om_tally_begin(sums, c);
  pthread_mutex_unlock(&sums_lock);
}

/* Dispatches the sums the block owns and closes its read in the sums.
 * The lock is held while they go out: they are a few series. */
static void sums_end(om_emitter *e) {
  if (e->contributor == SIZE_MAX)
    return;
  pthread_mutex_lock(&sums_lock);
  size_t c = e->contributor;
  for (size_t i = 0; i < om_tally_owned_num(sums, c); i++) {
    om_tally_series s;
    double value;
    om_histogram h;
    if (!om_tally_owned_sum(sums, c, i, &s, &value, &h))
      continue;
    om_label labels[OM_SERIES_ORDER_MAX];
    size_t n =
        s.labels_num < OM_SERIES_ORDER_MAX ? s.labels_num : OM_SERIES_ORDER_MAX;
    memcpy(labels, s.labels, n * sizeof(*labels));
    if (s.histogram)
      om_emit_histogram(e, s.family, labels, n, &h);
    else
      om_emit_family(e, s.family, labels, n, value);
  }
  om_tally_end(sums, c);
  pthread_mutex_unlock(&sums_lock);
}

/* Closes a read the block did not make: its contributions leave the sums
 * and it dispatches none of those it owns. */
static void sums_skip(om_emitter *e) {
  if (e->contributor == SIZE_MAX)
    return;
  pthread_mutex_lock(&sums_lock);
  om_tally_begin(sums, e->contributor);
  om_tally_end(sums, e->contributor);
  pthread_mutex_unlock(&sums_lock);
}

void om_emitter_shutdown(void) {
  pthread_mutex_lock(&sums_lock);
  om_tally_free(sums);
  sums = NULL;
  pthread_mutex_unlock(&sums_lock);
}

void om_emit_family(om_emitter *e, const char *family, om_label *labels,
                    size_t n, double value) {
  const om_series_type *st =
      om_catalog_series_of(e->catalog, family, OM_SERIES_PLAIN);
  if (wanted(e, st, family) && !summed(e, st, labels, n, value, NULL))
    emit_series(e, st, family, labels, n, value);
}

void om_emit_any(om_emitter *e, const char *family, om_label *labels, size_t n,
                 double value) {
  const om_series_type *st =
      om_catalog_series_of(e->catalog, family, OM_SERIES_PLAIN);
  if (!wanted(e, st, family))
    return;
  if (st != NULL) {
    emit_series(e, st, family, labels, n, value);
    return;
  }
  om_sample s;
  om_slice name = om_slice_from_cstr(family);
  om_drop_reason r = om_sample_build_generic(name, labels, n, value, &s);
  if (r != OM_DROP_NONE)
    om_emit_dropped_sized(e, r, 1, name, s.pack_need);
  else
    send_sample(e, &s, name, false);
}

void om_emit_states(om_emitter *e, const char *family, const char *block,
                    const char *const *names, size_t num, size_t current) {
  for (size_t s = 0; s < num; s++) {
    om_label l[] = {om_label_cstr("block", block),
                    om_label_cstr("state", names[s])};
    om_emit_family(e, family, l, 2, s == current);
  }
}

void om_emit_histogram(om_emitter *e, const char *family,
                       const om_label *labels, size_t n,
                       const om_histogram *h) {
  const om_series_type *bucket =
      om_catalog_series_of(e->catalog, family, OM_SERIES_BUCKET);
  if (!wanted(e, bucket, family) || summed(e, bucket, labels, n, 0, h))
    return;
  om_label all[OM_SERIES_ORDER_MAX + 1];
  if (n > OM_SERIES_ORDER_MAX) {
    om_emit_dropped(e, OM_DROP_TOO_MANY_LABELS, h->bounds_num + 3,
                    om_slice_from_cstr(family));
    return;
  }
  char le[OM_LE_SIZE];
  for (size_t i = 0; i <= h->bounds_num; i++) {
    bool inf = i == h->bounds_num;
    om_format_le(inf ? INFINITY : h->bounds[i], le);
    memcpy(all, labels, n * sizeof(*labels));
    all[n] = om_label_cstr("le", le);
    emit_series(e, bucket, family, all, n + 1,
                (double)(inf ? h->count : h->cumulative[i]));
  }
  memcpy(all, labels, n * sizeof(*labels));
  emit_series(e, om_catalog_series_of(e->catalog, family, OM_SERIES_SUM),
              family, all, n, h->sum);
  memcpy(all, labels, n * sizeof(*labels));
  emit_series(e, om_catalog_series_of(e->catalog, family, OM_SERIES_COUNT),
              family, all, n, (double)h->count);
}

static void log_drops(om_emitter *e) {
  if (e->read_dropped == 0) {
    OM_RELEASE(OM_LOG_INFO, &e->complaint, e->block_id, "%s",
               "no samples dropped any more");
    return;
  }
  char over[160] = "";
  if (e->first_need > OM_PACK_MAX)
    snprintf(over, sizeof(over),
             ": its labels take %zu bytes, %zu over the %d that collectd's "
             "host, plugin_instance and type_instance carry",
             e->first_need, e->first_need - OM_PACK_MAX, OM_PACK_MAX);
  OM_COMPLAIN(OM_LOG_WARNING, &e->complaint, e->block_id,
              "dropped %llu sample(s) that cannot be passed on; the first is "
              "of \"%s\" (%s%s)",
              (unsigned long long)e->read_dropped, e->first_series,
              om_drop_reason_name(e->first_drop), over);
}

void om_emitter_lead(om_emitter *e, bool leader, const char *const *states,
                     size_t states_num, size_t state) {
  e->leader = leader ? 1 : 0;
  e->lease_states = states;
  e->lease_states_num = states_num;
  e->lease_state = state;
}

/* operator_metrics_leader and operator_metrics_lease_state, for a block
 * with an election. */
static void emit_election(om_emitter *e) {
  if (e->leader < 0)
    return;
  om_label l[] = {om_label_cstr("block", e->block)};
  om_emit_family(e, "operator_metrics_leader", l, 1, e->leader);
  om_emit_states(e, "operator_metrics_lease_state", e->block, e->lease_states,
                 e->lease_states_num, e->lease_state);
}

void om_emitter_standby(om_emitter *e) {
  start_read(e);
  sums_skip(e);
  emit_election(e);
  om_budget_settle(&budget, &e->held, e->own_sent);
}

void om_emitter_end(om_emitter *e) {
  sums_end(e);
  emit_election(e);
  const om_series_type *st =
      om_catalog_series_of(e->catalog, DROPPED_FAMILY, OM_SERIES_PLAIN);
  for (int r = OM_DROP_NONE + 1; r < OM_DROP_REASONS_NUM; r++) {
    om_label labels[3] = {
        om_label_cstr("collector", e->collector),
        om_label_cstr("block", e->block),
        om_label_cstr("reason", om_drop_reason_name((om_drop_reason)r)),
    };
    emit_series(e, st, DROPPED_FAMILY, labels, 3, (double)e->dropped[r]);
  }
  log_drops(e);
  om_budget_settle(&budget, &e->held, e->data_sent + e->own_sent);
}

static void sink_value(void *ctx, const char *family, om_label *labels,
                       size_t n, double value) {
  om_emit_family(ctx, family, labels, n, value);
}

static void sink_histogram(void *ctx, const char *family,
                           const om_label *labels, size_t n,
                           const om_histogram *h) {
  om_emit_histogram(ctx, family, labels, n, h);
}

om_sink om_emitter_sink(om_emitter *e) {
  return (om_sink){.value = sink_value, .histogram = sink_histogram, .ctx = e};
}
