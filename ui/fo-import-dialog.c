/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-accessible.h"
#include "fo-import-dialog.h"
#include "fo-main-window.h"

/* Imports one partner-data CSV feed with a progress bar and a Cancel button. The import runs
 * on the session's worker thread and is all or nothing, so cancelling leaves the database as
 * it was; the report lists every row refused, by line and field. */
struct _FoImportDialog
{
  AdwWindow     parent_instance;

  FoSession    *session;
  char         *actor;
  GFile        *file;
  GCancellable *cancellable;

  GtkWidget    *feed_choice;
  GtkWidget    *file_button;
  GtkWidget    *dry_run_switch;
  GtkWidget    *import_button;
  GtkWidget    *cancel_button;
  GtkWidget    *progress;
  GtkWidget    *report_view;
  GtkWidget    *report_scroller;
};

G_DEFINE_FINAL_TYPE (FoImportDialog, fo_import_dialog, ADW_TYPE_WINDOW)

static const char *const feed_labels[] = {
  N_("School attendance, per term"), N_("Exclusions"), N_("Police incidents"),
  N_("Domestic abuse notifications"), N_("Missing episodes"), N_("Benefit spells"),
  N_("Employment spells"), N_("Family Star Plus readings"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (feed_labels) == FO_N_FEEDS);

static void
set_running (FoImportDialog *self,
             gboolean        running)
{
  gtk_widget_set_visible (self->progress, running);
  gtk_widget_set_sensitive (self->import_button, !running && self->file != NULL);
  gtk_widget_set_sensitive (self->feed_choice, !running);
  gtk_widget_set_sensitive (self->file_button, !running);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button), running ? _("_Stop") : _("_Close"));
}

static void
show_report (FoImportDialog *self,
             const char     *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->report_view)), text, -1);
  gtk_widget_set_visible (self->report_scroller, TRUE);
}

static void
progress_cb (double   fraction,
             guint64  rows_done,
             gpointer user_data)
{
  FoImportDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (ngettext ("%llu row read", "%llu rows read",
                                                     rows_done),
                                           (unsigned long long) rows_done);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), fraction);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FoImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FoImportReport) report = fo_session_import_finish (FO_SESSION (source), result,
                                                               &error);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  set_running (self, FALSE);
  g_clear_object (&self->cancellable);
  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_report (self, _("Stopped. Nothing was imported: the database is as it was."));
      else
        show_report (self, error->message);
      return;
    }
  {
    g_autofree char *text = fo_import_report_to_text (report);

    show_report (self, text);
  }
  if (!report->dry_run && report->added > 0 && FO_IS_MAIN_WINDOW (parent))
    fo_main_window_reload_settings (FO_MAIN_WINDOW (parent));
}

static void
import_cb (FoImportDialog *self)
{
  g_autofree char *path = NULL;

  if (self->file == NULL || self->cancellable != NULL)
    return;
  path = g_file_get_path (self->file);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  set_running (self, TRUE);
  fo_session_import_async (self->session,
                           gtk_drop_down_get_selected (GTK_DROP_DOWN (self->feed_choice)), path,
                           gtk_switch_get_active (GTK_SWITCH (self->dry_run_switch)), self->actor,
                           progress_cb, self, self->cancellable, import_done_cb,
                           g_object_ref (self));
}

static void
cancel_cb (FoImportDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
file_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                FoImportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *name = NULL;

      g_set_object (&self->file, gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)));
      g_object_unref (self->file);
      name = g_file_get_basename (self->file);
      gtk_button_set_label (GTK_BUTTON (self->file_button), name);
      set_running (self, FALSE);
    }
  g_object_unref (chooser);
}

static void
choose_file_cb (FoImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a CSV File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
close_request_cb (FoImportDialog *self)
{
  /* Closing mid-import stops it; the roll-back leaves nothing half-written. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
fo_import_dialog_dispose (GObject *object)
{
  FoImportDialog *self = FO_IMPORT_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fo_import_dialog_parent_class)->dispose (object);
}

static void
fo_import_dialog_finalize (GObject *object)
{
  g_free (FO_IMPORT_DIALOG (object)->actor);
  G_OBJECT_CLASS (fo_import_dialog_parent_class)->finalize (object);
}

static void
fo_import_dialog_class_init (FoImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fo_import_dialog_dispose;
  object_class->finalize = fo_import_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
labelled (GtkWidget  *grid,
          const char *mnemonic,
          GtkWidget  *widget,
          int         row)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_halign (widget, row == 2 ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  gtk_widget_set_hexpand (widget, row != 2);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), widget, 1, row, 1, 1);
  return widget;
}

static void
fo_import_dialog_init (FoImportDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  g_autoptr(GtkStringList) feeds = gtk_string_list_new (NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Import Partner Data"));
  gtk_window_set_default_size (GTK_WINDOW (self), 620, 520);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Close"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);
  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (import_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  for (guint i = 0; i < FO_N_FEEDS; i++)
    gtk_string_list_append (feeds, _(feed_labels[i]));
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  self->feed_choice = labelled (grid, _("_Feed"), gtk_drop_down_new (G_LIST_MODEL (g_object_ref (feeds)),
                                                                     NULL), 0);
  self->file_button = labelled (grid, _("F_ile"), gtk_button_new_with_label (_("Choose…")), 1);
  g_signal_connect_swapped (self->file_button, "clicked", G_CALLBACK (choose_file_cb), self);
  self->dry_run_switch = labelled (grid, _("_Check only, change nothing"), gtk_switch_new (), 2);

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_box_append (GTK_BOX (box), grid);
  self->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress), TRUE);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (box), self->progress);
  self->report_view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->report_view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->report_view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->report_view), GTK_WRAP_WORD_CHAR);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->report_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Import report"), -1);
  self->report_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->report_scroller), self->report_view);
  gtk_widget_set_vexpand (self->report_scroller, TRUE);
  gtk_widget_add_css_class (self->report_scroller, "card");
  gtk_widget_set_visible (self->report_scroller, FALSE);
  gtk_box_append (GTK_BOX (box), self->report_scroller);
  gtk_box_append (GTK_BOX (toolbar), box);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
  fo_accessible_tidy_on_map (GTK_WIDGET (self));
  set_running (self, FALSE);
}

FoImportDialog *
fo_import_dialog_new (GtkWindow  *parent,
                      FoSession  *session,
                      const char *actor)
{
  FoImportDialog *self = g_object_new (FO_TYPE_IMPORT_DIALOG, "transient-for", parent,
                                       "modal", TRUE, NULL);

  self->session = g_object_ref (session);
  self->actor = g_strdup (actor);
  return self;
}
