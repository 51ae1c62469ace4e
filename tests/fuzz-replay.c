/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-replay"

#include "config.h"

#include "fo-fuzz.h"

/*
 * Runs one fuzz target, built without libFuzzer, on every file in the folders given after the
 * test options: the inputs that once made it crash (tests/fuzz-regressions/TARGET/) and its
 * seeds. Each file is one test case, so that a regression names the input that brought it
 * back. The target's own assertions decide; under AddressSanitizer so do the sanitizers.
 */

typedef struct
{
  char *path;
} Input;

static void
input_free (gpointer data)
{
  Input *input = data;

  g_free (input->path);
  g_free (input);
}

static void
replay (gconstpointer data)
{
  const Input *input = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (input->path, &contents, &length, &error))
    g_error ("%s", error->message);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *) contents, length), ==, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (input_free);

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *folder = g_path_get_basename (argv[i]);
      const char *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (!g_str_equal (name, "README.md"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint j = 0; j < names->len; j++)
        {
          Input *input = g_new0 (Input, 1);
          g_autofree char *test_path = NULL;

          input->path = g_build_filename (argv[i], g_ptr_array_index (names, j), NULL);
          test_path = g_strdup_printf ("/fuzz-%s/%s/%s", FUZZ_TARGET, folder,
                                       (char *) g_ptr_array_index (names, j));
          g_test_add_data_func (test_path, input, replay);
          g_ptr_array_add (inputs, input);
        }
    }
  g_assert_cmpuint (inputs->len, >, 0);
  return g_test_run ();
}
