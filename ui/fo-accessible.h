/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fo_accessible_set_label (gpointer   widget,
                              const char *label);
void fo_accessible_mark_named (gpointer  widget);
void fo_accessible_tidy      (GtkWidget  *root);
void fo_accessible_tidy_soon  (GtkWidget *root);
void fo_accessible_tidy_on_map (GtkWidget *window);

G_END_DECLS
