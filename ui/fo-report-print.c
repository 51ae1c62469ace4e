/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-report-print"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-report-print.h"

/*
 * Printing and PDF export of a report drawn by app/fo-report.c: the print dialog lays the
 * same pages out on the paper chosen, and remembers the page setup; the PDF is written on a
 * worker thread while a toast says so.
 */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                FoReport          *report)
{
  /* A GTK print context measures in points when asked to, which is the report's unit. */
  guint n_pages = fo_report_layout (report, gtk_print_context_get_width (context),
                                    gtk_print_context_get_height (context));

  gtk_print_operation_set_n_pages (operation, MAX (n_pages, 1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              FoReport          *report)
{
  fo_report_draw_page (report, gtk_print_context_get_cairo_context (context), page);
}

/* Prints @report with the print dialog; the page setup chosen is kept in @settings. */
void
fo_report_print (GtkWindow *parent,
                 FoReport  *report,
                 GSettings *settings)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GVariant) saved = g_settings_get_value (settings, "page-setup");
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  if (g_variant_n_children (saved) > 0)
    setup = gtk_page_setup_new_from_gvariant (saved);
  if (setup == NULL)
    {
      g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

      setup = gtk_page_setup_new ();
      gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
    }
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  gtk_print_operation_set_job_name (operation, _("Family progress report"));
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), report, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), report, 0);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                                    &error);
  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      GtkPageSetup *used = gtk_print_operation_get_default_page_setup (operation);

      g_settings_set_value (settings, "page-setup", gtk_page_setup_to_gvariant (used));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      GtkWidget *dialog = adw_message_dialog_new (parent, _("Could Not Print"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

typedef struct
{
  AdwToastOverlay *toasts;
  AdwToast        *progress;
  char            *name;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->toasts);
  g_clear_object (&data->progress);
  g_free (data->name);
  g_free (data);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ExportData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  adw_toast_dismiss (data->progress);
  if (fo_report_write_pdf_finish (FO_REPORT (source), result, &error))
    message = g_strdup_printf (_("Saved %s"), data->name);
  else
    message = g_strdup_printf (_("Could not save the report: %s"), error->message);
  adw_toast_overlay_add_toast (data->toasts, adw_toast_new (message));
  export_data_free (data);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  ExportData *data = user_data;
  FoReport *report = g_object_get_data (G_OBJECT (chooser), "report");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT ||
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) == NULL ||
      (path = g_file_get_path (file)) == NULL)
    {
      export_data_free (data);
      g_object_unref (chooser);
      return;
    }
  g_free (data->name);
  data->name = g_file_get_basename (file);
  data->progress = g_object_ref_sink (adw_toast_new (_("Saving the report…")));
  adw_toast_set_timeout (data->progress, 0);
  adw_toast_overlay_add_toast (data->toasts, g_object_ref (data->progress));
  fo_report_write_pdf_async (report, path, NULL, written_cb, data);
  g_object_unref (chooser);
}

/* Asks where to save @report as a PDF, then writes it off the main loop. */
void
fo_report_export_pdf (GtkWindow       *parent,
                      FoReport        *report,
                      const char      *suggested_name,
                      AdwToastOverlay *toasts)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  ExportData *data = g_new0 (ExportData, 1);

  data->toasts = g_object_ref (toasts);
  chooser = gtk_file_chooser_native_new (_("Export Report as PDF"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "report", g_object_ref (report), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
