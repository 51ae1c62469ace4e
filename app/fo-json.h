/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fo-date.h"

G_BEGIN_DECLS

/* Reads a JSON document strictly, keeping the JSON path of the value being read so that
 * every error names the file and the exact place ("$.headline_issues[3].indicators[1]"). */
typedef struct
{
  const char *file;
  GString    *path;
  GError     *error;
  int         error_code;
} FoJsonReader;

void        fo_json_reader_init   (FoJsonReader *reader,
                                   const char   *file,
                                   int           error_code);
void        fo_json_reader_clear  (FoJsonReader *reader);
JsonNode   *fo_json_load_file     (const char   *file,
                                   GError      **error);
char       *fo_json_read_file     (const char   *file,
                                   gsize        *out_length,
                                   GError      **error);
JsonNode   *fo_json_load_data     (const char   *file,
                                   const char   *data,
                                   gssize        length,
                                   GError      **error);

gboolean    fo_json_strict_check  (const char   *file,
                                   const char   *data,
                                   gsize         length,
                                   GError      **error);

gboolean    fo_json_failed        (FoJsonReader *reader);
void        fo_json_fail          (FoJsonReader *reader,
                                   const char   *key,
                                   const char   *format,
                                   ...) G_GNUC_PRINTF (3, 4);
gsize       fo_json_push_key      (FoJsonReader *reader,
                                   const char   *key);
gsize       fo_json_push_index    (FoJsonReader *reader,
                                   guint         index);
void        fo_json_pop           (FoJsonReader *reader,
                                   gsize         mark);

JsonObject *fo_json_as_object     (FoJsonReader *reader,
                                   JsonNode     *node,
                                   const char   *what);
gboolean    fo_json_check_keys    (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *const *allowed);
gboolean    fo_json_require       (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key);

const char *fo_json_string        (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required);
gboolean    fo_json_number        (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required,
                                   double       *out);
gboolean    fo_json_int           (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required,
                                   gint64        min,
                                   gint64        max,
                                   gint64       *out);
gboolean    fo_json_bool          (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean     *out);
gboolean    fo_json_day           (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required,
                                   FoDay        *out);
gboolean    fo_json_duration      (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required,
                                   FoDuration   *out);
JsonArray  *fo_json_array         (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required);
JsonObject *fo_json_object        (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required);
char      **fo_json_strv          (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   gboolean      required);
int         fo_json_enum          (FoJsonReader *reader,
                                   JsonObject   *object,
                                   const char   *key,
                                   const char   *const *names,
                                   int           fallback);
GPtrArray  *fo_json_notes         (FoJsonReader *reader,
                                   JsonObject   *object);

G_END_DECLS
