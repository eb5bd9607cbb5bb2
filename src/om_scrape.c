/* From an exposition body to collectd samples; see om_scrape.h. */
#include "om_scrape.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#define MAX_LABELS (OM_PARSE_MAX_LABELS + OM_SCRAPE_MAX_TARGET_LABELS + 1)
#define GLOB_NAME_MAX 256

typedef struct {
  const om_scrape_config *cfg;
  om_series_set *seen;
  om_emit_fn emit;
  void *emit_ctx;
  om_scrape_result *res;
  bool stopped;
  /* the family of the last TYPE line */
  om_slice type_family;
  om_metric_type type;
  /* per line */
  om_label labels[MAX_LABELS];
  size_t labels_num;
  char scratch[OM_SCRAPE_SCRATCH];
  size_t scratch_used;
} scrape_ctx;

static bool matches_any(const char *const *globs, size_t num,
                        const char *name) {
  for (size_t i = 0; i < num; i++)
    if (fnmatch(globs[i], name, 0) == 0)
      return true;
  return false;
}

bool om_scrape_family_selected(const om_scrape_config *cfg, om_slice family,
                               bool in_catalog) {
  if (cfg->include_num == 0 && cfg->exclude_num == 0)
    return in_catalog;
  char name[GLOB_NAME_MAX];
  if (family.len >= sizeof(name))
    return in_catalog && cfg->exclude_num == 0;
  memcpy(name, family.ptr, family.len);
  name[family.len] = '\0';
  if (!in_catalog && !matches_any(cfg->include, cfg->include_num, name))
    return false;
  return !matches_any(cfg->exclude, cfg->exclude_num, name);
}

/* The family of a series outside the catalog: the last TYPE line's family
 * when the series is one of its series, else the series name itself. */
static om_slice uncatalogued_family(const scrape_ctx *c, om_slice series) {
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

static char *scratch_alloc(scrape_ctx *c, size_t n) {
  if (OM_SCRAPE_SCRATCH - c->scratch_used < n)
    return NULL;
  char *p = c->scratch + c->scratch_used;
  c->scratch_used += n;
  return p;
}

static om_label *find_label(scrape_ctx *c, om_slice name) {
  for (size_t i = 0; i < c->labels_num; i++)
    if (om_slice_cmp(c->labels[i].name, name) == 0)
      return &c->labels[i];
  return NULL;
}

/* The scraped labels, unescaped; empty values are absent in Prometheus. */
static bool collect_scraped_labels(scrape_ctx *c, const om_parsed_line *line) {
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
static bool export_label(scrape_ctx *c, om_label *l) {
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

static bool add_target_labels(scrape_ctx *c) {
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

static void record_drop(scrape_ctx *c, om_drop_reason r, om_slice series) {
  om_scrape_result *res = c->res;
  if (res->first_drop == OM_DROP_NONE) {
    res->first_drop = r;
    size_t n = series.len < sizeof(res->first_drop_series) - 1
                   ? series.len
                   : sizeof(res->first_drop_series) - 1;
    memcpy(res->first_drop_series, series.ptr, n);
    res->first_drop_series[n] = '\0';
  }
  res->dropped[r]++;
}

static void emit_sample(scrape_ctx *c, const om_sample *s, om_slice series) {
  int added = om_series_set_add(c->seen, om_sample_identity(s));
  if (added == 0) {
    record_drop(c, OM_DROP_DUPLICATE_SERIES, series);
    return;
  }
  if (added < 0 || c->res->samples_emitted >= c->cfg->max_series) {
    record_drop(c, OM_DROP_SERIES_LIMIT, series);
    return;
  }
  c->res->samples_emitted++;
  if (c->emit(s, c->emit_ctx) != 0)
    c->stopped = true;
}

static void handle_sample(scrape_ctx *c, const om_parsed_line *line) {
  c->res->samples_scraped++;
  const om_series_type *st =
      om_catalog_find_series(c->cfg->catalog, line->name);
  om_slice family = st ? om_slice_from_cstr(st->family->name)
                       : uncatalogued_family(c, line->name);
  if (!om_scrape_family_selected(c->cfg, family, st != NULL))
    return;

  c->labels_num = 0;
  c->scratch_used = 0;
  if (!collect_scraped_labels(c, line) || !add_target_labels(c)) {
    record_drop(c, OM_DROP_PACK_TOO_LONG, line->name);
    return;
  }
  om_sample s;
  om_drop_reason r =
      st ? om_sample_build(st, c->labels, c->labels_num, line->value, &s)
         : om_sample_build_generic(family, line->name, c->labels, c->labels_num,
                                   line->value, &s);
  if (r != OM_DROP_NONE) {
    record_drop(c, r, line->name);
    return;
  }
  emit_sample(c, &s, line->name);
}

static int on_line(om_line_kind kind, const om_parsed_line *line,
                   size_t line_no, void *ctx) {
  scrape_ctx *c = ctx;
  if (om_line_kind_is_error(kind)) {
    om_scrape_result *res = c->res;
    if (res->malformed_lines++ == 0) {
      res->first_malformed_line = line_no;
      res->first_malformed_kind = kind;
      res->first_malformed_offset = line->error_offset;
    }
  } else if (kind == OM_LINE_TYPE) {
    c->type_family = line->name;
    c->type = line->type;
  } else if (kind == OM_LINE_SAMPLE) {
    handle_sample(c, line);
  }
  return c->stopped ? 1 : 0;
}

void om_scrape_body(const om_scrape_config *cfg, om_series_set *seen,
                    const char *body, size_t len, om_emit_fn emit, void *ctx,
                    om_scrape_result *res) {
  memset(res, 0, sizeof(*res));
  om_series_set_clear(seen);
  scrape_ctx *c = &(scrape_ctx){0};
  c->cfg = cfg;
  c->seen = seen;
  c->emit = emit;
  c->emit_ctx = ctx;
  c->res = res;
  om_parse_body(body, len, on_line, c);
}
