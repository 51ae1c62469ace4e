/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fo-family-edit.h"
#include "fo-plan.h"

G_BEGIN_DECLS

#define FO_TYPE_RECORD_EDITOR (fo_record_editor_get_type ())
G_DECLARE_FINAL_TYPE (FoRecordEditor, fo_record_editor, FO, RECORD_EDITOR, AdwWindow)

/* A record type the editor knows, for menus: its name and its title. */
typedef struct
{
  const char *name;
  const char *title;
} FoRecordType;

const FoRecordType *fo_record_types             (guint          *n_types);
const char         *fo_record_type_for_kind     (const char     *kind);
char               *fo_record_describe          (const FoFamily *family,
                                                 const FoEvent  *event);

FoRecordEditor     *fo_record_editor_new        (GtkWindow      *parent,
                                                 const char     *record_type,
                                                 const FoFamily *family,
                                                 GPtrArray      *plans,
                                                 JsonObject     *existing);
const char         *fo_record_editor_get_record_type (FoRecordEditor *self);
const char         *fo_record_editor_get_id     (FoRecordEditor *self);
FoEditTarget        fo_record_editor_get_target (FoRecordEditor *self);
void                fo_record_editor_fill        (FoRecordEditor *self,
                                                 JsonObject     *values);
void                fo_record_editor_show_fault (FoRecordEditor *self,
                                                 const char     *field,
                                                 const char     *message);
void                fo_record_editor_set_busy   (FoRecordEditor *self,
                                                 gboolean        busy);

G_END_DECLS
