/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "fo-application.h"
#include "fo-i18n.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(FoApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fo_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Without its schema GSettings would abort; say what is missing instead. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL
      ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;

    if (schema == NULL)
      {
        g_printerr (_("family-outcomes: the settings schema %s is not installed. Install the "
                      "application with “meson install”, or run it from the build tree with "
                      "GSETTINGS_SCHEMA_DIR=build/data.\n"), APPLICATION_ID);
        return 1;
      }
  }
  g_set_application_name (_("Family Outcomes"));
  application = fo_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
