/* The label pack of the collectd 5 mapping contract; see om_encode.h. */
#include "om_encode.h"

#include <string.h>

#define FIELD_MAX (OM_PACK_FIELD_SIZE - 1)

/* Is value[pos] == ',' followed, inside the value, by "<label name>="? */
static bool comma_is_ambiguous(const char *v, size_t len, size_t pos) {
  size_t i = pos + 1;
  if (i >= len || !om_is_label_start(v[i]))
    return false;
  while (i < len && om_is_label_char(v[i]))
    i++;
  return i < len && v[i] == '=';
}

static bool is_literal_escape(om_slice v, size_t i) {
  return v.ptr[i] == '%' && v.len - i >= 3 && v.ptr[i + 1] == '2' &&
         (v.ptr[i + 2] == 'C' || v.ptr[i + 2] == 'F');
}

/* Counts the commas and slashes a value needs escaped; false when the value
 * holds an escape literally, a NUL byte (collectd's fields are C strings)
 * or more escaped commas than the snippet decodes. */
static bool count_escapes(om_slice v, int *commas, int *slashes) {
  *commas = 0;
  *slashes = 0;
  for (size_t i = 0; i < v.len; i++) {
    if (v.ptr[i] == '\0' || is_literal_escape(v, i))
      return false;
    if (v.ptr[i] == ',' && comma_is_ambiguous(v.ptr, v.len, i))
      (*commas)++;
    else if (v.ptr[i] == '/')
      (*slashes)++;
  }
  return *commas <= OM_PACK_MAX_ESCAPES;
}

static size_t append_value(char *dst, om_slice v) {
  size_t out = 0;
  for (size_t i = 0; i < v.len; i++) {
    if (v.ptr[i] == ',' && comma_is_ambiguous(v.ptr, v.len, i)) {
      memcpy(dst + out, OM_PACK_ESCAPE, 3);
      out += 3;
    } else if (v.ptr[i] == '/') {
      memcpy(dst + out, OM_PACK_SLASH_ESCAPE, 3);
      out += 3;
    } else {
      dst[out++] = v.ptr[i];
    }
  }
  return out;
}

/* Bytes that need a closer look in a value: anything outside printable
 * ASCII (UTF-8 checks, NUL; control characters are fine but rare) and the
 * three that the escapes involve. */
static const struct care_table {
  bool c[256];
} care = {{
    [0 ... 0x1f] = true,
    [','] = true,
    ['/'] = true,
    ['%'] = true,
    [0x7f ... 0xff] = true,
}};

static bool is_plain(om_slice v) {
  for (size_t i = 0; i < v.len; i++)
    if (care.c[(unsigned char)v.ptr[i]])
      return false;
  return true;
}

static om_enc_result check_label(const om_label *l, bool is_metric_name,
                                 int *commas, int *slashes) {
  bool reserved = l->name.len >= 2 && l->name.ptr[0] == '_' &&
                  l->name.ptr[1] == '_' && !is_metric_name;
  if (!om_label_name_valid(l->name.ptr, l->name.len) || reserved)
    return OM_ENC_INVALID_LABEL_NAME;
  *commas = 0;
  *slashes = 0;
  if (is_plain(l->value))
    return OM_ENC_OK;
  if (!om_utf8_valid(l->value.ptr, l->value.len))
    return OM_ENC_INVALID_UTF8;
  return count_escapes(l->value, commas, slashes) ? OM_ENC_OK
                                                  : OM_ENC_UNENCODABLE_VALUE;
}

static om_enc_result fail(om_pack *out, om_enc_result r) {
  out->plugin_instance[0] = '\0';
  out->type_instance[0] = '\0';
  out->plugin_instance_len = 0;
  out->type_instance_len = 0;
  return r;
}

om_enc_result om_pack_labels(const om_label *labels, size_t n, bool name_first,
                             om_pack *out) {
  char *field = out->plugin_instance;
  size_t used = 0, pairs = 0;
  int slashes_total = 0;
  out->plugin_instance[0] = '\0';
  out->type_instance[0] = '\0';
  out->plugin_instance_len = 0;
  out->type_instance_len = 0;
  for (size_t i = 0; i < n; i++) {
    const om_label *l = &labels[i];
    if (l->value.len == 0)
      continue;
    int commas = 0, slashes = 0;
    bool is_metric_name =
        name_first && i == 0 && om_slice_eq_cstr(l->name, "__name__");
    if (name_first && i == 0 && !is_metric_name)
      return fail(out, OM_ENC_INVALID_LABEL_NAME);
    om_enc_result r = check_label(l, is_metric_name, &commas, &slashes);
    if (r != OM_ENC_OK)
      return fail(out, r);
    slashes_total += slashes;
    if (slashes_total > OM_PACK_MAX_SLASHES)
      return fail(out, OM_ENC_UNENCODABLE_VALUE);
    if (++pairs > OM_PACK_MAX_PAIRS)
      return fail(out, OM_ENC_TOO_MANY_LABELS);
    size_t pair_len =
        l->name.len + 1 + l->value.len + 2 * (size_t)(commas + slashes);
    size_t need = pair_len + (used > 0 ? 1 : 0);
    if (used + need > FIELD_MAX) {
      if (field == out->type_instance || pair_len > FIELD_MAX)
        return fail(out, OM_ENC_PACK_TOO_LONG);
      field[used] = '\0';
      out->plugin_instance_len = used;
      field = out->type_instance;
      used = 0;
      need = pair_len;
    }
    if (used > 0)
      field[used++] = ',';
    memcpy(field + used, l->name.ptr, l->name.len);
    used += l->name.len;
    field[used++] = '=';
    if (commas + slashes == 0) {
      memcpy(field + used, l->value.ptr, l->value.len);
      used += l->value.len;
    } else {
      used += append_value(field + used, l->value);
    }
    field[used] = '\0';
  }
  if (field == out->plugin_instance)
    out->plugin_instance_len = used;
  else
    out->type_instance_len = used;
  return OM_ENC_OK;
}

static int order_rank(om_slice name, const om_slice *order, size_t num) {
  for (size_t i = 0; i < num; i++)
    if (order[i].len == name.len &&
        memcmp(order[i].ptr, name.ptr, name.len) == 0)
      return (int)i;
  return (int)num;
}

void om_order_labels(om_label *labels, size_t n, const om_slice *order,
                     size_t order_num) {
  /* Insertion sort on (rank, name); n is small (a line holds a few dozen
   * labels at most) and usually almost sorted. */
  int rank[OM_ORDER_MAX_LABELS];
  if (n > OM_ORDER_MAX_LABELS)
    return;
  for (size_t i = 0; i < n; i++)
    rank[i] = order_rank(labels[i].name, order, order_num);
  for (size_t i = 1; i < n; i++) {
    om_label key = labels[i];
    int key_rank = rank[i];
    size_t j = i;
    while (j > 0 && (key_rank < rank[j - 1] ||
                     (key_rank == rank[j - 1] &&
                      om_slice_cmp(key.name, labels[j - 1].name) < 0))) {
      labels[j] = labels[j - 1];
      rank[j] = rank[j - 1];
      j--;
    }
    labels[j] = key;
    rank[j] = key_rank;
  }
}
