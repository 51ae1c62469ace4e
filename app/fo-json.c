/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-json"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fo-json.h"

/* Deeper documents are refused before parsing: json-glib recurses per level. */
#define MAX_DEPTH 64
/* Both parsers keep a node of tens of bytes for every value, so a file of commas and zeros just
 * under the size limit would take gigabytes. The largest plan has about 3,300 values; a family
 * with ten thousand records, about 130,000. */
#define MAX_VALUES 1000000
#define MAX_FILE_SIZE (64 * 1024 * 1024)
#define READ_BLOCK (64 * 1024)

void
fo_json_reader_init (FoJsonReader *reader,
                     const char   *file,
                     int           error_code)
{
  reader->file = file;
  reader->path = g_string_new ("$");
  reader->error = NULL;
  reader->error_code = error_code;
}

void
fo_json_reader_clear (FoJsonReader *reader)
{
  g_string_free (reader->path, TRUE);
  g_clear_error (&reader->error);
}

static gboolean
check_structure (const char *file,
                 const char *data,
                 gsize       length,
                 GError    **error)
{
  int depth = 0;
  gsize values = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON,
                           _("%s: JSON nested more than %d levels deep"), file, MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        depth--;
      /* Each value but the first in a list or an object follows a comma. */
      if ((c == ',' || c == '{' || c == '[') && ++values > MAX_VALUES)
        {
          g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON,
                       _("%s: more than %d JSON values, far more than a plan or a family has"),
                       file, MAX_VALUES);
          return FALSE;
        }
    }
  return TRUE;
}

JsonNode *
fo_json_load_data (const char *file,
                   const char *data,
                   gssize      length,
                   GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (length < 0)
    length = strlen (data);
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON, _("%s: contains a NUL byte: not a "
                                                            "JSON text file"), file);
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON, _("%s: not valid UTF-8 text"), file);
      return NULL;
    }
  if (!check_structure (file, data, length, error))
    return NULL;

  /* json-glib accepts comments, single quotes, hex numbers, raw control characters, text after
   * the document and duplicate keys (keeping the last). A plan that two readers could read
   * differently is refused: jansson checks strict RFC 8259 first. */
  if (!fo_json_strict_check (file, data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib's message carries "<data>:line:column: …"; name the file instead. */
      const char *message = local_error->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON, "%s:%s", file, message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON, _("%s: empty document"), file);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* The whole file, refusing one too large to be a plan or a family: before reading it when its
 * size is known, and as soon as it passes the limit when it is not (a pipe, or a file that
 * grows while it is read), so that memory stays bounded either way. */
char *
fo_json_read_file (const char *file,
                   gsize      *out_length,
                   GError    **error)
{
  g_autoptr(GString) data = NULL;
  g_autofree char *block = NULL;
  struct stat st = { 0 };
  int fd, saved = 0;

  fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s", file, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > MAX_FILE_SIZE)
    goto too_large;
  data = g_string_sized_new (S_ISREG (st.st_mode) ? (gsize) st.st_size + 1 : READ_BLOCK);
  block = g_malloc (READ_BLOCK);
  for (;;)
    {
      gssize n = read (fd, block, READ_BLOCK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved = errno;
          close (fd);
          g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s", file, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + n > MAX_FILE_SIZE)
        goto too_large;
      g_string_append_len (data, block, n);
    }
  close (fd);
  if (out_length != NULL)
    *out_length = data->len;
  return g_string_free (g_steal_pointer (&data), FALSE);

too_large:
  close (fd);
  g_set_error (error, FO_ERROR, FO_ERROR_INVALID_JSON,
               _("%s: file is larger than %d MB"), file, MAX_FILE_SIZE / (1024 * 1024));
  return NULL;
}

JsonNode *
fo_json_load_file (const char *file,
                   GError    **error)
{
  gsize length = 0;
  g_autofree char *data = fo_json_read_file (file, &length, error);

  if (data == NULL)
    return NULL;
  return fo_json_load_data (file, data, length, error);
}

gboolean
fo_json_failed (FoJsonReader *reader)
{
  return reader->error != NULL;
}

void
fo_json_fail (FoJsonReader *reader,
              const char   *key,
              const char   *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  /* Only the first error is kept: later ones are usually consequences of it. */
  if (reader->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (key != NULL)
    g_set_error (&reader->error, FO_ERROR, reader->error_code, "%s: %s.%s: %s",
                 reader->file, reader->path->str, key, message);
  else
    g_set_error (&reader->error, FO_ERROR, reader->error_code, "%s: %s: %s",
                 reader->file, reader->path->str, message);
}

gsize
fo_json_push_key (FoJsonReader *reader,
                  const char   *key)
{
  gsize mark = reader->path->len;

  g_string_append_printf (reader->path, ".%s", key);
  return mark;
}

gsize
fo_json_push_index (FoJsonReader *reader,
                    guint         index)
{
  gsize mark = reader->path->len;

  g_string_append_printf (reader->path, "[%u]", index);
  return mark;
}

void
fo_json_pop (FoJsonReader *reader,
             gsize         mark)
{
  g_string_truncate (reader->path, mark);
}

JsonObject *
fo_json_as_object (FoJsonReader *reader,
                   JsonNode     *node,
                   const char   *what)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fo_json_fail (reader, NULL, _("expected %s (a JSON object)"), what);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
fo_json_check_keys (FoJsonReader *reader,
                    JsonObject   *object,
                    const char   *const *allowed)
{
  JsonObjectIter iter;
  const char *key;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, NULL))
    {
      if (!g_strv_contains (allowed, key))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          fo_json_fail (reader, key, _("unknown key “%s” (expected one of: %s)"), key, list);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
fo_json_require (FoJsonReader *reader,
                 JsonObject   *object,
                 const char   *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      fo_json_fail (reader, key, _("required key is missing"));
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
member_or_missing (FoJsonReader *reader,
                   JsonObject   *object,
                   const char   *key,
                   gboolean      required)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        fo_json_fail (reader, key, _("required key is missing"));
      return NULL;
    }
  return node;
}

const char *
fo_json_string (FoJsonReader *reader,
                JsonObject   *object,
                const char   *key,
                gboolean      required)
{
  JsonNode *node = member_or_missing (reader, object, key, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fo_json_fail (reader, key, _("expected a string"));
      return NULL;
    }
  return json_node_get_string (node);
}

gboolean
fo_json_number (FoJsonReader *reader,
                JsonObject   *object,
                const char   *key,
                gboolean      required,
                double       *out)
{
  JsonNode *node = member_or_missing (reader, object, key, required);
  GType type;
  double value;

  if (node == NULL)
    return FALSE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    {
      fo_json_fail (reader, key, _("expected a number"));
      return FALSE;
    }
  if (!isfinite (value))
    {
      fo_json_fail (reader, key, _("expected a finite number"));
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
fo_json_int (FoJsonReader *reader,
             JsonObject   *object,
             const char   *key,
             gboolean      required,
             gint64        min,
             gint64        max,
             gint64       *out)
{
  JsonNode *node = member_or_missing (reader, object, key, required);
  gint64 value;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      fo_json_fail (reader, key, _("expected a whole number"));
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      fo_json_fail (reader, key, _("%lld is out of range (%lld to %lld)"), (long long) value,
                    (long long) min, (long long) max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
fo_json_bool (FoJsonReader *reader,
              JsonObject   *object,
              const char   *key,
              gboolean     *out)
{
  JsonNode *node = member_or_missing (reader, object, key, FALSE);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      fo_json_fail (reader, key, _("expected true or false"));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
fo_json_day (FoJsonReader *reader,
             JsonObject   *object,
             const char   *key,
             gboolean      required,
             FoDay        *out)
{
  const char *text = fo_json_string (reader, object, key, required);

  if (text == NULL)
    return FALSE;
  if (!fo_day_parse (text, out))
    {
      fo_json_fail (reader, key, _("“%s” is not a valid date (YYYY-MM-DD)"), text);
      return FALSE;
    }
  return TRUE;
}

gboolean
fo_json_duration (FoJsonReader *reader,
                  JsonObject   *object,
                  const char   *key,
                  gboolean      required,
                  FoDuration   *out)
{
  const char *text = fo_json_string (reader, object, key, required);

  if (text == NULL)
    return FALSE;
  if (!fo_duration_parse (text, out))
    {
      fo_json_fail (reader, key, _("“%s” is not a duration (e.g. \"6m\", \"13w\", \"91d\")"), text);
      return FALSE;
    }
  return TRUE;
}

JsonArray *
fo_json_array (FoJsonReader *reader,
               JsonObject   *object,
               const char   *key,
               gboolean      required)
{
  JsonNode *node = member_or_missing (reader, object, key, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fo_json_fail (reader, key, _("expected a list"));
      return NULL;
    }
  return json_node_get_array (node);
}

JsonObject *
fo_json_object (FoJsonReader *reader,
                JsonObject   *object,
                const char   *key,
                gboolean      required)
{
  JsonNode *node = member_or_missing (reader, object, key, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fo_json_fail (reader, key, _("expected an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

char **
fo_json_strv (FoJsonReader *reader,
              JsonObject   *object,
              const char   *key,
              gboolean      required)
{
  JsonArray *array = fo_json_array (reader, object, key, required);
  GPtrArray *strv;
  guint n;

  if (array == NULL)
    return NULL;
  n = json_array_get_length (array);
  if (n == 0)
    {
      fo_json_fail (reader, key, _("the list is empty"));
      return NULL;
    }
  /* The strings read so far are freed with the array when a later item is refused. */
  strv = g_ptr_array_new_full (n + 1, g_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
          json_node_get_string (item)[0] == '\0')
        {
          g_autofree char *where = g_strdup_printf ("%s[%u]", key, i);

          fo_json_fail (reader, where, _("expected a non-empty string"));
          g_ptr_array_free (strv, TRUE);
          return NULL;
        }
      g_ptr_array_add (strv, g_strdup (json_node_get_string (item)));
    }
  g_ptr_array_add (strv, NULL);
  return (char **) g_ptr_array_free (strv, FALSE);
}

int
fo_json_enum (FoJsonReader *reader,
              JsonObject   *object,
              const char   *key,
              const char   *const *names,
              int           fallback)
{
  const char *text = fo_json_string (reader, object, key, FALSE);

  if (text == NULL)
    return fallback;
  for (int i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], text))
      return i;
  {
    g_autofree char *list = g_strjoinv (", ", (char **) names);

    fo_json_fail (reader, key, _("“%s” is not one of: %s"), text, list);
  }
  return fallback;
}

GPtrArray *
fo_json_notes (FoJsonReader *reader,
               JsonObject   *object)
{
  JsonArray *notes = fo_json_array (reader, object, "notes", FALSE);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  /* Unlike other lists, an empty list of notes means what it says. */
  if (notes != NULL && json_array_get_length (notes) > 0)
    {
      g_auto(GStrv) texts = fo_json_strv (reader, object, "notes", FALSE);

      for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
        g_ptr_array_add (array, g_strdup (texts[i]));
    }
  return array;
}
