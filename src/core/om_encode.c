/* The label pack of the collectd 5 mapping contract; see om_encode.h. */
#include "om_encode.h"

#include <string.h>

#define ESCAPE_BYTE '\x1e'
#define SLASH_ESCAPE_BYTE '\x1f'
_Static_assert(sizeof(OM_PACK_ESCAPE) == 2 && sizeof(OM_PACK_SLASH_ESCAPE) == 2,
               "one-byte escapes");

/* Is value[pos] == ',' followed, inside the value, by "<label name>="? */
static bool comma_is_ambiguous(const char *v, size_t len, size_t pos) {
  size_t i = pos + 1;
  if (i >= len || !om_is_label_start(v[i]))
    return false;
  while (i < len && om_is_label_char(v[i]))
    i++;
  return i < len && v[i] == '=';
}

/* Counts the commas and slashes a value needs escaped; false when the value
 * holds an escape byte literally, a NUL byte (collectd's fields are C
 * strings) or more escaped commas than the snippet decodes. */
static bool count_escapes(om_slice v, int *commas, int *slashes) {
  *commas = 0;
  *slashes = 0;
  for (size_t i = 0; i < v.len; i++) {
    char ch = v.ptr[i];
    if (ch == '\0' || ch == ESCAPE_BYTE || ch == SLASH_ESCAPE_BYTE)
      return false;
    if (ch == ',' && comma_is_ambiguous(v.ptr, v.len, i))
      (*commas)++;
    else if (ch == '/')
      (*slashes)++;
  }
  return *commas <= OM_PACK_MAX_ESCAPES;
}

/* Writes v into dst with its escapes; returns the bytes written. */
static size_t append_value(char *dst, om_slice v) {
  size_t out = 0;
  for (size_t i = 0; i < v.len; i++) {
    if (v.ptr[i] == ',' && comma_is_ambiguous(v.ptr, v.len, i))
      dst[out++] = ESCAPE_BYTE;
    else if (v.ptr[i] == '/')
      dst[out++] = SLASH_ESCAPE_BYTE;
    else
      dst[out++] = v.ptr[i];
  }
  return out;
}

/* Bytes that need a closer look in a value: anything outside printable
 * ASCII (UTF-8 checks, NUL, the escape bytes; other control characters
 * are fine but rare) and the two that the escapes involve. */
static const struct care_table {
  bool c[256];
} care = {{
    [0 ... 0x1f] = true,
    [','] = true,
    ['/'] = true,
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
  out->text[0] = '\0';
  out->len = 0;
  return r;
}

/* A UTF-8 continuation byte (10xxxxxx): no field may start with one. */
static bool is_continuation(char c) {
  return ((unsigned char)c & 0xc0) == 0x80;
}

bool om_pack_split(const char *text, size_t len,
                   size_t cut[OM_PACK_FIELDS + 1]) {
  size_t at = 0;
  cut[0] = 0;
  for (int k = 1; k <= OM_PACK_FIELDS; k++) {
    size_t end = len - at > OM_PACK_FIELD_MAX ? at + OM_PACK_FIELD_MAX : len;
    while (end > at && end < len && is_continuation(text[end]))
      end--;
    cut[k] = end;
    at = end;
  }
  return at == len;
}

bool om_pack_fill(const char *text, size_t len,
                  char *const fields[OM_PACK_FIELDS]) {
  size_t cut[OM_PACK_FIELDS + 1];
  if (len == 0) {
    text = ",";
    len = 1;
  }
  if (!om_pack_split(text, len, cut))
    return false;
  for (int k = 0; k < OM_PACK_FIELDS; k++) {
    memcpy(fields[k], text + cut[k], cut[k + 1] - cut[k]);
    fields[k][cut[k + 1] - cut[k]] = '\0';
  }
  return true;
}

om_enc_result om_pack_labels(const om_label *labels, size_t n, bool name_first,
                             om_pack *out, size_t *need) {
  size_t used = 0, pairs = 0, total = 0;
  int slashes_total = 0;
  om_enc_result r = OM_ENC_OK;
  out->text[0] = '\0';
  out->len = 0;
  for (size_t i = 0; i < n; i++) {
    const om_label *l = &labels[i];
    if (l->value.len == 0)
      continue;
    int commas = 0, slashes = 0;
    bool is_metric_name =
        name_first && i == 0 && om_slice_eq_cstr(l->name, "__name__");
    if (name_first && i == 0 && !is_metric_name)
      return fail(out, OM_ENC_INVALID_LABEL_NAME);
    om_enc_result c = check_label(l, is_metric_name, &commas, &slashes);
    if (c != OM_ENC_OK)
      return fail(out, c);
    slashes_total += slashes;
    if (slashes_total > OM_PACK_MAX_SLASHES)
      return fail(out, OM_ENC_UNENCODABLE_VALUE);
    if (++pairs > OM_PACK_MAX_PAIRS)
      return fail(out, OM_ENC_TOO_MANY_LABELS);
    /* escapes take one byte each, as the bytes they stand for */
    size_t pair_len = l->name.len + 1 + l->value.len + (total > 0 ? 1 : 0);
    total += pair_len;
    if (r != OM_ENC_OK || used + pair_len > OM_PACK_MAX) {
      r = OM_ENC_PACK_TOO_LONG; /* go on counting what it would take */
      continue;
    }
    if (used > 0)
      out->text[used++] = ',';
    memcpy(out->text + used, l->name.ptr, l->name.len);
    used += l->name.len;
    out->text[used++] = '=';
    if (commas + slashes == 0) {
      memcpy(out->text + used, l->value.ptr, l->value.len);
      used += l->value.len;
    } else {
      used += append_value(out->text + used, l->value);
    }
  }
  if (need != NULL)
    *need = total;
  size_t cut[OM_PACK_FIELDS + 1];
  if (r != OM_ENC_OK || !om_pack_split(out->text, used, cut))
    return fail(out, OM_ENC_PACK_TOO_LONG);
  out->text[used] = '\0';
  out->len = used;
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
