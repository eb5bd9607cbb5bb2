/* The shared basic types and validators; see om_types.h. */
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

/* A name whose first character is in start and the others in rest
 * (om_char_class bits). */
static bool name_valid(const char *s, size_t len, unsigned start,
                       unsigned rest) {
  if (len == 0 || !(om_char_class[(unsigned char)s[0]] & start))
    return false;
  for (size_t i = 1; i < len; i++)
    if (!(om_char_class[(unsigned char)s[i]] & rest))
      return false;
  return true;
}

bool om_label_name_valid(const char *s, size_t len) {
  return name_valid(s, len, OM_CHAR_NAME_START, OM_CHAR_NAME);
}

bool om_metric_name_valid(const char *s, size_t len) {
  return name_valid(s, len, OM_CHAR_NAME_START | OM_CHAR_COLON,
                    OM_CHAR_NAME | OM_CHAR_COLON);
}

size_t om_utf8_sequence(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  if (len == 0)
    return 0;
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    if (c == 0xED)
      hi = 0x9F; /* surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0)
      lo = 0x90; /* overlong */
    if (c == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (len - 1 < need || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k <= need; k++)
    if (s[k] < 0x80 || s[k] > 0xBF)
      return 0;
  return need + 1;
}

bool om_utf8_valid(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    size_t n = om_utf8_sequence(s + i, len - i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}
