/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fo-main-window.h"

G_BEGIN_DECLS

#define FO_TYPE_PREFERENCES_WINDOW (fo_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (FoPreferencesWindow, fo_preferences_window, FO, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

FoPreferencesWindow *fo_preferences_window_new (FoMainWindow *window);

G_END_DECLS
