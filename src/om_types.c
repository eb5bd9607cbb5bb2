/* Helpers for the shared basic types. */
#include "om_types.h"

#include <string.h>

const unsigned char om_char_class[256] = {
    [':'] = OM_CHAR_COLON,
    ['_'] = OM_CHAR_NAME_START | OM_CHAR_NAME,
#define L(c) [c] = OM_CHAR_NAME_START | OM_CHAR_NAME
    L('a'),
    L('b'),
    L('c'),
    L('d'),
    L('e'),
    L('f'),
    L('g'),
    L('h'),
    L('i'),
    L('j'),
    L('k'),
    L('l'),
    L('m'),
    L('n'),
    L('o'),
    L('p'),
    L('q'),
    L('r'),
    L('s'),
    L('t'),
    L('u'),
    L('v'),
    L('w'),
    L('x'),
    L('y'),
    L('z'),
    L('A'),
    L('B'),
    L('C'),
    L('D'),
    L('E'),
    L('F'),
    L('G'),
    L('H'),
    L('I'),
    L('J'),
    L('K'),
    L('L'),
    L('M'),
    L('N'),
    L('O'),
    L('P'),
    L('Q'),
    L('R'),
    L('S'),
    L('T'),
    L('U'),
    L('V'),
    L('W'),
    L('X'),
    L('Y'),
    L('Z'),
#undef L
    ['0'] = OM_CHAR_NAME,
    ['1'] = OM_CHAR_NAME,
    ['2'] = OM_CHAR_NAME,
    ['3'] = OM_CHAR_NAME,
    ['4'] = OM_CHAR_NAME,
    ['5'] = OM_CHAR_NAME,
    ['6'] = OM_CHAR_NAME,
    ['7'] = OM_CHAR_NAME,
    ['8'] = OM_CHAR_NAME,
    ['9'] = OM_CHAR_NAME,
};

bool om_slice_eq_cstr(om_slice s, const char *c) {
  size_t n = strlen(c);
  return s.len == n && (n == 0 || memcmp(s.ptr, c, n) == 0);
}

int om_slice_cmp(om_slice a, om_slice b) {
  size_t n = a.len < b.len ? a.len : b.len;
  int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
  if (r != 0)
    return r;
  return (a.len > b.len) - (a.len < b.len);
}

const char *om_metric_type_name(om_metric_type t) {
  switch (t) {
  case OM_TYPE_COUNTER:
    return "counter";
  case OM_TYPE_GAUGE:
    return "gauge";
  case OM_TYPE_HISTOGRAM:
    return "histogram";
  case OM_TYPE_SUMMARY:
    return "summary";
  default:
    return "untyped";
  }
}
