/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fo-session.h"

G_BEGIN_DECLS

#define FO_TYPE_FAMILY_PAGE (fo_family_page_get_type ())
G_DECLARE_FINAL_TYPE (FoFamilyPage, fo_family_page, FO, FAMILY_PAGE, AdwBin)

GtkStack           *fo_family_page_get_stack     (FoFamilyPage *self);
void                fo_family_page_set_session   (FoFamilyPage *self,
                                                  FoSession    *session);
void                fo_family_page_set_actor     (FoFamilyPage *self,
                                                  const char   *actor);
void                fo_family_page_set_read_only (FoFamilyPage *self,
                                                  gboolean      read_only);
void                fo_family_page_show          (FoFamilyPage *self,
                                                  FoFamilyView *view);
const FoFamilyView *fo_family_page_get_view      (FoFamilyPage *self);
void                fo_family_page_add_record    (FoFamilyPage *self,
                                                  const char   *record_type);
void                fo_family_page_add_member    (FoFamilyPage *self);
void                fo_family_page_edit_details  (FoFamilyPage *self);

G_END_DECLS
