/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-json"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "fo-detail.h"
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

static char *
detail_string (json_t     *object,
               const char *key)
{
  const char *value = json_string_value (json_object_get (object, key));

  return value != NULL ? g_strdup (value) : NULL;
}

/* The store keeps the few statement fields most records lack as one small JSON object;
 * jansson reads it without the cost of a json-glib parser per record. */
gboolean
fo_detail_read (const char *json,
                FoDetail   *out)
{
  json_t *object = json_loads (json, 0, NULL);

  memset (out, 0, sizeof *out);
  if (object == NULL)
    return FALSE;
  out->outcome = detail_string (object, "outcome");
  out->author = detail_string (object, "author");
  out->approved_by = detail_string (object, "approved_by");
  out->approver_role = detail_string (object, "approver_role");
  out->approved_on = detail_string (object, "approved_on");
  out->covers_from = detail_string (object, "covers_from");
  out->covers_to = detail_string (object, "covers_to");
  out->tool = detail_string (object, "tool");
  out->text = detail_string (object, "text");
  out->source = detail_string (object, "source");
  out->note = detail_string (object, "note");
  json_decref (object);
  return TRUE;
}

void
fo_detail_clear (FoDetail *detail)
{
  char **fields[] = {
    &detail->outcome, &detail->author, &detail->approved_by, &detail->approver_role,
    &detail->approved_on, &detail->covers_from, &detail->covers_to, &detail->tool,
    &detail->text, &detail->source, &detail->note,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}
