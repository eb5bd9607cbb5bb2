/* From an exposition body to collectd samples; see om_scrape.h. */
#include "om_scrape.h"
#include "om_number.h"
#include "om_text.h"

#include <stdio.h>
#include <string.h>

#define GLOB_NAME_MAX 256

bool om_scrape_family_selected(const om_scrape_config *cfg, om_slice family,
                               bool in_catalog) {
  if (cfg->include_num == 0 && cfg->exclude_num == 0)
    return in_catalog;
  char name[GLOB_NAME_MAX];
  if (family.len >= sizeof(name))
    return in_catalog && cfg->exclude_num == 0;
  memcpy(name, family.ptr, family.len);
  name[family.len] = '\0';
  if (!in_catalog && !om_glob_any(cfg->include, cfg->include_num, name))
    return false;
  return !om_glob_any(cfg->exclude, cfg->exclude_num, name);
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

static void record_drop(om_scrape *c, om_drop_reason r, om_slice series) {
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

/* Whether a sample may go out: not a duplicate, within both MaxSeries. */
static bool admit(om_scrape *c, const om_sample *s, om_slice series) {
  int added = om_series_set_add(c->seen, om_sample_identity(s));
  if (added == 0) {
    record_drop(c, OM_DROP_DUPLICATE_SERIES, series);
    return false;
  }
  if (added < 0 || c->res->samples_emitted >= c->cfg->max_series) {
    record_drop(c, OM_DROP_SERIES_LIMIT, series);
    return false;
  }
  if (c->cfg->plugin_limited &&
      c->res->samples_emitted >= c->cfg->plugin_room) {
    record_drop(c, OM_DROP_PLUGIN_SERIES_LIMIT, series);
    return false;
  }
  c->res->samples_emitted++;
  return true;
}

/* The sample of the current line: a counter written as digits keeps its
 * exact 64-bit value. */
static om_drop_reason build(om_scrape *c, const om_series_type *st,
                            om_sample *out) {
  const om_parsed_line *line = &c->line;
  int64_t count;
  if (st == NULL)
    return om_sample_build_generic(line->name, c->labels, c->labels_num,
                                   line->value, out);
  if (st->ds_type == OM_DS_DERIVE &&
      om_parse_int64(line->value_text.ptr, line->value_text.len, &count))
    return om_sample_build_count(st, c->labels, c->labels_num, count, out);
  return om_sample_build(st, c->labels, c->labels_num, line->value, out);
}

/* The sample of the current sample line into *out; false when it is
 * filtered out or dropped. */
static bool take_sample(om_scrape *c, om_sample *out) {
  const om_parsed_line *line = &c->line;
  c->res->samples_scraped++;
  const om_series_type *st =
      om_catalog_find_series(c->cfg->catalog, line->name);
  om_slice family = st ? om_slice_from_cstr(st->family->name)
                       : uncatalogued_family(c, line->name);
  if (!om_scrape_family_selected(c->cfg, family, st != NULL))
    return false;

  c->labels_num = 0;
  c->scratch_used = 0;
  if (!collect_scraped_labels(c, line) || !add_target_labels(c)) {
    record_drop(c, OM_DROP_PACK_TOO_LONG, line->name);
    return false;
  }
  om_drop_reason r = build(c, st, out);
  if (r != OM_DROP_NONE) {
    record_drop(c, r, line->name);
    return false;
  }
  return admit(c, out, line->name);
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
                     om_series_set *seen, const char *body, size_t len,
                     om_scrape_result *res) {
  memset(res, 0, sizeof(*res));
  om_series_set_clear(seen);
  c->cfg = cfg;
  c->seen = seen;
  c->res = res;
  c->type_family = (om_slice){NULL, 0};
  c->type = OM_TYPE_UNTYPED;
  om_line_reader_init(&c->lines, body, len);
}

bool om_scrape_next(om_scrape *c, om_sample *out, om_slice *series) {
  for (;;) {
    om_line_kind kind = om_line_next(&c->lines, &c->line);
    if (kind == OM_LINE_END)
      return false;
    if (om_line_kind_is_error(kind)) {
      note_malformed(c, kind);
    } else if (kind == OM_LINE_TYPE) {
      c->type_family = c->line.name;
      c->type = c->line.type;
    } else if (kind == OM_LINE_SAMPLE && take_sample(c, out)) {
      *series = c->line.name;
      return true;
    }
  }
}
