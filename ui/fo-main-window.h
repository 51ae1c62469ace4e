/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fo-session.h"

G_BEGIN_DECLS

#define FO_TYPE_MAIN_WINDOW (fo_main_window_get_type ())
G_DECLARE_FINAL_TYPE (FoMainWindow, fo_main_window, FO, MAIN_WINDOW, AdwApplicationWindow)

FoMainWindow  *fo_main_window_new             (AdwApplication *application);
void       fo_main_window_open_database   (FoMainWindow       *self,
                                      const char     *path);
FoSession *fo_main_window_get_session     (FoMainWindow       *self);
void       fo_main_window_reload_settings (FoMainWindow       *self);

G_END_DECLS
