/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-json"

#include "config.h"

#include <glib.h>
#include <jansson.h>

#include "fo-types.h"

/* Kept apart from json-glib: both libraries name a function json_object_iter_next. */
gboolean fo_json_strict_check (const char *file, const char *data, gsize length, GError **error);

/* json-glib accepts comments, single quotes, hex numbers, raw control characters, text after
 * the document and duplicate keys (keeping the last one). A file that two readers could read
 * differently is refused: jansson checks strict RFC 8259, without duplicate keys, first. */
gboolean
fo_json_strict_check (const char *file,
                      const char *data,
                      gsize       length,
                      GError    **error)
{
  json_error_t strict_error;
  json_t *document = json_loadb (data, length, JSON_REJECT_DUPLICATES, &strict_error);

  if (document == NULL)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON, "%s:%d:%d: %s", file,
                   strict_error.line, strict_error.column, strict_error.text);
      return FALSE;
    }
  json_decref (document);
  return TRUE;
}
