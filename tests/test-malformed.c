/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-malformed"

#include "config.h"

#include "fo-plan.h"

/* Every file in tests/malformed/ is a plan broken in one way; cases.tsv names where. The error
 * must name the file and that exact JSON path ("FILE: $.path: …"), or for text-level faults a
 * fragment of the message (a line number, "not valid UTF-8"). */

typedef struct
{
  char *file;
  char *expected;
} Case;

static void
case_free (gpointer data)
{
  Case *test_case = data;

  g_free (test_case->file);
  g_free (test_case->expected);
  g_free (test_case);
}

static void
test_malformed (gconstpointer data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = fo_plan_load_file (test_case->file, &error);

  g_assert_null (plan);
  g_assert_nonnull (error);
  g_assert_true (error->domain == FO_ERROR);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, test_case->file));
  if (test_case->expected[0] == '$')
    {
      g_autofree char *wanted = g_strdup_printf ("%s: %s: ", test_case->file, test_case->expected);

      if (!g_str_has_prefix (error->message, wanted))
        g_test_fail_printf ("expected “%s…”, got “%s”", wanted, error->message);
    }
  else if (strstr (error->message, test_case->expected) == NULL)
    g_test_fail_printf ("expected “%s” in “%s”", test_case->expected, error->message);
}

static void
test_valid_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (SOURCE_DIR, "tests", "malformed",
                                            "valid-minimal.json.txt", NULL);
  g_autoptr(FoPlan) plan = fo_plan_load_file (file, &error);

  /* The corpus is only meaningful if the plan it breaks is itself valid. */
  g_assert_no_error (error);
  g_assert_nonnull (plan);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  g_autofree char *folder = g_build_filename (SOURCE_DIR, "tests", "malformed", NULL);
  g_autofree char *tsv = g_build_filename (folder, "cases.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/malformed/valid-minimal-loads", test_valid_minimal);
  if (!g_file_get_contents (tsv, &contents, NULL, NULL))
    g_error ("cannot read %s", tsv);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 2);
      Case *test_case;
      g_autofree char *path = NULL;

      if (fields[0] == NULL || fields[1] == NULL || lines[i][0] == '#')
        continue;
      test_case = g_new0 (Case, 1);
      test_case->file = g_build_filename (folder, fields[0], NULL);
      test_case->expected = g_strdup (g_strstrip (fields[1]));
      g_ptr_array_add (cases, test_case);
      path = g_strdup_printf ("/malformed/%s", fields[0]);
      g_test_add_data_func (path, test_case, test_malformed);
    }
  g_assert_cmpuint (cases->len, >=, 20);
  return g_test_run ();
}
