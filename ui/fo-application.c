/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-application"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-application.h"
#include "fo-preferences-window.h"
#include "fo-main-window.h"

struct _FoApplication
{
  AdwApplication parent_instance;
  char          *database;    /* --db FILE */
};

G_DEFINE_FINAL_TYPE (FoApplication, fo_application, ADW_TYPE_APPLICATION)

static FoMainWindow *
main_window (FoApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return FO_IS_MAIN_WINDOW (window) ? FO_MAIN_WINDOW (window) : NULL;
}

static void
fo_application_activate (GApplication *application)
{
  FoApplication *self = FO_APPLICATION (application);
  FoMainWindow *window = main_window (self);

  if (window == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
      g_autofree char *last = g_settings_get_string (settings, "last-database");

      window = fo_main_window_new (ADW_APPLICATION (self));
      if (self->database != NULL)
        fo_main_window_open_database (window, self->database);
      else if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
        fo_main_window_open_database (window, last);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static int
fo_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  FoApplication *self = FO_APPLICATION (application);
  g_autofree char *database = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("family-outcomes %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "db", "^ay", &database))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (database);

      self->database = g_file_get_path (file);
    }
  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  FoApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window saves its state, as the window manager's close would. */
  for (GList *l = windows; l != NULL;)
    {
      GList *next = l->next;

      gtk_window_close (l->data);
      l = next;
    }
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  FoApplication *self = user_data;
  FoMainWindow *window = main_window (self);

  gtk_window_present (GTK_WINDOW (fo_preferences_window_new (window)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  FoApplication *self = user_data;
  static const char *developers[] = { "Family Outcomes contributors", NULL };

  adw_show_about_window (GTK_WINDOW (main_window (self)),
                         "application-name", _("Family Outcomes"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("Family Outcomes contributors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Track what a family’s support achieves against your "
                                       "council’s Family Outcome Plan, and sign off "
                                       "payment-by-results claims."),
                         "website", "https://example.com/family-outcomes",
                         "issue-url", "https://example.com/family-outcomes/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* The user guide (F1) ---------------------------------------------------------------- */

#define HELP_URI "help:family-outcomes"
#define ONLINE_GUIDE_URL "https://example.com/family-outcomes/help"

/* yelp resolves help:family-outcomes to help/LANG/family-outcomes in a data directory; the
 * C (untranslated) pages are always installed, so their folder says whether the guide is. */
static char *
find_guide (void)
{
  const char * const *system_dirs = g_get_system_data_dirs ();
  g_autoptr(GPtrArray) dirs = g_ptr_array_new ();

  g_ptr_array_add (dirs, (gpointer) g_get_user_data_dir ());
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (dirs, (gpointer) system_dirs[i]);
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *folder = g_build_filename (g_ptr_array_index (dirs, i), "help", "C",
                                                  "family-outcomes", NULL);
      g_autofree char *index = g_build_filename (folder, "index.page", NULL);

      if (g_file_test (index, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&folder);
    }
  return NULL;
}

static void
no_guide_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  if (g_str_equal (response, "online"))
    gtk_show_uri (gtk_window_get_transient_for (GTK_WINDOW (dialog)), ONLINE_GUIDE_URL,
                  GDK_CURRENT_TIME);
}

/* Without the guide, or without a help viewer, F1 still says where to read the guide. */
static void
show_no_guide (GtkWindow  *window,
               const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (window, _("Cannot Show the User Guide"), body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"),
                                    "online", _("Read _Online"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "online");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect (dialog, "response", G_CALLBACK (no_guide_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_shown_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *folder = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;
  g_message ("Cannot open %s: %s", HELP_URI, error->message);
  /* TRANSLATORS: %s is the folder that holds the guide's pages */
  body = g_strdup_printf (_("There is no help viewer on this computer. Install the Help "
                            "application (yelp) to read the guide here, or read it online. "
                            "Its pages are in %s."), folder);
  show_no_guide (GTK_WINDOW (source), body);
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  FoApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *folder = find_guide ();

  if (folder == NULL)
    {
      show_no_guide (window, _("The user guide is not installed on this computer. Whoever "
                               "installs Family Outcomes can install it too; until then, you "
                               "can read it online."));
      return;
    }
  gtk_show_uri_full (window, HELP_URI, GDK_CURRENT_TIME, NULL, help_shown_cb,
                     g_steal_pointer (&folder));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "help", help_action },
};

static void
fo_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (fo_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.help", help_accels);
  /* Dialogs and windows without their own icon show the application's, on X11 too. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
fo_application_finalize (GObject *object)
{
  g_free (FO_APPLICATION (object)->database);
  G_OBJECT_CLASS (fo_application_parent_class)->finalize (object);
}

static void
fo_application_class_init (FoApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fo_application_finalize;
  application_class->activate = fo_application_activate;
  application_class->startup = fo_application_startup;
  application_class->handle_local_options = fo_application_handle_local_options;
}

static void
fo_application_init (FoApplication *self)
{
  static const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

FoApplication *
fo_application_new (void)
{
  /* Not unique: two people, or the app and the command line, may work on one database, and
   * each instance opens the database it was given. */
  return g_object_new (FO_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/com/example/FamilyOutcomes",
                       NULL);
}
