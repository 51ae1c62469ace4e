/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-cohort"

#include "config.h"

#include "fo-cohort.h"
#include "fo-date.h"

static const char *const syllables[] = {
  "ka", "lo", "mi", "ren", "sa", "tor", "vel", "wyn", "za", "bri", "dal", "fen", "gor", "hal",
  "jun", "qui", "ros", "tam", "ul", "yar",
};

static char *
invented_name (GRand *rand,
               int    parts)
{
  GString *name = g_string_new (NULL);

  for (int i = 0; i < parts; i++)
    g_string_append (name, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
  name->str[0] = g_ascii_toupper (name->str[0]);
  return g_string_free (name, FALSE);
}

static void
add_day (JsonBuilder *builder,
         const char  *key,
         FoDay        day)
{
  char buf[11];

  fo_day_format_buf (day, buf);
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, buf);
}

static void
begin_event (JsonBuilder *builder,
             guint       *next_id,
             const char  *kind,
             const char  *member)
{
  char id[16];

  g_snprintf (id, sizeof id, "e%u", (*next_id)++);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  if (member != NULL)
    {
      json_builder_set_member_name (builder, "member");
      json_builder_add_string_value (builder, member);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *key,
            const char  *value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *key,
         gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

/* English school terms: autumn, spring, summer. */
static void
term_dates (int    school_year,
            int    term,
            FoDay *start,
            FoDay *end)
{
  static const int months[3][4] = { { 9, 2, 12, 19 }, { 1, 6, 3, 28 }, { 4, 15, 7, 21 } };
  int year = term == 0 ? school_year : school_year + 1;

  *start = fo_day_from_dmy (months[term][1], months[term][0], year);
  *end = fo_day_from_dmy (months[term][3], months[term][2], year);
}

JsonNode *
fo_cohort_family_json (guint32 seed,
                       guint   index)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed * 2654435761u + index);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *surname = invented_name (rand, 2);
  FoDay entry = fo_day_from_dmy (1, 1, 2024) + g_rand_int_range (rand, 0, 700);
  int n_parents = g_rand_int_range (rand, 1, 3);
  int n_children = g_rand_int_range (rand, 1, 5);
  int n_members = n_parents + n_children;
  guint next_id = 1;
  char reference[32];
  /* Each family has a profile of needs, so that the cohort spreads across the plans' issues. */
  gboolean crime = g_rand_int_range (rand, 0, 100) < 40;
  gboolean school = g_rand_int_range (rand, 0, 100) < 55;
  gboolean abuse = g_rand_int_range (rand, 0, 100) < 35;
  gboolean work = g_rand_int_range (rand, 0, 100) < 50;
  gboolean care = g_rand_int_range (rand, 0, 100) < 30;

  g_snprintf (reference, sizeof reference, "SYN-%06u", index);
  json_builder_begin_object (builder);
  add_int (builder, "format", 1);
  add_string (builder, "reference", reference);
  {
    g_autofree char *name = g_strdup_printf ("%s family", surname);

    add_string (builder, "name", name);
  }
  add_string (builder, "key_worker", index % 2 ? "K. Worker" : "L. Practitioner");
  add_day (builder, "entry_date", entry);

  json_builder_set_member_name (builder, "members");
  json_builder_begin_array (builder);
  for (int m = 0; m < n_members; m++)
    {
      g_autofree char *given = invented_name (rand, 2);
      g_autofree char *full = g_strdup_printf ("%s %s", given, surname);
      char id[8];
      gboolean parent = m < n_parents;
      FoDay dob = parent ? entry - g_rand_int_range (rand, 20 * 365, 50 * 365)
                         : entry - g_rand_int_range (rand, 1 * 365, 17 * 365);

      g_snprintf (id, sizeof id, "m%d", m + 1);
      json_builder_begin_object (builder);
      add_string (builder, "id", id);
      add_string (builder, "name", full);
      add_day (builder, "dob", dob);
      add_string (builder, "role", parent ? "parent" : "child");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  {
    int entry_year = fo_day_year (entry);

    /* Attendance: six terms each side of entry for each child. */
    for (int c = 0; c < n_children; c++)
      {
        char member[8];
        int base = school ? g_rand_int_range (rand, 70, 92) : g_rand_int_range (rand, 88, 100);

        g_snprintf (member, sizeof member, "m%d", n_parents + c + 1);
        for (int t = -6; t < 6; t++)
          {
            int year = entry_year - 1 + (t + 6) / 3 - 2;
            FoDay start, end;
            int possible = g_rand_int_range (rand, 110, 150);
            /* CLAMP evaluates its argument more than once: draw first. */
            int drawn = base + (t >= 0 ? g_rand_int_range (rand, 0, 10) : 0)
                        + g_rand_int_range (rand, -3, 4);
            int pct = CLAMP (drawn, 30, 100);
            int attended = possible * pct / 100;

            term_dates (year, (t + 6) % 3, &start, &end);
            begin_event (builder, &next_id, "attendance", member);
            add_day (builder, "start", start);
            add_day (builder, "end", end);
            add_int (builder, "possible", possible);
            add_int (builder, "attended", attended);
            add_int (builder, "unauthorised", (possible - attended) / 2);
            json_builder_end_object (builder);
          }
      }

    int n_crime = crime ? g_rand_int_range (rand, 1, 14) : 0;
    int n_abuse = abuse ? g_rand_int_range (rand, 1, 4) : 0;
    int n_statements = g_rand_int_range (rand, 0, 4);

    for (int i = 0; i < n_crime; i++)
      {
        static const char *const kinds[] = { "asb_incident", "offence", "arrest", "named_suspect",
                                             "asb_intervention" };
        char member[8];

        g_snprintf (member, sizeof member, "m%d", g_rand_int_range (rand, 1, n_members + 1));
        begin_event (builder, &next_id, kinds[g_rand_int_range (rand, 0, 5)], member);
        add_day (builder, "date", entry - 360 + g_rand_int_range (rand, 0, 700));
        json_builder_end_object (builder);
      }
    for (int i = 0; i < n_abuse; i++)
      {
        begin_event (builder, &next_id, "da_notification", "m1");
        add_day (builder, "date", entry - 300 + g_rand_int_range (rand, 0, 500));
        json_builder_end_object (builder);
      }
    if (work && n_parents > 1)
      {
        begin_event (builder, &next_id, "benefit", "m2");
        add_string (builder, "type", "UC_work_related");
        add_day (builder, "start", entry - 200);
        json_builder_end_object (builder);
      }
    if (work)
      {
        FoDay off = entry + g_rand_int_range (rand, 30, 300);

        begin_event (builder, &next_id, "benefit", "m1");
        add_string (builder, "type", g_rand_boolean (rand) ? "JSA" : "ESA");
        add_day (builder, "start", entry - 400);
        add_day (builder, "end", off);
        json_builder_end_object (builder);
        begin_event (builder, &next_id, "employment", "m1");
        add_day (builder, "start", off + 1);
        if (g_rand_boolean (rand))
          add_day (builder, "end", off + g_rand_int_range (rand, 30, 200));
        json_builder_end_object (builder);
      }
    if (care)
      {
        char member[8];
        FoDay closed = entry + g_rand_int_range (rand, 60, 300);

        g_snprintf (member, sizeof member, "m%d", n_parents + 1);
        begin_event (builder, &next_id, "case", member);
        add_string (builder, "type", g_rand_boolean (rand) ? "CIN" : "EH");
        add_day (builder, "start", entry - 30);
        add_day (builder, "end", closed);
        add_string (builder, "end_reason", "stepped_down");
        json_builder_end_object (builder);
      }

    /* Most families live in the council's area (B&NES makes it a condition). */
    if (g_rand_int_range (rand, 0, 100) < 95)
      {
        begin_event (builder, &next_id, "status", NULL);
        add_string (builder, "type", "resident_in_area");
        add_day (builder, "start", entry - g_rand_int_range (rand, 100, 3000));
        json_builder_end_object (builder);
      }

    /* Family Star Plus readings every two months from entry. */
    for (int r = 0; r < 8; r++)
      {
        begin_event (builder, &next_id, "star_reading", NULL);
        add_day (builder, "date", fo_day_add_months (entry, 2 * r) + 7);
        add_string (builder, "taken_by", "joint");
        json_builder_set_member_name (builder, "scores");
        json_builder_begin_object (builder);
        for (guint a = 0; a < FO_STAR_AREAS; a++)
          {
            int score = g_rand_int_range (rand, 2, 6) + r / 2;

            add_int (builder, fo_star_area_names[a], CLAMP (score, 1, 10));
          }
        json_builder_end_object (builder);
        json_builder_end_object (builder);
      }

    for (int i = 0; i < n_statements; i++)
      {
        static const char *const indicators[] = { "CBC-6.1", "BRS-5a", "NF-5.1", "BNES-6a",
                                                  "HERTS-6.1" };

        begin_event (builder, &next_id, "identified", "m1");
        add_day (builder, "date", entry);
        add_string (builder, "indicator", indicators[g_rand_int_range (rand, 0, 5)]);
        add_string (builder, "author_role", "lead_professional");
        json_builder_end_object (builder);
        begin_event (builder, &next_id, "evidence", NULL);
        add_day (builder, "date", fo_day_add_months (entry, 4));
        add_string (builder, "type", "significant_improvement");
        add_string (builder, "indicator", indicators[g_rand_int_range (rand, 0, 5)]);
        add_string (builder, "author_role", "lead_professional");
        json_builder_end_object (builder);
      }
  }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

FoFamily *
fo_cohort_family (guint32 seed,
                  guint   index)
{
  g_autoptr(JsonNode) node = fo_cohort_family_json (seed, index);
  g_autoptr(GError) error = NULL;
  FoFamily *family = fo_family_load_node ("cohort", node, &error);

  /* The generator must only produce valid families; anything else is a bug here. */
  if (family == NULL)
    g_error ("synthetic family %u is invalid: %s", index, error->message);
  return family;
}
