/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-accessible.h"
#include "fo-application.h"
#include "fo-preferences-window.h"

static const char *const roles[] = { "coordinator", "supervisor", "auditor" };

struct _FoPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings   *settings;
  FoMainWindow    *window;      /* weak */
  GPtrArray   *plan_ids;

  AdwEntryRow *name_row;
  AdwComboRow *role_row;
  AdwActionRow *database_row;
  AdwComboRow *plan_row;
  AdwEntryRow *as_of_row;
  GtkWidget   *as_of_error;
  GtkWidget   *redact_switch;
};

G_DEFINE_FINAL_TYPE (FoPreferencesWindow, fo_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
settings_applied (FoPreferencesWindow *self)
{
  if (self->window != NULL)
    fo_main_window_reload_settings (self->window);
}

static void
name_applied_cb (FoPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  g_settings_set_string (self->settings, "user-name", name);
  settings_applied (self);
}

static void
as_of_applied_cb (FoPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->as_of_row))));
  FoDay day;

  if (text[0] != '\0' && !fo_day_parse (text, &day))
    {
      gtk_label_set_text (GTK_LABEL (self->as_of_error),
                          _("Enter a real date as YYYY-MM-DD, such as 2026-03-31, or leave it "
                            "empty for today"));
      gtk_widget_set_visible (self->as_of_error, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->as_of_row), "error");
      return;
    }
  gtk_widget_set_visible (self->as_of_error, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->as_of_row), "error");
  g_settings_set_string (self->settings, "as-of-date", text);
  settings_applied (self);
}

static void
role_changed_cb (FoPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->role_row);

  if (selected < G_N_ELEMENTS (roles))
    {
      g_settings_set_string (self->settings, "user-role", roles[selected]);
      settings_applied (self);
    }
}

static void
plan_changed_cb (FoPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->plan_row);

  if (self->plan_ids != NULL && selected < self->plan_ids->len)
    g_settings_set_string (self->settings, "default-plan",
                           g_ptr_array_index (self->plan_ids, selected));
}

static void
open_database_cb (FoPreferencesWindow *self)
{
  if (self->window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->window), "win.open-database", NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
fo_preferences_window_dispose (GObject *object)
{
  FoPreferencesWindow *self = FO_PREFERENCES_WINDOW (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->plan_ids, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), FO_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (fo_preferences_window_parent_class)->dispose (object);
}

static void
fo_preferences_window_class_init (FoPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fo_preferences_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/FamilyOutcomes/fo-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, plan_row);
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, as_of_row);
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, as_of_error);
  gtk_widget_class_bind_template_child (widget_class, FoPreferencesWindow, redact_switch);
  gtk_widget_class_bind_template_callback (widget_class, name_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, as_of_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_database_cb);
}

static void
fo_preferences_window_init (FoPreferencesWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  g_autofree char *as_of = NULL;
  g_autofree char *database = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  fo_accessible_tidy_on_map (GTK_WIDGET (self));
  self->settings = g_settings_new (APPLICATION_ID);
  name = g_settings_get_string (self->settings, "user-name");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name[0] ? name : g_get_real_name ());
  role = g_settings_get_string (self->settings, "user-role");
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_str_equal (role, roles[i]))
      adw_combo_row_set_selected (self->role_row, i);
  g_signal_connect_swapped (self->role_row, "notify::selected", G_CALLBACK (role_changed_cb),
                            self);
  as_of = g_settings_get_string (self->settings, "as-of-date");
  gtk_editable_set_text (GTK_EDITABLE (self->as_of_row), as_of);
  database = g_settings_get_string (self->settings, "last-database");
  adw_action_row_set_subtitle (self->database_row, database[0] ? database : _("None open"));
  g_settings_bind (self->settings, "report-redact", self->redact_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

FoPreferencesWindow *
fo_preferences_window_new (FoMainWindow *window)
{
  FoPreferencesWindow *self = g_object_new (FO_TYPE_PREFERENCES_WINDOW,
                                            "transient-for", window, "modal", TRUE, NULL);
  FoSession *session = window != NULL ? fo_main_window_get_session (window) : NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autofree char *default_plan = g_settings_get_string (self->settings, "default-plan");

  g_set_weak_pointer (&self->window, window);
  self->plan_ids = g_ptr_array_new_with_free_func (g_free);
  if (session != NULL)
    {
      GPtrArray *plans = fo_session_get_plans (session);

      for (guint i = 0; i < plans->len; i++)
        {
          const FoPlan *plan = g_ptr_array_index (plans, i);

          gtk_string_list_append (titles, plan->title);
          g_ptr_array_add (self->plan_ids, g_strdup (plan->id));
        }
    }
  adw_combo_row_set_model (self->plan_row, G_LIST_MODEL (titles));
  for (guint i = 0; i < self->plan_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->plan_ids, i), default_plan))
      adw_combo_row_set_selected (self->plan_row, i);
  g_signal_connect_swapped (self->plan_row, "notify::selected", G_CALLBACK (plan_changed_cb), self);
  return self;
}
