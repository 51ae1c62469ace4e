/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fo-session.h"

G_BEGIN_DECLS

#define FO_TYPE_WINDOW (fo_window_get_type ())
G_DECLARE_FINAL_TYPE (FoWindow, fo_window, FO, WINDOW, AdwApplicationWindow)

FoWindow  *fo_window_new             (AdwApplication *application);
void       fo_window_open_database   (FoWindow       *self,
                                      const char     *path);
FoSession *fo_window_get_session     (FoWindow       *self);
void       fo_window_reload_settings (FoWindow       *self);

G_END_DECLS
