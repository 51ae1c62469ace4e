/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-family"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fo-family.h"
#include "fo-json.h"

const char *const fo_kind_names[] = {
  "attendance", "exclusion", "asb_incident", "asb_intervention", "offence", "arrest",
  "named_suspect", "da_notification", "missing_episode", "marac_referral", "referral",
  "enforcement_action", "conviction", "birth", "case", "order", "benefit", "employment",
  "engagement", "status", "assessment", "star_reading", "evidence", "identified", NULL
};

const char *const fo_role_names[] = { "parent", "carer", "child", "other", NULL };

const char *const fo_star_area_names[] = {
  "physical_health", "wellbeing", "emotional_needs", "keeping_safe", "social_networks",
  "education_learning", "boundaries_behaviour", "family_routine", "home_money",
  "progress_to_work", NULL
};

static const char *const star_area_labels[] = {
  N_("Physical health"), N_("Your well-being"), N_("Meeting emotional needs"),
  N_("Keeping your children safe"), N_("Social networks"), N_("Education and learning"),
  N_("Boundaries and behaviour"), N_("Family routine"), N_("Home and money"),
  N_("Progress to work"),
};

const char *const fo_level_names[] = { "none", "somewhat", "fully", NULL };

static const char *const closure_reasons[] = {
  "support_completed", "disengaged", "moved_away", "other", NULL
};

/* Which optional fields each kind accepts, beyond id, kind, member, source and note. */
typedef enum
{
  F_TYPE = 1 << 0,
  F_DAYS = 1 << 1,
  F_HOURS = 1 << 2,
  F_END_REASON = 1 << 3,
  F_SESSIONS = 1 << 4,
  F_HOURS_PW = 1 << 5,
  F_LEVEL = 1 << 6,
  F_SCORE = 1 << 7,
  F_STAR = 1 << 8,
  F_STATEMENT = 1 << 9,
  F_IDENTIFIED = 1 << 10,
} FieldSet;

static const guint kind_fields[FO_N_KINDS] = {
  [FO_KIND_ATTENDANCE] = F_SESSIONS,
  [FO_KIND_EXCLUSION] = F_TYPE | F_DAYS,
  [FO_KIND_ASB_INCIDENT] = F_TYPE,
  [FO_KIND_ASB_INTERVENTION] = F_TYPE,
  [FO_KIND_OFFENCE] = F_TYPE,
  [FO_KIND_ARREST] = F_TYPE,
  [FO_KIND_NAMED_SUSPECT] = F_TYPE,
  [FO_KIND_DA_NOTIFICATION] = F_TYPE,
  [FO_KIND_MISSING_EPISODE] = F_TYPE | F_HOURS,
  [FO_KIND_MARAC_REFERRAL] = F_TYPE,
  [FO_KIND_REFERRAL] = F_TYPE,
  [FO_KIND_ENFORCEMENT_ACTION] = F_TYPE,
  [FO_KIND_CONVICTION] = F_TYPE,
  [FO_KIND_BIRTH] = F_TYPE,
  [FO_KIND_CASE] = F_TYPE | F_END_REASON,
  [FO_KIND_ORDER] = F_TYPE | F_END_REASON,
  [FO_KIND_BENEFIT] = F_TYPE | F_END_REASON,
  [FO_KIND_EMPLOYMENT] = F_TYPE | F_END_REASON | F_HOURS_PW,
  [FO_KIND_ENGAGEMENT] = F_TYPE | F_END_REASON | F_LEVEL,
  [FO_KIND_STATUS] = F_TYPE | F_END_REASON,
  [FO_KIND_ASSESSMENT] = F_TYPE | F_SCORE,
  [FO_KIND_STAR_READING] = F_STAR,
  [FO_KIND_EVIDENCE] = F_TYPE | F_STATEMENT | F_LEVEL,
  [FO_KIND_IDENTIFIED] = F_IDENTIFIED,
};

gboolean
fo_kind_is_spell (FoKind kind)
{
  switch (kind)
    {
    case FO_KIND_ATTENDANCE:
    case FO_KIND_CASE:
    case FO_KIND_ORDER:
    case FO_KIND_BENEFIT:
    case FO_KIND_EMPLOYMENT:
    case FO_KIND_ENGAGEMENT:
    case FO_KIND_STATUS:
      return TRUE;
    default:
      return FALSE;
    }
}

int
fo_kind_from_name (const char *name)
{
  static GHashTable *kinds;
  gpointer value;

  /* Looked up for every record read from the store: a hash, not a walk of the names. */
  if (g_once_init_enter (&kinds))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (int i = 0; fo_kind_names[i] != NULL; i++)
        g_hash_table_insert (table, (gpointer) fo_kind_names[i], GINT_TO_POINTER (i + 1));
      g_once_init_leave (&kinds, table);
    }
  value = g_hash_table_lookup (kinds, name);
  return value != NULL ? GPOINTER_TO_INT (value) - 1 : -1;
}

int
fo_star_area_from_name (const char *name)
{
  for (int i = 0; fo_star_area_names[i] != NULL; i++)
    if (g_str_equal (fo_star_area_names[i], name))
      return i;
  return -1;
}

const char *
fo_star_area_label (guint area)
{
  g_return_val_if_fail (area < FO_STAR_AREAS, NULL);
  return _(star_area_labels[area]);
}

void
fo_member_free (FoMember *member)
{
  g_free (member->id);
  g_free (member->name);
  g_free (member->sex);
  g_free (member->upn);
  g_free (member->person_ref);
  g_free (member);
}

void
fo_event_free (FoEvent *event)
{
  if (event->shared_strings)
    {
      g_free (event);
      return;
    }
  g_free (event->id);
  g_free (event->type);
  g_free (event->end_reason);
  g_free (event->term);
  g_free (event->taken_by);
  g_free (event->indicator);
  g_free (event->outcome);
  g_free (event->author);
  g_free (event->author_role);
  g_free (event->approved_by);
  g_free (event->approver_role);
  g_free (event->tool);
  g_free (event->text);
  g_free (event->source);
  g_free (event->note);
  g_free (event);
}

void
fo_family_free (FoFamily *family)
{
  if (family == NULL)
    return;
  g_free (family->reference);
  g_free (family->name);
  g_free (family->key_worker);
  g_free (family->plan);
  g_free (family->closure_reason);
  g_clear_pointer (&family->members, g_ptr_array_unref);
  g_clear_pointer (&family->events, g_ptr_array_unref);
  for (guint i = 0; i < FO_N_KINDS; i++)
    g_clear_pointer (&family->by_kind[i], g_ptr_array_unref);
  g_clear_pointer (&family->strings, g_string_chunk_free);
  g_free (family);
}

const FoMember *
fo_family_member (const FoFamily *family,
                  guint           index)
{
  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (index < family->members->len, NULL);
  return g_ptr_array_index (family->members, index);
}

int
fo_family_member_index (const FoFamily *family,
                        const char     *id)
{
  for (guint i = 0; i < family->members->len; i++)
    if (g_str_equal (((FoMember *) g_ptr_array_index (family->members, i))->id, id))
      return (int) i;
  return -1;
}

static char *
dup_string (FoJsonReader *reader,
            JsonObject   *object,
            const char   *key,
            gboolean      required)
{
  return g_strdup (fo_json_string (reader, object, key, required));
}

static FoMember *
read_member (FoJsonReader *reader,
             JsonObject   *object,
             guint         index)
{
  static const char *const keys[] = {
    "id", "name", "dob", "role", "sex", "upn", "person_ref", "household_from", "household_to",
    NULL
  };
  FoMember *member = g_new0 (FoMember, 1);

  member->index = index;
  if (!fo_json_check_keys (reader, object, keys))
    return member;
  member->id = dup_string (reader, object, "id", TRUE);
  member->name = dup_string (reader, object, "name", TRUE);
  fo_json_day (reader, object, "dob", TRUE, &member->dob);
  if (fo_json_require (reader, object, "role"))
    member->role = fo_json_enum (reader, object, "role", fo_role_names, FO_ROLE_OTHER);
  member->sex = dup_string (reader, object, "sex", FALSE);
  member->upn = dup_string (reader, object, "upn", FALSE);
  member->person_ref = dup_string (reader, object, "person_ref", FALSE);
  fo_json_day (reader, object, "household_from", FALSE, &member->household_from);
  fo_json_day (reader, object, "household_to", FALSE, &member->household_to);
  if (member->household_from && member->household_to &&
      member->household_to < member->household_from)
    fo_json_fail (reader, "household_to", _("ends before household_from"));
  return member;
}

static void
read_statement (FoJsonReader *reader,
                JsonObject   *object,
                FoEvent      *event)
{
  event->indicator = dup_string (reader, object, "indicator", FALSE);
  event->outcome = dup_string (reader, object, "outcome", FALSE);
  event->author = dup_string (reader, object, "author", FALSE);
  event->author_role = dup_string (reader, object, "author_role", TRUE);
  event->approved_by = dup_string (reader, object, "approved_by", FALSE);
  event->approver_role = dup_string (reader, object, "approver_role", FALSE);
  fo_json_day (reader, object, "approved_on", FALSE, &event->approved_on);
  fo_json_day (reader, object, "covers_from", FALSE, &event->covers_from);
  fo_json_day (reader, object, "covers_to", FALSE, &event->covers_to);
  event->tool = dup_string (reader, object, "tool", FALSE);
  event->text = dup_string (reader, object, "text", FALSE);
  if (event->approver_role != NULL && event->approved_on == 0)
    fo_json_fail (reader, "approved_on", _("an approval needs its date"));
  if (event->covers_from && event->covers_to && event->covers_to < event->covers_from)
    fo_json_fail (reader, "covers_to", _("ends before covers_from"));
}

static void
read_star_scores (FoJsonReader *reader,
                  JsonObject   *object,
                  FoEvent      *event)
{
  JsonObject *scores = fo_json_object (reader, object, "scores", TRUE);
  gsize mark;

  if (scores == NULL)
    return;
  mark = fo_json_push_key (reader, "scores");
  if (fo_json_check_keys (reader, scores, fo_star_area_names))
    {
      for (guint area = 0; area < FO_STAR_AREAS; area++)
        {
          gint64 value = 0;

          if (fo_json_int (reader, scores, fo_star_area_names[area], TRUE, 1, 10, &value))
            event->scores[area] = (gint8) value;
        }
    }
  fo_json_pop (reader, mark);
  event->taken_by = dup_string (reader, object, "taken_by", FALSE);
  if (event->taken_by != NULL && !g_str_equal (event->taken_by, "joint") &&
      !g_str_equal (event->taken_by, "worker"))
    fo_json_fail (reader, "taken_by", _("expected “joint” or “worker”"));
}

static FoEvent *
read_event (FoJsonReader *reader,
            JsonObject   *object,
            FoFamily     *family)
{
  const char *keys[32] = { "id", "kind", "member", "source", "note", NULL };
  guint n_keys = 5;
  FoEvent *event = g_new0 (FoEvent, 1);
  const char *kind_name, *member_id;
  guint fields;
  int kind;

  event->member = -1;
  event->level = FO_LEVEL_UNSET;
  event->id = dup_string (reader, object, "id", TRUE);
  kind_name = fo_json_string (reader, object, "kind", TRUE);
  if (kind_name == NULL)
    return event;
  kind = fo_kind_from_name (kind_name);
  if (kind < 0)
    {
      g_autofree char *list = g_strjoinv (", ", (char **) fo_kind_names);

      fo_json_fail (reader, "kind", _("unknown event kind “%s” (expected one of: %s)"),
                    kind_name, list);
      return event;
    }
  event->kind = kind;
  fields = kind_fields[kind];

#define ALLOW(key) (keys[n_keys++] = (key))
  if (fo_kind_is_spell (kind))
    {
      ALLOW ("start");
      ALLOW ("end");
    }
  else
    ALLOW ("date");
  if (fields & F_TYPE) ALLOW ("type");
  if (fields & F_DAYS) ALLOW ("days");
  if (fields & F_HOURS) ALLOW ("hours");
  if (fields & F_END_REASON) ALLOW ("end_reason");
  if (fields & F_SESSIONS)
    {
      ALLOW ("term");
      ALLOW ("possible");
      ALLOW ("attended");
      ALLOW ("unauthorised");
    }
  if (fields & F_HOURS_PW) ALLOW ("hours_per_week");
  if (fields & F_LEVEL) ALLOW ("level");
  if (fields & F_SCORE) ALLOW ("score");
  if (fields & F_STAR)
    {
      ALLOW ("scores");
      ALLOW ("taken_by");
    }
  if (fields & (F_STATEMENT | F_IDENTIFIED))
    {
      ALLOW ("indicator");
      ALLOW ("author");
      ALLOW ("author_role");
    }
  if (fields & F_STATEMENT)
    {
      static const char *const statement_keys[] = {
        "outcome", "approved_by", "approver_role", "approved_on", "covers_from", "covers_to",
        "tool", "text", NULL
      };
      for (guint i = 0; statement_keys[i] != NULL; i++)
        ALLOW (statement_keys[i]);
    }
#undef ALLOW
  keys[n_keys] = NULL;
  g_assert (n_keys < G_N_ELEMENTS (keys));
  if (!fo_json_check_keys (reader, object, keys))
    return event;

  member_id = fo_json_string (reader, object, "member", FALSE);
  if (member_id != NULL)
    {
      event->member = fo_family_member_index (family, member_id);
      if (event->member < 0)
        fo_json_fail (reader, "member", _("no member has the id “%s”"), member_id);
    }

  if (fo_kind_is_spell (kind))
    {
      fo_json_day (reader, object, "start", TRUE, &event->start);
      fo_json_day (reader, object, "end", kind == FO_KIND_ATTENDANCE, &event->end);
      if (event->end != 0 && event->end < event->start)
        fo_json_fail (reader, "end", _("ends before it starts"));
    }
  else
    fo_json_day (reader, object, "date", TRUE, &event->start);

  event->type = dup_string (reader, object, "type",
                            kind == FO_KIND_ASSESSMENT || kind == FO_KIND_EVIDENCE);
  event->end_reason = dup_string (reader, object, "end_reason", FALSE);
  if (fo_json_number (reader, object, "days", FALSE, &event->days) && event->days < 0)
    fo_json_fail (reader, "days", _("must not be negative"));
  if (fo_json_number (reader, object, "hours", FALSE, &event->hours) && event->hours < 0)
    fo_json_fail (reader, "hours", _("must not be negative"));
  if (fo_json_number (reader, object, "hours_per_week", FALSE, &event->hours_per_week) &&
      (event->hours_per_week < 0 || event->hours_per_week > 168))
    fo_json_fail (reader, "hours_per_week", _("must be between 0 and 168"));
  fo_json_number (reader, object, "score", kind == FO_KIND_ASSESSMENT, &event->score);

  if (kind == FO_KIND_ATTENDANCE)
    {
      event->term = dup_string (reader, object, "term", FALSE);
      fo_json_int (reader, object, "possible", TRUE, 1, 10000, &event->possible);
      fo_json_int (reader, object, "attended", TRUE, 0, 10000, &event->attended);
      fo_json_int (reader, object, "unauthorised", FALSE, 0, 10000, &event->unauthorised);
      if (!fo_json_failed (reader) && event->attended > event->possible)
        fo_json_fail (reader, "attended", _("more sessions attended (%lld) than possible (%lld)"),
                      (long long) event->attended, (long long) event->possible);
      if (!fo_json_failed (reader) && event->unauthorised > event->possible - event->attended)
        fo_json_fail (reader, "unauthorised",
                      _("more unauthorised absences than absences in the term"));
    }
  if (fields & F_LEVEL)
    event->level = fo_json_enum (reader, object, "level", fo_level_names, FO_LEVEL_UNSET);
  if (kind == FO_KIND_STAR_READING)
    read_star_scores (reader, object, event);
  if (fields & (F_STATEMENT | F_IDENTIFIED))
    {
      if (kind == FO_KIND_IDENTIFIED)
        {
          event->indicator = dup_string (reader, object, "indicator", TRUE);
          event->author = dup_string (reader, object, "author", FALSE);
          event->author_role = dup_string (reader, object, "author_role", TRUE);
        }
      else
        read_statement (reader, object, event);
    }
  event->source = dup_string (reader, object, "source", FALSE);
  event->note = dup_string (reader, object, "note", FALSE);
  return event;
}

/* Events are in date order, and on one date in id order: the same family gives the same
 * order whether it comes from a file or from the store. */
static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const FoEvent *x = *(FoEvent **) a;
  const FoEvent *y = *(FoEvent **) b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

FoFamily *
fo_family_load_node (const char *file,
                     JsonNode   *root,
                     GError    **error)
{
  static const char *const keys[] = {
    "format", "reference", "name", "key_worker", "plan", "entry_date", "closure_date",
    "closure_reason", "members", "events", NULL
  };
  g_autoptr(FoFamily) family = fo_family_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  FoJsonReader reader;
  JsonObject *object;
  JsonArray *members, *events;
  gint64 format = 0;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (root != NULL, NULL);

  fo_json_reader_init (&reader, file, FO_ERROR_INVALID_FAMILY);

  object = fo_json_as_object (&reader, root, _("a family"));
  if (object == NULL || !fo_json_check_keys (&reader, object, keys))
    goto out;

  fo_json_int (&reader, object, "format", TRUE, 1, 1, &format);
  family->reference = dup_string (&reader, object, "reference", TRUE);
  family->name = dup_string (&reader, object, "name", FALSE);
  family->key_worker = dup_string (&reader, object, "key_worker", FALSE);
  family->plan = dup_string (&reader, object, "plan", FALSE);
  fo_json_day (&reader, object, "entry_date", TRUE, &family->entry_date);
  fo_json_day (&reader, object, "closure_date", FALSE, &family->closure_date);
  if (family->closure_date && family->closure_date < family->entry_date)
    fo_json_fail (&reader, "closure_date", _("is before the entry date"));
  if (json_object_has_member (object, "closure_reason"))
    {
      int reason = fo_json_enum (&reader, object, "closure_reason", closure_reasons, -1);

      if (reason >= 0)
        family->closure_reason = g_strdup (closure_reasons[reason]);
    }

  members = fo_json_array (&reader, object, "members", TRUE);
  if (members != NULL && json_array_get_length (members) > FO_MAX_MEMBERS)
    fo_json_fail (&reader, "members", _("more than %d members"), FO_MAX_MEMBERS);
  for (guint i = 0; members != NULL && i < json_array_get_length (members) &&
                    !fo_json_failed (&reader); i++)
    {
      gsize mark = fo_json_push_key (&reader, "members");
      FoMember *member;

      fo_json_push_index (&reader, i);
      object = fo_json_as_object (&reader, json_array_get_element (members, i), _("a member"));
      if (object != NULL)
        {
          member = read_member (&reader, object, i);
          g_ptr_array_add (family->members, member);
          if (member->id != NULL && !g_hash_table_add (ids, member->id))
            fo_json_fail (&reader, "id", _("duplicate id “%s”"), member->id);
        }
      fo_json_pop (&reader, mark);
    }

  object = json_node_get_object (root);
  events = fo_json_array (&reader, object, "events", TRUE);
  for (guint i = 0; events != NULL && i < json_array_get_length (events) &&
                    !fo_json_failed (&reader); i++)
    {
      gsize mark = fo_json_push_key (&reader, "events");
      JsonObject *item;

      fo_json_push_index (&reader, i);
      item = fo_json_as_object (&reader, json_array_get_element (events, i), _("an event"));
      if (item != NULL)
        {
          FoEvent *event = read_event (&reader, item, family);

          g_ptr_array_add (family->events, event);
          if (event->id != NULL && !g_hash_table_add (ids, event->id))
            fo_json_fail (&reader, "id", _("duplicate id “%s”"), event->id);
        }
      fo_json_pop (&reader, mark);
    }

out:
  if (fo_json_failed (&reader))
    {
      g_propagate_error (error, g_steal_pointer (&reader.error));
      fo_json_reader_clear (&reader);
      return NULL;
    }
  fo_json_reader_clear (&reader);

  if (!fo_family_finish (family, error))
    return NULL;
  return g_steal_pointer (&family);
}

FoFamily *
fo_family_new (void)
{
  FoFamily *family = g_new0 (FoFamily, 1);

  family->members = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_member_free);
  family->events = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_event_free);
  return family;
}

FoMember *
fo_member_new (void)
{
  return g_new0 (FoMember, 1);
}

FoEvent *
fo_event_new (FoKind kind)
{
  FoEvent *event = g_new0 (FoEvent, 1);

  event->kind = kind;
  event->member = -1;
  event->level = FO_LEVEL_UNSET;
  return event;
}

void
fo_family_take_member (FoFamily *family,
                       FoMember *member)
{
  g_return_if_fail (family != NULL);
  g_return_if_fail (member != NULL);

  member->index = family->members->len;
  g_ptr_array_add (family->members, member);
}

void
fo_family_take_event (FoFamily *family,
                      FoEvent  *event)
{
  g_return_if_fail (family != NULL);
  g_return_if_fail (event != NULL);

  g_ptr_array_add (family->events, event);
}

/**
 * fo_family_finish:
 *
 * Checks what the JSON loader checks for a family built field by field (by the store), and
 * indexes its events for the evaluator. Call once, after the last member and event.
 */
gboolean
fo_family_finish (FoFamily  *family,
                  GError   **error)
{
  g_return_val_if_fail (family != NULL, FALSE);

  if (family->reference == NULL || family->entry_date == 0)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_FAMILY,
                   _("a family needs a reference and an entry date"));
      return FALSE;
    }
  if (family->members->len > FO_MAX_MEMBERS)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_FAMILY, _("%s: more than %d members"),
                   family->reference, FO_MAX_MEMBERS);
      return FALSE;
    }
  for (guint i = 0; i < family->events->len; i++)
    {
      FoEvent *event = g_ptr_array_index (family->events, i);

      if (event->id == NULL || event->start == 0 || event->member >= (int) family->members->len ||
          (event->end != 0 && event->end < event->start))
        {
          g_set_error (error, FO_ERROR, FO_ERROR_INVALID_FAMILY,
                       _("%s: event %s is incomplete or inconsistent"), family->reference,
                       event->id ? event->id : "?");
          return FALSE;
        }
    }

  g_ptr_array_sort (family->events, compare_events);
  {
    /* Most families have records of only a few kinds: the others share one empty list,
     * which nothing ever adds to. */
    static GPtrArray *empty;
    guint counts[FO_N_KINDS] = { 0 };

    if (g_once_init_enter (&empty))
      g_once_init_leave (&empty, g_ptr_array_new ());
    for (guint i = 0; i < family->events->len; i++)
      counts[((FoEvent *) g_ptr_array_index (family->events, i))->kind]++;
    for (guint k = 0; k < FO_N_KINDS; k++)
      {
        g_clear_pointer (&family->by_kind[k], g_ptr_array_unref);
        family->by_kind[k] = counts[k] > 0 ? g_ptr_array_sized_new (counts[k])
                                           : g_ptr_array_ref (empty);
      }
  }
  memset (family->member_kinds, 0, sizeof family->member_kinds);
  family->family_kinds = 0;
  for (guint i = 0; i < family->events->len; i++)
    {
      FoEvent *event = g_ptr_array_index (family->events, i);

      g_ptr_array_add (family->by_kind[event->kind], event);
      if (event->member >= 0)
        family->member_kinds[event->member] |= 1u << event->kind;
      else
        family->family_kinds |= 1u << event->kind;
    }
  return TRUE;
}

/**
 * fo_type_in:
 *
 * Whether @type is one of @types, ignoring ASCII case; any type is when @types is %NULL.
 */
gboolean
fo_type_in (const char  *type,
            char *const *types)
{
  if (types == NULL)
    return TRUE;
  if (type == NULL)
    return FALSE;
  for (guint i = 0; types[i] != NULL; i++)
    if (g_ascii_strcasecmp (types[i], type) == 0)
      return TRUE;
  return FALSE;
}

/* The last day a record covers: its date, or its end, or @open_until while it runs on. */
FoDay
fo_event_last_day (const FoEvent *event,
                   FoDay          open_until)
{
  if (!fo_kind_is_spell (event->kind))
    return event->start;
  return event->end != 0 ? event->end : open_until;
}

/* Members with no value are left out, so that a round trip gives the same text. */
void
fo_json_builder_set_string (JsonBuilder *builder,
                            const char  *key,
                            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
}

void
fo_json_builder_set_day (JsonBuilder *builder,
                         const char  *key,
                         FoDay        day)
{
  char buf[11];

  if (day == 0)
    return;
  fo_day_format_buf (day, buf);
  fo_json_builder_set_string (builder, key, buf);
}



static void
set_number (JsonBuilder *builder,
            const char  *key,
            double       value,
            gboolean     always)
{
  if (value == 0 && !always)
    return;
  json_builder_set_member_name (builder, key);
  /* Whole numbers stay integers, so that a round trip gives the same text. Only those a gint64
   * holds: converting a larger one (1e300 days) is undefined. */
  if (value >= (double) G_MININT64 && value < (double) G_MAXINT64 &&
      value == (double) (gint64) value)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

/**
 * fo_family_to_json:
 *
 * The family in the family JSON format, with every field the loader reads: loading the
 * result gives the same family. Returns: (transfer full)
 */
JsonNode *
fo_family_to_json (const FoFamily *family)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (family != NULL, NULL);

  json_builder_begin_object (builder);
  set_number (builder, "format", 1, TRUE);
  fo_json_builder_set_string (builder, "reference", family->reference);
  fo_json_builder_set_string (builder, "name", family->name);
  fo_json_builder_set_string (builder, "key_worker", family->key_worker);
  fo_json_builder_set_string (builder, "plan", family->plan);
  fo_json_builder_set_day (builder, "entry_date", family->entry_date);
  fo_json_builder_set_day (builder, "closure_date", family->closure_date);
  fo_json_builder_set_string (builder, "closure_reason", family->closure_reason);

  json_builder_set_member_name (builder, "members");
  json_builder_begin_array (builder);
  for (guint i = 0; i < family->members->len; i++)
    {
      const FoMember *member = g_ptr_array_index (family->members, i);

      json_builder_begin_object (builder);
      fo_json_builder_set_string (builder, "id", member->id);
      fo_json_builder_set_string (builder, "name", member->name);
      fo_json_builder_set_day (builder, "dob", member->dob);
      fo_json_builder_set_string (builder, "role", fo_role_names[member->role]);
      fo_json_builder_set_string (builder, "sex", member->sex);
      fo_json_builder_set_string (builder, "upn", member->upn);
      fo_json_builder_set_string (builder, "person_ref", member->person_ref);
      fo_json_builder_set_day (builder, "household_from", member->household_from);
      fo_json_builder_set_day (builder, "household_to", member->household_to);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (family->events, i);

      json_builder_begin_object (builder);
      fo_json_builder_set_string (builder, "id", event->id);
      fo_json_builder_set_string (builder, "kind", fo_kind_names[event->kind]);
      if (event->member >= 0)
        fo_json_builder_set_string (builder, "member", fo_family_member (family,
                                                                         event->member)->id);
      if (fo_kind_is_spell (event->kind))
        {
          fo_json_builder_set_day (builder, "start", event->start);
          fo_json_builder_set_day (builder, "end", event->end);
        }
      else
        fo_json_builder_set_day (builder, "date", event->start);
      fo_json_builder_set_string (builder, "type", event->type);
      fo_json_builder_set_string (builder, "end_reason", event->end_reason);
      fo_json_builder_set_string (builder, "term", event->term);
      set_number (builder, "days", event->days, FALSE);
      set_number (builder, "hours", event->hours, FALSE);
      set_number (builder, "hours_per_week", event->hours_per_week, FALSE);
      if (event->kind == FO_KIND_ASSESSMENT)
        set_number (builder, "score", event->score, TRUE);
      if (event->kind == FO_KIND_ATTENDANCE)
        {
          set_number (builder, "possible", event->possible, TRUE);
          set_number (builder, "attended", event->attended, TRUE);
          set_number (builder, "unauthorised", event->unauthorised, FALSE);
        }
      if (event->kind == FO_KIND_STAR_READING)
        {
          json_builder_set_member_name (builder, "scores");
          json_builder_begin_object (builder);
          for (guint area = 0; area < FO_STAR_AREAS; area++)
            set_number (builder, fo_star_area_names[area], event->scores[area], TRUE);
          json_builder_end_object (builder);
          fo_json_builder_set_string (builder, "taken_by", event->taken_by);
        }
      if (event->level != FO_LEVEL_UNSET)
        fo_json_builder_set_string (builder, "level", fo_level_names[event->level]);
      fo_json_builder_set_string (builder, "indicator", event->indicator);
      fo_json_builder_set_string (builder, "outcome", event->outcome);
      fo_json_builder_set_string (builder, "author", event->author);
      fo_json_builder_set_string (builder, "author_role", event->author_role);
      fo_json_builder_set_string (builder, "approved_by", event->approved_by);
      fo_json_builder_set_string (builder, "approver_role", event->approver_role);
      fo_json_builder_set_day (builder, "approved_on", event->approved_on);
      fo_json_builder_set_day (builder, "covers_from", event->covers_from);
      fo_json_builder_set_day (builder, "covers_to", event->covers_to);
      fo_json_builder_set_string (builder, "tool", event->tool);
      fo_json_builder_set_string (builder, "text", event->text);
      fo_json_builder_set_string (builder, "source", event->source);
      fo_json_builder_set_string (builder, "note", event->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

FoFamily *
fo_family_load_file (const char *file,
                     GError    **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (file != NULL, NULL);

  root = fo_json_load_file (file, error);
  if (root == NULL)
    return NULL;
  return fo_family_load_node (file, root, error);
}
