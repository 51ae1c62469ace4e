/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-i18n"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fo-i18n.h"

/*
 * The Welsh catalogue built into the build tree loads under LANGUAGE=cy and follows Welsh
 * plural rules, and the program finds the catalogues of a staged install through its data
 * directories.
 */

static gboolean have_translating_locale;

/* glibc ignores LANGUAGE while LC_MESSAGES is "C" or "POSIX", which mean "do not translate";
 * any other locale will do. C.UTF-8 is built into glibc from 2.35, so the test does not need
 * a generated cy_GB.UTF-8; the others are tried for C libraries without it. */
static gboolean
set_translating_locale (void)
{
  static const char *const candidates[] = {
    "", "C.UTF-8", "C.utf8", "cy_GB.UTF-8", "en_GB.UTF-8", "en_US.UTF-8",
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *messages;

      if (setlocale (LC_ALL, candidates[i]) == NULL)
        continue;
      messages = setlocale (LC_MESSAGES, NULL);
      if (!g_str_equal (messages, "C") && !g_str_equal (messages, "POSIX"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
skip_without_locale (void)
{
  if (!have_translating_locale)
    g_test_skip ("no locale other than C or POSIX is available, so gettext cannot translate");
  return !have_translating_locale;
}

static void
test_welsh_strings (void)
{
  if (skip_without_locale ())
    return;

  /* The application's name (the window title, from fo-main-window.ui), a menu item with its
   * mnemonic, and a cell of the outcome matrix (fo-family-page.c). */
  g_assert_cmpstr (_("Family Outcomes"), ==, "Canlyniadau Teuluoedd");
  g_assert_cmpstr (_("_Help"), ==, "_Cymorth");
  g_assert_cmpstr (_("Not identified"), ==, "Heb ei nodi");
  /* A string the catalogue does not have comes back as it was. */
  g_assert_cmpstr (_("A string nobody will ever translate"), ==,
                   "A string nobody will ever translate");
}

static void
test_welsh_plurals (void)
{
  /* Welsh has six forms: the noun after 2 takes a soft mutation, after 3 and 6 an aspirate
   * one, and every other count takes the radical. */
  static const struct
  {
    gulong      n;
    const char *expected;
  } cases[] = {
    { 0, "%u teulu" }, { 1, "%u teulu" }, { 2, "%u deulu" }, { 3, "%u theulu" },
    { 4, "%u teulu" }, { 5, "%u teulu" }, { 6, "%u theulu" }, { 7, "%u teulu" },
    { 11, "%u teulu" }, { 200, "%u teulu" },
  };

  if (skip_without_locale ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("n = %lu", cases[i].n);
      g_assert_cmpstr (ngettext ("%u family", "%u families", cases[i].n), ==,
                       cases[i].expected);
    }
}

typedef struct
{
  char *root;
} StagedInstall;

static void
make_catalogue (const char *locale_dir,
                const char *language)
{
  g_autofree char *folder = g_build_filename (locale_dir, language, "LC_MESSAGES", NULL);
  g_autofree char *path = g_build_filename (folder, GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);
}

static void
staged_install_setup (StagedInstall *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("test-i18n-XXXXXX", &error);
  g_assert_no_error (error);
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  return g_rmdir (path) == 0;
}

static void
staged_install_teardown (StagedInstall *fixture,
                         gconstpointer  data)
{
  g_assert_true (remove_tree (fixture->root));
  g_free (fixture->root);
}

static void
test_locale_dir_staged (StagedInstall *fixture,
                        gconstpointer  data)
{
  g_autofree char *configured = g_build_filename (fixture->root, "usr", "share", "locale", NULL);
  g_autofree char *staged = g_build_filename (fixture->root, "stage", "usr", "share", NULL);
  g_autofree char *staged_locale = g_build_filename (staged, "locale", NULL);
  g_autofree char *elsewhere = g_build_filename (fixture->root, "elsewhere", NULL);
  const char *data_dirs[] = { elsewhere, staged, NULL };
  const char *welsh[] = { "cy_GB.UTF-8", "cy_GB", "cy.UTF-8", "cy", "C.UTF-8", "C", NULL };
  const char *english[] = { "C.UTF-8", "C", NULL };
  g_autofree char *found = NULL;

  /* Nothing anywhere: the configured directory, so gettext falls back to English. */
  found = fo_locale_dir_find (configured, data_dirs, welsh);
  g_assert_cmpstr (found, ==, configured);
  g_clear_pointer (&found, g_free);

  /* A staged install's catalogue is found through the data directories. */
  make_catalogue (staged_locale, "cy");
  found = fo_locale_dir_find (configured, data_dirs, welsh);
  g_assert_cmpstr (found, ==, staged_locale);
  g_clear_pointer (&found, g_free);

  /* Untranslated languages look for nothing. */
  found = fo_locale_dir_find (configured, data_dirs, english);
  g_assert_cmpstr (found, ==, configured);
  g_clear_pointer (&found, g_free);

  /* Once the program is installed where it was built for, that copy wins. */
  make_catalogue (configured, "cy_GB");
  found = fo_locale_dir_find (configured, data_dirs, welsh);
  g_assert_cmpstr (found, ==, configured);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Before the first gettext call, which loads the catalogue for the languages it finds. */
  g_setenv ("LANGUAGE", "cy", TRUE);
  have_translating_locale = set_translating_locale ();
  /* The catalogue msgfmt built from po/cy.po, not an installed one. */
  bindtextdomain (GETTEXT_PACKAGE, PO_BUILD_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/i18n/welsh/strings", test_welsh_strings);
  g_test_add_func ("/i18n/welsh/plurals", test_welsh_plurals);
  g_test_add ("/i18n/locale-dir/staged-install", StagedInstall, NULL, staged_install_setup,
              test_locale_dir_staged, staged_install_teardown);
  return g_test_run ();
}
