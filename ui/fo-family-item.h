/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "fo-family-summary.h"

G_BEGIN_DECLS

#define FO_TYPE_FAMILY_ITEM (fo_family_item_get_type ())
G_DECLARE_FINAL_TYPE (FoFamilyItem, fo_family_item, FO, FAMILY_ITEM, GObject)

FoFamilyItem          *fo_family_item_new          (FoFamilySummary *summary);
const FoFamilySummary *fo_family_item_get_summary  (FoFamilyItem    *self);
void                   fo_family_item_set_summary  (FoFamilyItem    *self,
                                                    FoFamilySummary *summary);
const char            *fo_family_item_get_search_key (FoFamilyItem  *self);
char                  *fo_family_item_dup_claim_text (FoFamilyItem  *self,
                                                      FoDay          as_of);
gboolean               fo_family_item_has_issue    (FoFamilyItem    *self,
                                                    GHashTable      *issue_ids);

char                  *fo_search_key_normalize     (const char      *text);

G_END_DECLS
