/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fo-family.h"

G_BEGIN_DECLS

/* What part of a family a change touches. */
typedef enum
{
  FO_EDIT_DETAILS,   /* the family's own fields: reference, name, plan, dates */
  FO_EDIT_MEMBER,
  FO_EDIT_EVENT,
} FoEditTarget;

/* Where the loader found a fault in a changed family: the field, when it is one of the
 * fields that were changed, and the message without the file and path. */
typedef struct
{
  char *field;     /* NULL: the fault is elsewhere in the family */
  char *message;
} FoEditFault;

void      fo_edit_fault_clear (FoEditFault    *fault);

FoFamily *fo_family_edit      (const FoFamily *family,
                               FoEditTarget    target,
                               const char     *id,
                               JsonObject     *object,
                               FoEditFault    *out_fault,
                               GError        **error);
FoFamily *fo_family_new_from_details (JsonObject *details,
                                      FoEditFault *out_fault,
                                      GError    **error);
JsonObject *fo_family_find_object (const FoFamily *family,
                                   FoEditTarget    target,
                                   const char     *id);

G_END_DECLS
