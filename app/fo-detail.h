/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A record's statement details as strings, as the store keeps them in one JSON object. This
 * header includes no JSON library: fo-json-strict.c reads it with jansson, whose names clash
 * with json-glib's. */
typedef struct
{
  char *outcome;
  char *author;
  char *approved_by;
  char *approver_role;
  char *approved_on;
  char *covers_from;
  char *covers_to;
  char *tool;
  char *text;
  char *source;
  char *note;
} FoDetail;

gboolean fo_detail_read  (const char *json,
                          FoDetail   *out);
void     fo_detail_clear (FoDetail   *detail);

G_END_DECLS
