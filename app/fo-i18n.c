/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-i18n"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-i18n.h"

/*
 * Where the message catalogues are. LOCALEDIR, fixed at build time, is right for an installed
 * program. A staged install (`meson install --destdir`) or one copied to another prefix is
 * run with XDG_DATA_DIRS pointing into it, which is how GLib and GTK find its settings schema
 * and icons; its catalogues are looked for there too, rather than the program quietly
 * speaking English.
 */

static gboolean
has_catalogue (const char         *locale_dir,
               const char * const *languages)
{
  g_assert (locale_dir != NULL);

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      /* "C", "C.UTF-8" and "POSIX" mean untranslated: no catalogue is looked for. */
      if ((languages[i][0] == 'C' && (languages[i][1] == '\0' || languages[i][1] == '.')) ||
          g_str_equal (languages[i], "POSIX"))
        continue;
      path = g_build_filename (locale_dir, languages[i], "LC_MESSAGES", GETTEXT_PACKAGE ".mo",
                               NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }
  return FALSE;
}

/**
 * fo_locale_dir_find:
 * @configured: the locale directory the program was built for
 * @data_dirs: (array zero-terminated=1): data directories to look in next, such as
 *   g_get_system_data_dirs()
 * @languages: (array zero-terminated=1): the user's languages, most wanted first, such as
 *   g_get_language_names()
 *
 * Picks the locale directory to bind the program's text domain to: @configured if it holds a
 * catalogue for one of @languages, else the first `DIR/locale` of @data_dirs that does, else
 * @configured, so that a missing translation falls back to English as gettext would.
 *
 * Returns: (transfer full): the directory
 */
char *
fo_locale_dir_find (const char         *configured,
                    const char * const *data_dirs,
                    const char * const *languages)
{
  g_return_val_if_fail (configured != NULL, NULL);
  g_return_val_if_fail (data_dirs != NULL, NULL);
  g_return_val_if_fail (languages != NULL, NULL);

  if (has_catalogue (configured, languages))
    return g_strdup (configured);
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *locale_dir = g_build_filename (data_dirs[i], "locale", NULL);

      if (has_catalogue (locale_dir, languages))
        return g_steal_pointer (&locale_dir);
    }
  return g_strdup (configured);
}

/**
 * fo_locale_dir:
 *
 * The locale directory for bindtextdomain(): fo_locale_dir_find() for LOCALEDIR, the system
 * data directories and the languages of the environment, worked out once.
 *
 * Returns: (transfer none): the directory, valid for the life of the program
 */
const char *
fo_locale_dir (void)
{
  static gsize found;
  static char *locale_dir;

  if (g_once_init_enter (&found))
    {
      locale_dir = fo_locale_dir_find (LOCALEDIR, g_get_system_data_dirs (),
                                       g_get_language_names ());
      g_once_init_leave (&found, 1);
    }
  return locale_dir;
}
