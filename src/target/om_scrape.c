/* From an exposition body to collectd samples; see om_scrape.h. */
#include "om_scrape.h"
#include "om_number.h"
#include "om_text.h"

#include <stdio.h>
#include <string.h>

#define GLOB_NAME_MAX 256

/* Does the family pass the preset or the catalog, Include and Exclude? */
static bool chosen(const om_scrape_config *cfg, om_slice family,
                   const om_family *f) {
  bool by_default = f != NULL && (cfg->preset == NULL ||
                                  om_target_preset_has(cfg->preset, f));
  if (cfg->include_num == 0 && cfg->exclude_num == 0)
    return by_default;
  char name[GLOB_NAME_MAX];
  if (family.len >= sizeof(name))
    return by_default && cfg->exclude_num == 0;
  memcpy(name, family.ptr, family.len);
  name[family.len] = '\0';
  if (!by_default && !om_glob_any(cfg->include, cfg->include_num, name))
    return false;
  return !om_glob_any(cfg->exclude, cfg->exclude_num, name);
}

bool om_scrape_family_selected(const om_scrape_config *cfg, om_slice family,
                               const om_family *f) {
  if (!chosen(cfg, family, f))
    return false;
  return f == NULL || cfg->owned_elsewhere == NULL ||
         !cfg->owned_elsewhere(cfg->owner_ctx, f->name);
}

/* The family of a series outside the catalog: the last TYPE line's family
 * when the series is one of its series, else the series name itself. */
static om_slice uncatalogued_family(const om_scrape *c, om_slice series) {
  om_slice f = c->type_family;
  if (f.len == 0 || series.len < f.len || memcmp(series.ptr, f.ptr, f.len))
    return series;
  om_slice rest = {series.ptr + f.len, series.len - f.len};
  if (rest.len == 0)
    return f;
  if (c->type == OM_TYPE_HISTOGRAM || c->type == OM_TYPE_SUMMARY) {
    if (om_slice_eq_cstr(rest, "_sum") || om_slice_eq_cstr(rest, "_count"))
      return f;
    if (c->type == OM_TYPE_HISTOGRAM && om_slice_eq_cstr(rest, "_bucket"))
      return f;
  }
  return series;
}

static char *scratch_alloc(om_scrape *c, size_t n) {
  if (OM_SCRAPE_SCRATCH - c->scratch_used < n)
    return NULL;
  char *p = c->scratch + c->scratch_used;
  c->scratch_used += n;
  return p;
}

static om_label *find_label(om_scrape *c, om_slice name) {
  for (size_t i = 0; i < c->labels_num; i++)
    if (om_slice_cmp(c->labels[i].name, name) == 0)
      return &c->labels[i];
  return NULL;
}

/* The scraped labels, unescaped; empty values are absent in Prometheus. */
static bool collect_scraped_labels(om_scrape *c, const om_parsed_line *line) {
  for (size_t i = 0; i < line->labels_num; i++) {
    const om_raw_label *raw = &line->labels[i];
    om_slice value = raw->value;
    if (value.len == 0)
      continue;
    if (raw->has_escape) {
      char *dst = scratch_alloc(c, value.len);
      if (dst == NULL)
        return false;
      value.len = om_unescape_label_value(value.ptr, value.len, dst);
      value.ptr = dst;
    }
    c->labels[c->labels_num++] = (om_label){raw->name, value};
  }
  return true;
}

/* Renames a scraped label that a target label displaces to exported_<name>,
 * prefixing again while that name is taken, as Prometheus does. */
static bool export_label(om_scrape *c, om_label *l) {
  om_slice name = l->name;
  do {
    char *dst = scratch_alloc(c, name.len + 9);
    if (dst == NULL)
      return false;
    memcpy(dst, "exported_", 9);
    memcpy(dst + 9, name.ptr, name.len);
    name = (om_slice){dst, name.len + 9};
  } while (find_label(c, name) != NULL);
  l->name = name;
  return true;
}

static bool add_target_labels(om_scrape *c) {
  const om_scrape_config *cfg = c->cfg;
  size_t scraped_num = c->labels_num;
  for (size_t i = 0; i < cfg->target_labels_num; i++) {
    const om_label *t = &cfg->target_labels[i];
    om_label *existing = find_label(c, t->name);
    if (existing != NULL && existing < c->labels + scraped_num) {
      if (cfg->honor_labels)
        continue;
      if (!export_label(c, existing))
        return false;
    }
    c->labels[c->labels_num++] = *t;
  }
  return true;
}

static void record_drop(om_scrape *c, om_drop_reason r, om_slice series,
                        size_t need) {
  om_scrape_result *res = c->res;
  if (res->first_drop == OM_DROP_NONE) {
    res->first_drop = r;
    res->first_drop_need = need;
    size_t n = series.len < sizeof(res->first_drop_series) - 1
                   ? series.len
                   : sizeof(res->first_drop_series) - 1;
    memcpy(res->first_drop_series, series.ptr, n);
    res->first_drop_series[n] = '\0';
  }
  res->dropped[r]++;
}

/* Whether a series may go out: not a duplicate, within both MaxSeries. */
static bool admit(om_scrape *c, const om_cached *what, om_slice series) {
  int added = c->cache ? om_series_cache_admit(c->cache, what)
                       : om_series_set_add(c->seen, what->series.id);
  if (added == 0) {
    record_drop(c, OM_DROP_DUPLICATE_SERIES, series, 0);
    return false;
  }
  if (added < 0 || c->res->samples_emitted >= c->cfg->max_series) {
    record_drop(c, OM_DROP_SERIES_LIMIT, series, 0);
    return false;
  }
  if (c->cfg->plugin_limited &&
      c->res->samples_emitted >= c->cfg->plugin_room) {
    record_drop(c, OM_DROP_PLUGIN_SERIES_LIMIT, series, 0);
    return false;
  }
  c->res->samples_emitted++;
  return true;
}

/* The series of the current line (its labels collected), built without a
 * value: the value is checked for every sample, the series once. */
static om_drop_reason build_series(om_scrape *c, const om_series_type *st) {
  const om_parsed_line *line = &c->line;
  if (st == NULL)
    return om_sample_build_generic(line->name, c->labels, c->labels_num, 0,
                                   &c->built);
  return om_sample_build(st, c->labels, c->labels_num, 0, &c->built);
}

/* What the current sample line's series is: to dispatch (c->built), left
 * out by Include/Exclude, or dropped for a reason. */
static om_cached classify(om_scrape *c) {
  const om_parsed_line *line = &c->line;
  const om_series_type *st =
      om_catalog_find_series(c->cfg->catalog, line->name);
  om_slice family = st ? om_slice_from_cstr(st->family->name)
                       : uncatalogued_family(c, line->name);
  om_cached what = {.kind = OM_CACHED_SERIES,
                    .name_len = line->name.len,
                    .family_len = st ? 0 : family.len,
                    .number = OM_CACHED_NO_NUMBER};
  if (!om_scrape_family_selected(c->cfg, family, st ? st->family : NULL)) {
    what.kind = OM_CACHED_FILTERED;
    return what;
  }
  c->labels_num = 0;
  c->scratch_used = 0;
  if (!collect_scraped_labels(c, line) || !add_target_labels(c)) {
    what.kind = OM_CACHED_DROPPED;
    what.drop_reason = OM_DROP_PACK_TOO_LONG;
    return what;
  }
  if (!om_label_rules_apply(c->cfg->rules, line->name, c->labels,
                            &c->labels_num)) {
    what.kind = OM_CACHED_FILTERED;
    return what;
  }
  om_drop_reason r = build_series(c, st);
  if (r != OM_DROP_NONE) {
    what.kind = OM_CACHED_DROPPED;
    what.drop_reason = r;
    what.pack_need = c->built.pack_need;
    return what;
  }
  what.series = om_sample_series(&c->built);
  return what;
}

/* A sample of a series known as `what`, with the value of c->line: into
 * *out when it goes out. */
static bool take(om_scrape *c, const om_cached *what, om_slice name,
                 om_scraped *out) {
  const om_parsed_line *line = &c->line;
  if (what->kind == OM_CACHED_FILTERED)
    return false;
  if (what->kind == OM_CACHED_DROPPED) {
    record_drop(c, what->drop_reason, name, what->pack_need);
    return false;
  }
  om_drop_reason r = om_sample_value(what->series.ds_type, line->value_text,
                                     line->value, &out->value, &out->derive);
  if (r != OM_DROP_NONE) {
    record_drop(c, r, name, 0);
    return false;
  }
  if (!admit(c, what, name))
    return false;
  out->series = what->series;
  out->name = name;
  return true;
}

/* A sample line parsed whole: classified, remembered under its key. */
static bool take_parsed(om_scrape *c, om_cache_key *key, om_scraped *out) {
  c->res->samples_scraped++;
  om_cached what = classify(c);
  const om_cached *kept = (key->bytes.len > 0 && c->cache != NULL)
                              ? om_series_cache_add(c->cache, key, &what)
                              : NULL;
  return take(c, kept ? kept : &what, c->line.name, out);
}

/* A sample line whose series the cache knows: only its value is parsed.
 * Returns 1 when *out holds a sample, 0 when the line is done without one,
 * -1 when it must be parsed whole (a bad tail, or a family outside the
 * catalog whose TYPE context changed). */
static int take_known(om_scrape *c, const om_cached *what, om_slice line,
                      size_t key_len, om_scraped *out) {
  om_slice name = {line.ptr, what->name_len};
  if (what->family_len != 0 &&
      uncatalogued_family(c, name).len != what->family_len)
    return -1;
  om_slice tail = {line.ptr + key_len, line.len - key_len};
  if (om_parse_sample_tail(tail, &c->line) != OM_LINE_SAMPLE)
    return -1;
  c->res->samples_scraped++;
  return take(c, what, name, out);
}

static void note_malformed(om_scrape *c, om_line_kind kind) {
  om_scrape_result *res = c->res;
  if (res->malformed_lines++ == 0) {
    res->first_malformed_line = c->lines.line_no;
    res->first_malformed_kind = kind;
    res->first_malformed_offset = c->line.error_offset;
  }
}

void om_scrape_begin(om_scrape *c, const om_scrape_config *cfg,
                     om_series_set *seen, om_series_cache *cache,
                     const char *body, size_t len, om_scrape_result *res) {
  memset(res, 0, sizeof(*res));
  if (seen != NULL)
    om_series_set_clear(seen);
  if (cache != NULL)
    om_series_cache_begin_read(cache);
  c->cfg = cfg;
  c->seen = seen;
  c->cache = cache;
  c->res = res;
  c->type_family = (om_slice){NULL, 0};
  c->type = OM_TYPE_UNTYPED;
  om_line_reader_init(&c->lines, body, len);
}

/* A line parsed whole: its kind handled. */
static bool take_line(om_scrape *c, om_slice line, om_cache_key *key,
                      om_scraped *out) {
  om_line_kind kind = om_line_parse(&c->lines, line, &c->line);
  if (om_line_kind_is_error(kind)) {
    note_malformed(c, kind);
  } else if (kind == OM_LINE_TYPE) {
    c->type_family = c->line.name;
    c->type = c->line.type;
  } else if (kind == OM_LINE_SAMPLE) {
    return take_parsed(c, key, out);
  }
  return false;
}

bool om_scrape_next(om_scrape *c, om_scraped *out) {
  om_slice line;
  while (om_line_raw(&c->lines, &line)) {
    size_t key_len = c->cache ? om_line_series_key(line) : 0;
    om_cache_key key = om_series_cache_key((om_slice){line.ptr, key_len});
    const om_cached *known =
        key_len ? om_series_cache_find(c->cache, &key) : NULL;
    int taken = known ? take_known(c, known, line, key_len, out) : -1;
    if (taken < 0)
      taken = take_line(c, line, &key, out);
    if (taken > 0)
      return true;
  }
  if (c->cache != NULL)
    om_series_cache_end_read(c->cache);
  return false;
}
