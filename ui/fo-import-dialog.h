/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fo-session.h"

G_BEGIN_DECLS

#define FO_TYPE_IMPORT_DIALOG (fo_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FoImportDialog, fo_import_dialog, FO, IMPORT_DIALOG, AdwWindow)

FoImportDialog *fo_import_dialog_new (GtkWindow  *parent,
                                      FoSession  *session,
                                      const char *actor);

G_END_DECLS
