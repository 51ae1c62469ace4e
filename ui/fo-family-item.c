/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-family-item"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fo-family-item.h"

/* One row of the family list. It owns the family's summary and the text that search
 * matches, folded once here so that filtering 20,000 rows per keystroke is a plain scan. */
struct _FoFamilyItem
{
  GObject          parent_instance;
  FoFamilySummary *summary;
  char            *search_key;
};

enum {
  PROP_0,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FoFamilyItem, fo_family_item, G_TYPE_OBJECT)

/**
 * fo_search_key_normalize:
 *
 * Returns: (transfer full): @text folded for matching: case and accents do not matter, so
 *   "zoe" finds "Zoë"
 */
char *
fo_search_key_normalize (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *key;

  if (text == NULL)
    return g_strdup ("");
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (decomposed, -1);
  key = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

static void
fo_family_item_finalize (GObject *object)
{
  FoFamilyItem *self = FO_FAMILY_ITEM (object);

  g_clear_pointer (&self->summary, fo_family_summary_free);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (fo_family_item_parent_class)->finalize (object);
}

static void
fo_family_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FoFamilyItem *self = FO_FAMILY_ITEM (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_pointer (value, self->summary);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fo_family_item_class_init (FoFamilyItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fo_family_item_finalize;
  object_class->get_property = fo_family_item_get_property;

  properties[PROP_SUMMARY] =
    g_param_spec_pointer ("summary", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fo_family_item_init (FoFamilyItem *self)
{
}

static void
take_summary (FoFamilyItem    *self,
              FoFamilySummary *summary)
{
  g_autofree char *text = NULL;

  g_clear_pointer (&self->summary, fo_family_summary_free);
  self->summary = summary;
  text = g_strjoin (" ", summary->reference, summary->name ? summary->name : "",
                    summary->member_names ? summary->member_names : "", NULL);
  g_free (self->search_key);
  self->search_key = fo_search_key_normalize (text);
}

/**
 * fo_family_item_new:
 * @summary: (transfer full): the family
 */
FoFamilyItem *
fo_family_item_new (FoFamilySummary *summary)
{
  FoFamilyItem *self;

  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (FO_TYPE_FAMILY_ITEM, NULL);
  take_summary (self, summary);
  return self;
}

const FoFamilySummary *
fo_family_item_get_summary (FoFamilyItem *self)
{
  g_return_val_if_fail (FO_IS_FAMILY_ITEM (self), NULL);
  return self->summary;
}

/**
 * fo_family_item_set_summary:
 * @summary: (transfer full): the family's new summary
 */
void
fo_family_item_set_summary (FoFamilyItem    *self,
                            FoFamilySummary *summary)
{
  g_return_if_fail (FO_IS_FAMILY_ITEM (self));
  g_return_if_fail (summary != NULL);

  take_summary (self, summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

const char *
fo_family_item_get_search_key (FoFamilyItem *self)
{
  g_return_val_if_fail (FO_IS_FAMILY_ITEM (self), NULL);
  return self->search_key;
}

/**
 * fo_family_item_dup_claim_text:
 *
 * Returns: (transfer full) (nullable): where the family's claim stands, in a few words
 */
char *
fo_family_item_dup_claim_text (FoFamilyItem *self,
                               FoDay         as_of)
{
  const FoFamilySummary *summary;
  g_autofree char *date = NULL;

  g_return_val_if_fail (FO_IS_FAMILY_ITEM (self), NULL);

  summary = self->summary;
  switch (summary->claim_stage)
    {
    case FO_CLAIM_STAGE_CLAIMED:
      return g_strdup (_("Claimed"));
    case FO_CLAIM_STAGE_AWAITING_SIGN_OFF:
      return g_strdup (_("Awaiting sign-off"));
    case FO_CLAIM_STAGE_DRAFT:
      return g_strdup (_("Claim drafted"));
    case FO_CLAIM_STAGE_REJECTED:
      return g_strdup (_("Claim rejected"));
    case FO_CLAIM_STAGE_NONE:
    default:
      break;
    }
  if (!summary->evaluated)
    return NULL;
  if (summary->claimable)
    return g_strdup (_("Claimable"));
  if (summary->projected_claimable != 0)
    {
      date = fo_day_to_display (summary->projected_claimable);
      /* TRANSLATORS: the date the family becomes claimable if progress holds */
      return g_strdup_printf (_("From %s"), date);
    }
  if (!summary->eligible)
    return g_strdup (_("Not eligible"));
  return NULL;
}

/* Whether the family's plan identified (or met) any of the issues, by issue id. */
gboolean
fo_family_item_has_issue (FoFamilyItem *self,
                          GHashTable   *issue_ids)
{
  const char *issues;

  g_return_val_if_fail (FO_IS_FAMILY_ITEM (self), FALSE);

  issues = self->summary->issues;
  if (issues == NULL)
    return FALSE;
  /* "CBC-1=met CBC-2=identified CBC-3=not_identified" */
  for (const char *p = issues; *p != '\0';)
    {
      const char *equals = strchr (p, '=');
      const char *end = strchr (p, ' ');
      g_autofree char *id = NULL;

      if (equals == NULL)
        break;
      if (end == NULL)
        end = p + strlen (p);
      id = g_strndup (p, equals - p);
      if (!g_str_has_prefix (equals + 1, "not") && g_hash_table_contains (issue_ids, id))
        return TRUE;
      p = *end == ' ' ? end + 1 : end;
    }
  return FALSE;
}
