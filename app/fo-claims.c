/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-claims"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fo-claims.h"
#include "fo-explain.h"
#include "fo-store-private.h"

/*
 * Payment-by-results claims: draft → submitted → approved or rejected → returned, with
 * withdrawal and reversal (docs/claims.md). Every rule is checked here first, so that a person
 * gets a clear reason, and again by the schema's triggers, so that a raw write cannot break
 * it. Each change is one transaction with one audit record holding the claim before and after.
 */

G_DEFINE_QUARK (fo-claim-error-quark, fo_claim_error)

const char *const fo_user_role_names[] = { "coordinator", "supervisor", "auditor", NULL };

const char *const fo_claim_state_names[] = {
  "draft", "submitted", "approved", "rejected", "returned", "withdrawn", "reversed", NULL
};

#define SNAPSHOT_FORMAT 1

const char *
fo_claim_state_label (FoClaimState state)
{
  static const char *const labels[] = {
    N_("Draft"), N_("Submitted"), N_("Approved"), N_("Rejected"), N_("Included in a return"),
    N_("Withdrawn"), N_("Reversed"),
  };

  g_return_val_if_fail (state < FO_N_CLAIM_STATES, NULL);
  return _(labels[state]);
}

static int
name_index (const char *const *names,
            const char        *name)
{
  for (int i = 0; name != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

void
fo_user_free (FoUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_strfreev (user->plan_roles);
  g_free (user);
}

static void
agreement_free (FoClaimAgreement *agreement)
{
  g_free (agreement->plan_role);
  g_free (agreement->agreed_by);
  g_free (agreement->agreed_at);
  g_free (agreement);
}

void
fo_claim_free (FoClaim *claim)
{
  if (claim == NULL)
    return;
  g_free (claim->reference);
  g_free (claim->plan);
  g_free (claim->route);
  g_free (claim->prepared_by);
  g_free (claim->prepared_at);
  g_free (claim->submitted_by);
  g_free (claim->submitted_at);
  g_free (claim->decided_by);
  g_free (claim->decided_at);
  g_free (claim->decision_reason);
  g_free (claim->returned_by);
  g_free (claim->returned_at);
  g_free (claim->return_ref);
  g_free (claim->ended_by);
  g_free (claim->ended_at);
  g_free (claim->end_reason);
  g_free (claim->plan_sha256);
  g_free (claim->plan_version);
  g_free (claim->family_sha256);
  g_free (claim->snapshot_sha256);
  g_strfreev (claim->needs_agreement_of);
  g_clear_pointer (&claim->agreements, g_ptr_array_unref);
  g_free (claim->snapshot);
  g_free (claim);
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

static FoDay
local_day (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return fo_day_from_dmy (g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                          g_date_time_get_year (local));
}

/* The local day of a stored timestamp: a return's period is in the council's own days. */
static FoDay
day_of (const char *timestamp)
{
  g_autoptr(GDateTime) time = NULL;

  if (timestamp == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (timestamp, NULL);
  return time != NULL ? local_day (time) : 0;
}

static FoDay
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return local_day (now);
}

static char *
strv_to_json (char *const *strings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    json_builder_add_string_value (builder, strings[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char **
strv_from_json (const char *text)
{
  g_autoptr(GStrvBuilder) strings = g_strv_builder_new ();
  g_autoptr(JsonNode) root = text != NULL ? json_from_string (text, NULL) : NULL;

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *value = json_array_get_string_element (array, i);

          if (value != NULL)
            g_strv_builder_add (strings, value);
        }
    }
  return g_strv_builder_end (strings);
}

/* Users */

static FoUser *
user_lookup (FoStore     *store,
             const char  *name,
             GError     **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store, "SELECT role FROM users WHERE name = ?", error);
  g_autoptr(FoUser) user = NULL;
  g_autoptr(GStrvBuilder) roles = g_strv_builder_new ();
  const char *role;

  if (stmt == NULL)
    return NULL;
  _fo_store_bind_text (stmt, 1, name);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_FOUND,
                   _("nobody called “%s” is a user of this database (add them with “users add”)"),
                   name);
      return NULL;
    }
  user = g_new0 (FoUser, 1);
  user->name = g_strdup (name);
  role = (const char *) sqlite3_column_text (stmt, 0);
  /* The table's CHECK allows only the three names. */
  user->role = name_index (fo_user_role_names, role);
  g_assert (user->role <= FO_USER_AUDITOR);
  sqlite3_reset (stmt);

  stmt = _fo_store_statement (store, "SELECT plan_role FROM user_plan_roles WHERE user_name = ? "
                                     "ORDER BY plan_role", error);
  if (stmt == NULL)
    return NULL;
  _fo_store_bind_text (stmt, 1, name);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (roles, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  user->plan_roles = g_strv_builder_end (roles);
  return g_steal_pointer (&user);
}

FoUser *
fo_users_get (FoStore     *store,
              const char  *name,
              GError     **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return user_lookup (store, name, error);
}

/**
 * fo_users_list:
 *
 * Returns: (transfer full) (element-type FoUser): every user, by name
 */
GPtrArray *
fo_users_list (FoStore  *store,
               GError  **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_user_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = _fo_store_statement (store, "SELECT name FROM users ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, _fo_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  for (guint i = 0; i < names->len; i++)
    {
      FoUser *user = user_lookup (store, g_ptr_array_index (names, i), error);

      if (user == NULL)
        return NULL;
      g_ptr_array_add (users, user);
    }
  return g_steal_pointer (&users);
}

static gint64
count_supervisors (FoStore  *store,
                   GError  **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store, "SELECT count(*) FROM users "
                                                   "WHERE role = 'supervisor'", error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static gboolean
valid_name (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return FALSE;
  return *text != '\0' && !g_ascii_isspace (*text) && !g_ascii_isspace (text[strlen (text) - 1]);
}

static char *
user_json (const FoUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  fo_json_builder_set_string (builder, "name", user->name);
  fo_json_builder_set_string (builder, "role", fo_user_role_names[user->role]);
  json_builder_set_member_name (builder, "plan_roles");
  json_builder_begin_array (builder);
  for (guint i = 0; user->plan_roles[i] != NULL; i++)
    json_builder_add_string_value (builder, user->plan_roles[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * fo_users_add:
 * @actor: (nullable): who adds the user; a supervisor, once the database has one
 * @plan_roles: (nullable) (array zero-terminated=1): the plan's roles the person holds, whose
 *   agreement some claims need (business_manager, head_of_eh_ifs)
 *
 * Adds a person who works with the data. Until the database has a supervisor anyone may add
 * users, so that a new database can be set up; after that only a supervisor adds them, or
 * anyone could make up a second name to approve their own claim.
 */
gboolean
fo_users_add (FoStore            *store,
              const char         *actor,
              const char         *name,
              FoUserRole          role,
              const char *const  *plan_roles,
              GError            **error)
{
  g_autoptr(FoUser) added = NULL;
  g_autofree char *after = NULL;
  sqlite3_stmt *stmt;
  gint64 supervisors;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (role <= FO_USER_AUDITOR, FALSE);

  if (!valid_name (name))
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("a user's name must be text without leading or trailing spaces"));
      return FALSE;
    }
  for (guint i = 0; plan_roles != NULL && plan_roles[i] != NULL; i++)
    if (!valid_name (plan_roles[i]) || strchr (plan_roles[i], ' ') != NULL)
      {
        g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                     _("“%s” is not a plan role: use the plan's role name, such as "
                       "business_manager"), plan_roles[i]);
        return FALSE;
      }

  if (!fo_store_begin (store, error))
    return FALSE;
  supervisors = count_supervisors (store, error);
  if (supervisors < 0)
    goto fail;
  if (supervisors > 0)
    {
      g_autoptr(FoUser) by = NULL;

      if (actor == NULL)
        {
          g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                       _("only a supervisor can add users: say who you are"));
          goto fail;
        }
      by = user_lookup (store, actor, error);
      if (by == NULL)
        goto fail;
      if (by->role != FO_USER_SUPERVISOR)
        {
          g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                       _("only a supervisor can add users, and %s is a %s"), actor,
                       fo_user_role_names[by->role]);
          goto fail;
        }
    }
  added = user_lookup (store, name, NULL);
  if (added != NULL)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_EXISTS,
                   _("there is already a user called “%s”"), name);
      goto fail;
    }

  stmt = _fo_store_statement (store, "INSERT INTO users (name, role) VALUES (?, ?)", error);
  if (stmt == NULL)
    goto fail;
  _fo_store_bind_text (stmt, 1, name);
  _fo_store_bind_text (stmt, 2, fo_user_role_names[role]);
  if (!_fo_store_step_done (store, stmt, _("adding a user"), error))
    goto fail;
  for (guint i = 0; plan_roles != NULL && plan_roles[i] != NULL; i++)
    {
      stmt = _fo_store_statement (store, "INSERT OR IGNORE INTO user_plan_roles "
                                         "(user_name, plan_role) VALUES (?, ?)", error);
      if (stmt == NULL)
        goto fail;
      _fo_store_bind_text (stmt, 1, name);
      _fo_store_bind_text (stmt, 2, plan_roles[i]);
      if (!_fo_store_step_done (store, stmt, _("adding a user"), error))
        goto fail;
    }
  added = user_lookup (store, name, error);
  if (added == NULL)
    goto fail;
  after = user_json (added);
  if (!fo_store_audit (store, actor != NULL ? actor : g_get_user_name (), "add", "user", name,
                       NULL, after, error))
    goto fail;
  return fo_store_commit (store, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

/* Claims: reading */

#define CLAIM_SELECT \
  "SELECT c.id, f.reference, c.plan, c.route, c.state, c.claim_date, c.prepared_by, " \
  "c.prepared_at, c.submission, c.submitted_by, c.submitted_at, c.decided_by, c.decided_at, " \
  "c.decision_reason, c.returned_by, c.returned_at, c.return_ref, c.ended_by, c.ended_at, " \
  "c.end_reason, c.row_version, s.plan_sha256, s.plan_version, s.family_sha256, " \
  "s.family_data_version, s.snapshot_sha256, s.needs_agreement_of " \
  "FROM claims c JOIN families f ON f.id = c.family_id " \
  "LEFT JOIN claim_snapshots s ON s.claim_id = c.id AND s.submission = c.submission "

static FoClaim *
claim_from_row (sqlite3_stmt *stmt)
{
  FoClaim *claim = g_new0 (FoClaim, 1);
  int col = 0, state;

  claim->id = sqlite3_column_int64 (stmt, col++);
  claim->reference = _fo_store_column_text (stmt, col++);
  claim->plan = _fo_store_column_text (stmt, col++);
  claim->route = _fo_store_column_text (stmt, col++);
  state = name_index (fo_claim_state_names, (const char *) sqlite3_column_text (stmt, col++));
  claim->state = MAX (state, 0);
  claim->claim_date = _fo_store_column_day (stmt, col++);
  claim->prepared_by = _fo_store_column_text (stmt, col++);
  claim->prepared_at = _fo_store_column_text (stmt, col++);
  claim->submission = sqlite3_column_int (stmt, col++);
  claim->submitted_by = _fo_store_column_text (stmt, col++);
  claim->submitted_at = _fo_store_column_text (stmt, col++);
  claim->decided_by = _fo_store_column_text (stmt, col++);
  claim->decided_at = _fo_store_column_text (stmt, col++);
  claim->decision_reason = _fo_store_column_text (stmt, col++);
  claim->returned_by = _fo_store_column_text (stmt, col++);
  claim->returned_at = _fo_store_column_text (stmt, col++);
  claim->return_ref = _fo_store_column_text (stmt, col++);
  claim->ended_by = _fo_store_column_text (stmt, col++);
  claim->ended_at = _fo_store_column_text (stmt, col++);
  claim->end_reason = _fo_store_column_text (stmt, col++);
  claim->row_version = sqlite3_column_int64 (stmt, col++);
  claim->plan_sha256 = _fo_store_column_text (stmt, col++);
  claim->plan_version = _fo_store_column_text (stmt, col++);
  claim->family_sha256 = _fo_store_column_text (stmt, col++);
  claim->family_data_version = sqlite3_column_int64 (stmt, col++);
  claim->snapshot_sha256 = _fo_store_column_text (stmt, col++);
  claim->needs_agreement_of = strv_from_json ((const char *) sqlite3_column_text (stmt, col++));
  return claim;
}

static gboolean
load_agreements (FoStore  *store,
                 FoClaim  *claim,
                 GError  **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store, "SELECT plan_role, agreed_by, agreed_at "
                                                   "FROM claim_agreements WHERE claim_id = ? "
                                                   "AND submission = ? ORDER BY plan_role",
                                            error);

  if (stmt == NULL)
    return FALSE;
  claim->agreements = g_ptr_array_new_with_free_func ((GDestroyNotify) agreement_free);
  sqlite3_bind_int64 (stmt, 1, claim->id);
  sqlite3_bind_int (stmt, 2, claim->submission);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FoClaimAgreement *agreement = g_new0 (FoClaimAgreement, 1);

      agreement->plan_role = _fo_store_column_text (stmt, 0);
      agreement->agreed_by = _fo_store_column_text (stmt, 1);
      agreement->agreed_at = _fo_store_column_text (stmt, 2);
      g_ptr_array_add (claim->agreements, agreement);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * fo_claims_get:
 * @with_snapshot: also read the present submission's snapshot JSON
 *
 * Returns: (transfer full): the claim, or %NULL with %FO_CLAIM_ERROR_NOT_FOUND
 */
FoClaim *
fo_claims_get (FoStore   *store,
               gint64     id,
               gboolean   with_snapshot,
               GError   **error)
{
  g_autoptr(FoClaim) claim = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = _fo_store_statement (store, CLAIM_SELECT "WHERE c.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    claim = claim_from_row (stmt);
  sqlite3_reset (stmt);
  if (claim == NULL)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_FOUND,
                   _("there is no claim %lld"), (long long) id);
      return NULL;
    }
  if (!load_agreements (store, claim, error))
    return NULL;
  if (with_snapshot && claim->submission > 0)
    {
      stmt = _fo_store_statement (store, "SELECT snapshot FROM claim_snapshots "
                                         "WHERE claim_id = ? AND submission = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, claim->id);
      sqlite3_bind_int (stmt, 2, claim->submission);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        claim->snapshot = _fo_store_column_text (stmt, 0);
      sqlite3_reset (stmt);
    }
  return g_steal_pointer (&claim);
}

static gboolean
has_agreement (const FoClaim *claim,
               const char    *plan_role)
{
  for (guint i = 0; claim->agreements != NULL && i < claim->agreements->len; i++)
    {
      const FoClaimAgreement *agreement = g_ptr_array_index (claim->agreements, i);

      if (g_str_equal (agreement->plan_role, plan_role))
        return TRUE;
    }
  return FALSE;
}

/* Whether @user can act on the submitted @claim: decide it, or give an agreement it lacks. */
static gboolean
can_act_on (const FoUser  *user,
            const FoClaim *claim)
{
  if (claim->state != FO_CLAIM_SUBMITTED || user->role == FO_USER_AUDITOR ||
      g_strcmp0 (user->name, claim->prepared_by) == 0 ||
      g_strcmp0 (user->name, claim->submitted_by) == 0)
    return FALSE;
  if (user->role == FO_USER_SUPERVISOR)
    return TRUE;
  for (guint i = 0; claim->needs_agreement_of[i] != NULL; i++)
    if (g_strv_contains ((const char *const *) user->plan_roles, claim->needs_agreement_of[i]) &&
        !has_agreement (claim, claim->needs_agreement_of[i]))
      return TRUE;
  return FALSE;
}

/**
 * fo_claims_list:
 * @filter: (nullable): which claims; %NULL for all
 *
 * With @filter->queue_for, the sign-off queue of that user: the submitted claims they may
 * approve or reject (a supervisor who neither prepared nor submitted them) or that wait for an
 * agreement of a plan role they hold, oldest submission first. Otherwise by claim id.
 *
 * Returns: (transfer full) (element-type FoClaim): the claims, without snapshots
 */
GPtrArray *
fo_claims_list (FoStore              *store,
                const FoClaimFilter  *filter,
                GError              **error)
{
  static const FoClaimFilter all = FO_CLAIM_FILTER_INIT;
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_claim_free);
  g_autoptr(FoUser) user = NULL;
  sqlite3_stmt *stmt;
  int state;

  g_return_val_if_fail (store != NULL, NULL);

  if (filter == NULL)
    filter = &all;
  state = filter->state;
  if (filter->queue_for != NULL)
    {
      user = user_lookup (store, filter->queue_for, error);
      if (user == NULL)
        return NULL;
      state = FO_CLAIM_SUBMITTED;
    }
  stmt = _fo_store_statement (store, CLAIM_SELECT "WHERE (?1 IS NULL OR c.state = ?1) "
                                     "AND (?2 IS NULL OR f.reference = ?2) "
                                     "ORDER BY CASE WHEN ?3 THEN c.submitted_at END, c.id",
                              error);
  if (stmt == NULL)
    return NULL;
  _fo_store_bind_text (stmt, 1, state >= 0 && state < FO_N_CLAIM_STATES
                                ? fo_claim_state_names[state] : NULL);
  _fo_store_bind_text (stmt, 2, filter->reference);
  sqlite3_bind_int (stmt, 3, user != NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (claims, claim_from_row (stmt));
  sqlite3_reset (stmt);

  for (guint i = 0; i < claims->len;)
    {
      FoClaim *claim = g_ptr_array_index (claims, i);

      if (!load_agreements (store, claim, error))
        return NULL;
      if (user != NULL && !can_act_on (user, claim))
        g_ptr_array_remove_index (claims, i);
      else
        i++;
    }
  return g_steal_pointer (&claims);
}

/**
 * fo_claims_count:
 *
 * How many claims fo_claims_list () would return: the sign-off queue's badge.
 * Returns: the count, or -1 on error
 */
gint64
fo_claims_count (FoStore              *store,
                 const FoClaimFilter  *filter,
                 GError              **error)
{
  g_autoptr(GPtrArray) claims = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (store != NULL, -1);

  /* The queue depends on each claim's agreements and the user's roles: judged in C. */
  if (filter != NULL && filter->queue_for != NULL)
    {
      claims = fo_claims_list (store, filter, error);
      return claims != NULL ? (gint64) claims->len : -1;
    }
  stmt = _fo_store_statement (store, "SELECT count(*) FROM claims c "
                                     "JOIN families f ON f.id = c.family_id "
                                     "WHERE (?1 IS NULL OR c.state = ?1) "
                                     "AND (?2 IS NULL OR f.reference = ?2)", error);
  if (stmt == NULL)
    return -1;
  if (filter != NULL && filter->state >= 0 && filter->state < FO_N_CLAIM_STATES)
    _fo_store_bind_text (stmt, 1, fo_claim_state_names[filter->state]);
  _fo_store_bind_text (stmt, 2, filter != NULL ? filter->reference : NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

/* The claim as the audit log records it: every field but the snapshot, which is named by its
 * hash (the snapshot itself is frozen in claim_snapshots). */
static JsonNode *
claim_node (const FoClaim *claim,
            JsonNode      *check)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, claim->id);
  fo_json_builder_set_string (builder, "family", claim->reference);
  fo_json_builder_set_string (builder, "plan", claim->plan);
  fo_json_builder_set_string (builder, "route", claim->route);
  fo_json_builder_set_string (builder, "state", fo_claim_state_names[claim->state]);
  fo_json_builder_set_day (builder, "claim_date", claim->claim_date);
  fo_json_builder_set_string (builder, "prepared_by", claim->prepared_by);
  fo_json_builder_set_string (builder, "prepared_at", claim->prepared_at);
  json_builder_set_member_name (builder, "submission");
  json_builder_add_int_value (builder, claim->submission);
  fo_json_builder_set_string (builder, "submitted_by", claim->submitted_by);
  fo_json_builder_set_string (builder, "submitted_at", claim->submitted_at);
  fo_json_builder_set_string (builder, "snapshot_sha256", claim->snapshot_sha256);
  fo_json_builder_set_string (builder, "decided_by", claim->decided_by);
  fo_json_builder_set_string (builder, "decided_at", claim->decided_at);
  fo_json_builder_set_string (builder, "decision_reason", claim->decision_reason);
  fo_json_builder_set_string (builder, "returned_by", claim->returned_by);
  fo_json_builder_set_string (builder, "returned_at", claim->returned_at);
  fo_json_builder_set_string (builder, "return_ref", claim->return_ref);
  fo_json_builder_set_string (builder, "ended_by", claim->ended_by);
  fo_json_builder_set_string (builder, "ended_at", claim->ended_at);
  fo_json_builder_set_string (builder, "end_reason", claim->end_reason);
  json_builder_set_member_name (builder, "agreements");
  json_builder_begin_array (builder);
  for (guint i = 0; claim->agreements != NULL && i < claim->agreements->len; i++)
    {
      const FoClaimAgreement *agreement = g_ptr_array_index (claim->agreements, i);

      json_builder_begin_object (builder);
      fo_json_builder_set_string (builder, "plan_role", agreement->plan_role);
      fo_json_builder_set_string (builder, "agreed_by", agreement->agreed_by);
      fo_json_builder_set_string (builder, "agreed_at", agreement->agreed_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (check != NULL)
    {
      json_builder_set_member_name (builder, "check");
      json_builder_add_value (builder, json_node_copy (check));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
claim_json (const FoClaim *claim,
            JsonNode      *check)
{
  g_autoptr(JsonNode) root = claim_node (claim, check);

  return json_to_string (root, FALSE);
}

/**
 * fo_claim_to_json:
 *
 * The claim as the audit log records it (docs/claims.md), without its snapshot.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
fo_claim_to_json (const FoClaim *claim)
{
  g_return_val_if_fail (claim != NULL, NULL);
  return claim_node (claim, NULL);
}

/* Claims: changing */

/* The person making a change, who must exist and not be an auditor. */
static FoUser *
changer (FoStore     *store,
         const char  *actor,
         GError     **error)
{
  g_autoptr(FoUser) user = NULL;

  if (actor == NULL)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                   _("say who you are: claims record who changed them"));
      return NULL;
    }
  user = user_lookup (store, actor, error);
  if (user == NULL)
    return NULL;
  if (user->role == FO_USER_AUDITOR)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                   _("%s is an auditor: auditors can read everything and change nothing"),
                   actor);
      return NULL;
    }
  return g_steal_pointer (&user);
}

static gboolean
require_supervisor (const FoUser  *user,
                    const char    *doing,
                    GError       **error)
{
  if (user->role == FO_USER_SUPERVISOR)
    return TRUE;
  /* TRANSLATORS: the second %s is "approve", "reject" or another verb. */
  g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
               _("only a supervisor can %s claims, and %s is a %s"), doing, user->name,
               fo_user_role_names[user->role]);
  return FALSE;
}

static gboolean
require_state (const FoClaim  *claim,
               guint           allowed,
               const char     *doing,
               GError        **error)
{
  g_autofree char *state = NULL;

  if (allowed & (1u << claim->state))
    return TRUE;
  state = g_utf8_strdown (fo_claim_state_label (claim->state), -1);
  g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE,
               _("claim %lld is %s: it cannot be %s"), (long long) claim->id, state,
               doing);
  return FALSE;
}

/* Four eyes: whoever prepared or submitted a claim does not decide it or agree to it. */
static gboolean
require_other_eyes (const FoClaim  *claim,
                    const FoUser   *user,
                    const char     *doing,
                    GError        **error)
{
  const char *did = NULL;

  if (g_strcmp0 (claim->prepared_by, user->name) == 0)
    did = _("prepared");
  else if (g_strcmp0 (claim->submitted_by, user->name) == 0)
    did = _("submitted");
  if (did == NULL)
    return TRUE;
  /* TRANSLATORS: "Ann Example prepared this claim, so someone else must approve it" */
  g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_FOUR_EYES,
               _("%s %s this claim, so someone else must %s it"), user->name, did, doing);
  return FALSE;
}

/* One family judged as of a claim date, with what the judgement rests on. */
typedef struct
{
  FoFamily           *family;
  gint64              data_version;
  char               *family_sha256;
  const FoPlan       *plan;
  FoEvaluation       *evaluation;
  const FoRouteResult *route;
} Judgement;

static void
judgement_clear (Judgement *judgement)
{
  g_clear_pointer (&judgement->evaluation, fo_evaluation_free);
  g_clear_pointer (&judgement->family, fo_family_free);
  g_clear_pointer (&judgement->family_sha256, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Judgement, judgement_clear)

static char *
route_ids (const FoPlan *plan)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint r = 0; r < plan->routes->len; r++)
    g_string_append_printf (ids, "%s%s", r ? ", " : "",
                            ((const FoRoute *) g_ptr_array_index (plan->routes, r))->id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
join_reasons (GPtrArray *reasons)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; reasons != NULL && i < reasons->len; i++)
    g_string_append_printf (text, "%s%s", i ? "; " : "", (char *) g_ptr_array_index (reasons, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Loads the family, evaluates it as of @claim_date by its plan, and finds @route (or, when
 * NULL, the route the evaluator chose). Fails unless a claim by that route holds. */
static gboolean
judge (FoStore     *store,
       FoPlanSet   *plans,
       const char  *reference,
       const char  *plan_id,
       const char  *route,
       FoDay        claim_date,
       Judgement   *out,
       GError     **error)
{
  char day[11];

  fo_day_format_buf (claim_date, day);
  out->family = fo_store_load_family (store, reference, &out->data_version, error);
  if (out->family == NULL)
    return FALSE;
  if (plan_id != NULL && g_strcmp0 (out->family->plan, plan_id) != 0)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_CHANGED,
                   _("family %s now follows plan “%s”, but the claim was prepared under “%s”: "
                     "withdraw it and prepare another"), reference,
                   out->family->plan ? out->family->plan : "", plan_id);
      return FALSE;
    }
  out->plan = out->family->plan != NULL ? fo_plan_set_lookup (plans, out->family->plan) : NULL;
  if (out->plan == NULL)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("family %s follows plan “%s”, which is not loaded"), reference,
                   out->family->plan ? out->family->plan : "");
      return FALSE;
    }
  out->family_sha256 = _fo_store_family_sha256 (out->family);
  out->evaluation = fo_evaluate (out->plan, out->family, claim_date, FO_EVALUATE_EXPLAIN);

  if (route == NULL)
    {
      if (!out->evaluation->claimable)
        {
          g_autofree char *why = join_reasons (out->evaluation->blockers);

          g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE,
                       _("family %s is not claimable as of %s%s%s"), reference, day,
                       *why ? ": " : "", why);
          return FALSE;
        }
      route = out->evaluation->route->id;
    }
  for (guint r = 0; r < out->evaluation->routes->len; r++)
    {
      const FoRouteResult *result = g_ptr_array_index (out->evaluation->routes, r);

      if (g_str_equal (result->route->id, route))
        out->route = result;
    }
  if (out->route == NULL)
    {
      g_autofree char *ids = route_ids (out->plan);

      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("plan “%s” has no claim route “%s” (its routes: %s)"), out->plan->id, route,
                   ids);
      return FALSE;
    }
  if (!out->route->claimable)
    {
      g_autofree char *why = join_reasons (out->route->blockers);

      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE,
                   _("family %s is not claimable by route “%s” as of %s%s%s"), reference,
                   route, day, *why ? ": " : "", why);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_claim_date (FoDay    claim_date,
                  GError **error)
{
  if (claim_date == 0)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID, _("a claim needs a date"));
      return FALSE;
    }
  /* A later date would judge the claim on records not yet written. */
  if (claim_date > today ())
    {
      char day[11];

      fo_day_format_buf (claim_date, day);
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("the claim date %s is in the future"), day);
      return FALSE;
    }
  return TRUE;
}

/* The family's live claim, if any: a family is claimed for once. */
static gboolean
check_no_live_claim (FoStore     *store,
                     const char  *reference,
                     gint64       except,
                     GError     **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store, "SELECT c.id, c.state FROM claims c "
                                                   "JOIN families f ON f.id = c.family_id "
                                                   "WHERE f.reference = ? AND c.id <> ? AND "
                                                   "c.state NOT IN ('withdrawn', 'reversed')",
                                            error);
  gboolean ok = TRUE;

  if (stmt == NULL)
    return FALSE;
  _fo_store_bind_text (stmt, 1, reference);
  sqlite3_bind_int64 (stmt, 2, except);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_EXISTS,
                   _("family %s already has claim %lld (%s): a family is "
                     "claimed for once, unless that claim is withdrawn or reversed"),
                   reference, sqlite3_column_int64 (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1));
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
audit_change (FoStore     *store,
              const char  *actor,
              const char  *action,
              gint64       id,
              const char  *before,
              JsonNode    *check,
              GError     **error)
{
  g_autoptr(FoClaim) claim = fo_claims_get (store, id, FALSE, error);
  g_autofree char *after = NULL;
  g_autofree char *entity_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  if (claim == NULL)
    return FALSE;
  after = claim_json (claim, check);
  return fo_store_audit (store, actor, action, "claim", entity_id, before, after, error);
}

/**
 * fo_claims_prepare:
 * @route: (nullable): the plan's route id; %NULL for the route the evaluator finds
 * @claim_date: the day the claim is judged as of; not after today
 *
 * Prepares a draft claim for a family, which the evaluator must find claimable by @route as
 * of @claim_date. A coordinator or a supervisor prepares claims.
 *
 * Returns: the new claim's id, or 0 on error
 */
gint64
fo_claims_prepare (FoStore     *store,
                   FoPlanSet   *plans,
                   const char  *actor,
                   const char  *reference,
                   const char  *route,
                   FoDay        claim_date,
                   GError     **error)
{
  g_auto(Judgement) judgement = { 0 };
  g_autoptr(FoUser) user = NULL;
  g_autofree char *now = now_text ();
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (plans != NULL, 0);
  g_return_val_if_fail (reference != NULL, 0);

  if (!check_claim_date (claim_date, error) || !fo_store_begin (store, error))
    return 0;
  if ((user = changer (store, actor, error)) == NULL ||
      !check_no_live_claim (store, reference, 0, error) ||
      !judge (store, plans, reference, NULL, route, claim_date, &judgement, error))
    goto fail;

  stmt = _fo_store_statement (store, "INSERT INTO claims (family_id, plan, route, state, "
                                     "claim_date, prepared_by, prepared_at, changed_by) "
                                     "SELECT id, ?, ?, 'draft', ?, ?, ?, ? FROM families "
                                     "WHERE reference = ?", error);
  if (stmt == NULL)
    goto fail;
  _fo_store_bind_text (stmt, 1, judgement.plan->id);
  _fo_store_bind_text (stmt, 2, judgement.route->route->id);
  _fo_store_bind_day (stmt, 3, claim_date);
  _fo_store_bind_text (stmt, 4, actor);
  _fo_store_bind_text (stmt, 5, now);
  _fo_store_bind_text (stmt, 6, actor);
  _fo_store_bind_text (stmt, 7, reference);
  if (!_fo_store_step_done (store, stmt, _("preparing a claim"), error))
    goto fail;
  id = sqlite3_last_insert_rowid (fo_store_get_db (store));
  if (!audit_change (store, actor, "prepare", id, NULL, NULL, error) ||
      !fo_store_commit (store, error))
    goto fail;
  return id;

fail:
  fo_store_rollback (store);
  return 0;
}

/* Writes every field a transition may change, as the person @actor. */
static gboolean
write_claim (FoStore        *store,
             const FoClaim  *claim,
             const char     *actor,
             GError        **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store,
    "UPDATE claims SET route = ?, state = ?, claim_date = ?, submission = ?, submitted_by = ?, "
    "submitted_at = ?, decided_by = ?, decided_at = ?, decision_reason = ?, returned_by = ?, "
    "returned_at = ?, return_ref = ?, ended_by = ?, ended_at = ?, end_reason = ?, "
    "changed_by = ?, row_version = row_version + 1 WHERE id = ? AND row_version = ?", error);
  int col = 1;

  if (stmt == NULL)
    return FALSE;
  _fo_store_bind_text (stmt, col++, claim->route);
  _fo_store_bind_text (stmt, col++, fo_claim_state_names[claim->state]);
  _fo_store_bind_day (stmt, col++, claim->claim_date);
  sqlite3_bind_int (stmt, col++, claim->submission);
  _fo_store_bind_text (stmt, col++, claim->submitted_by);
  _fo_store_bind_text (stmt, col++, claim->submitted_at);
  _fo_store_bind_text (stmt, col++, claim->decided_by);
  _fo_store_bind_text (stmt, col++, claim->decided_at);
  _fo_store_bind_text (stmt, col++, claim->decision_reason);
  _fo_store_bind_text (stmt, col++, claim->returned_by);
  _fo_store_bind_text (stmt, col++, claim->returned_at);
  _fo_store_bind_text (stmt, col++, claim->return_ref);
  _fo_store_bind_text (stmt, col++, claim->ended_by);
  _fo_store_bind_text (stmt, col++, claim->ended_at);
  _fo_store_bind_text (stmt, col++, claim->end_reason);
  _fo_store_bind_text (stmt, col++, actor);
  sqlite3_bind_int64 (stmt, col++, claim->id);
  sqlite3_bind_int64 (stmt, col++, claim->row_version);
  if (!_fo_store_step_done (store, stmt, _("changing a claim"), error))
    return FALSE;
  if (sqlite3_changes (fo_store_get_db (store)) != 1)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE,
                   _("claim %lld was changed by someone else meanwhile"), (long long) claim->id);
      return FALSE;
    }
  return TRUE;
}

static void
set_text (char       **field,
          const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* The start of every change to an existing claim: the transaction, the person (who must be
 * able to change things) and the claim as it was, for the audit record. */
static gboolean
begin_change (FoStore     *store,
              const char  *actor,
              gint64       id,
              FoUser     **out_user,
              FoClaim    **out_claim,
              char       **out_before,
              GError     **error)
{
  if (!fo_store_begin (store, error))
    return FALSE;
  if ((*out_user = changer (store, actor, error)) == NULL ||
      (*out_claim = fo_claims_get (store, id, FALSE, error)) == NULL)
    {
      fo_store_rollback (store);
      return FALSE;
    }
  *out_before = claim_json (*out_claim, NULL);
  return TRUE;
}

static gboolean
finish_change (FoStore     *store,
               const char  *actor,
               const char  *action,
               FoClaim     *claim,
               const char  *before,
               JsonNode    *check,
               GError     **error)
{
  if (!write_claim (store, claim, actor, error) ||
      !audit_change (store, actor, action, claim->id, before, check, error) ||
      !fo_store_commit (store, error))
    {
      fo_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

#define STATE_BIT(s) (1u << (s))

/**
 * fo_claims_edit:
 * @route: (nullable): the new route, or %NULL to keep it
 * @claim_date: the new claim date, or 0 to keep it
 *
 * Changes a draft or rejected claim, which becomes a draft again. Only the person who prepared
 * it edits it, and the evaluator must support the claim as changed.
 */
gboolean
fo_claims_edit (FoStore     *store,
                FoPlanSet   *plans,
                const char  *actor,
                gint64       id,
                const char  *route,
                FoDay        claim_date,
                GError     **error)
{
  g_auto(Judgement) judgement = { 0 };
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autofree char *before = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plans != NULL, FALSE);

  if (claim_date != 0 && !check_claim_date (claim_date, error))
    return FALSE;
  if (!begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_state (claim, STATE_BIT (FO_CLAIM_DRAFT) | STATE_BIT (FO_CLAIM_REJECTED),
                      _("edited"), error))
    goto fail;
  if (!g_str_equal (claim->prepared_by, user->name))
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                   _("only %s, who prepared this claim, can edit it"), claim->prepared_by);
      goto fail;
    }
  if (route != NULL)
    set_text (&claim->route, route);
  if (claim_date != 0)
    claim->claim_date = claim_date;
  if (!judge (store, plans, claim->reference, claim->plan, claim->route, claim->claim_date,
              &judgement, error))
    goto fail;
  claim->state = FO_CLAIM_DRAFT;
  return finish_change (store, actor, "edit", claim, before, NULL, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

static char *
build_snapshot (const FoClaim    *claim,
                const Judgement  *judgement,
                char *const      *roles,
                const char       *taken_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *plan_file = g_path_get_basename (judgement->plan->file);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, SNAPSHOT_FORMAT);

  json_builder_set_member_name (builder, "claim");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, claim->id);
  json_builder_set_member_name (builder, "submission");
  json_builder_add_int_value (builder, claim->submission);
  fo_json_builder_set_string (builder, "route", claim->route);
  fo_json_builder_set_day (builder, "claim_date", claim->claim_date);
  fo_json_builder_set_string (builder, "prepared_by", claim->prepared_by);
  fo_json_builder_set_string (builder, "submitted_by", claim->submitted_by);
  fo_json_builder_set_string (builder, "taken_at", taken_at);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "plan");
  json_builder_begin_object (builder);
  fo_json_builder_set_string (builder, "id", judgement->plan->id);
  fo_json_builder_set_string (builder, "version", judgement->plan->version);
  fo_json_builder_set_string (builder, "file", plan_file);
  fo_json_builder_set_string (builder, "content_sha256", judgement->plan->content_hash);
  json_builder_end_object (builder);

  /* The data itself, so that an auditor can judge the claim again years later; its hash is
   * of this exact canonical text. */
  json_builder_set_member_name (builder, "family");
  json_builder_begin_object (builder);
  fo_json_builder_set_string (builder, "reference", judgement->family->reference);
  json_builder_set_member_name (builder, "data_version");
  json_builder_add_int_value (builder, judgement->data_version);
  fo_json_builder_set_string (builder, "sha256", judgement->family_sha256);
  json_builder_set_member_name (builder, "data");
  json_builder_add_value (builder, fo_family_to_json (judgement->family));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "needs_agreement_of");
  json_builder_begin_array (builder);
  for (guint i = 0; roles[i] != NULL; i++)
    json_builder_add_string_value (builder, roles[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "evaluation");
  json_builder_add_value (builder, fo_evaluation_to_json (judgement->evaluation));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * fo_claims_submit:
 *
 * Submits a draft or rejected claim for sign-off, freezing what it is judged on: the plan
 * file's hash and version, the family's data and its hash, and the full evaluation with its
 * explanations. The evaluator must still support the claim. A coordinator or a supervisor
 * submits; whoever does cannot then approve it.
 */
gboolean
fo_claims_submit (FoStore     *store,
                  FoPlanSet   *plans,
                  const char  *actor,
                  gint64       id,
                  GError     **error)
{
  g_auto(Judgement) judgement = { 0 };
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = now_text ();
  g_autofree char *snapshot = NULL;
  g_autofree char *snapshot_sha256 = NULL;
  g_autofree char *roles_json = NULL;
  g_auto(GStrv) roles = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plans != NULL, FALSE);

  if (!begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_state (claim, STATE_BIT (FO_CLAIM_DRAFT) | STATE_BIT (FO_CLAIM_REJECTED),
                      _("submitted"), error) ||
      !judge (store, plans, claim->reference, claim->plan, claim->route, claim->claim_date,
              &judgement, error))
    goto fail;

  claim->state = FO_CLAIM_SUBMITTED;
  claim->submission++;
  set_text (&claim->submitted_by, actor);
  set_text (&claim->submitted_at, now);
  /* The row shows the present submission; earlier decisions stay in the audit log. */
  g_clear_pointer (&claim->decided_by, g_free);
  g_clear_pointer (&claim->decided_at, g_free);
  g_clear_pointer (&claim->decision_reason, g_free);

  roles = fo_evaluation_agreements (judgement.evaluation, judgement.route);
  roles_json = strv_to_json (roles);
  snapshot = build_snapshot (claim, &judgement, roles, now);
  snapshot_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, snapshot, -1);
  stmt = _fo_store_statement (store, "INSERT INTO claim_snapshots (claim_id, submission, "
                                     "taken_at, plan_sha256, plan_version, family_sha256, "
                                     "family_data_version, needs_agreement_of, snapshot, "
                                     "snapshot_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, claim->id);
  sqlite3_bind_int (stmt, 2, claim->submission);
  _fo_store_bind_text (stmt, 3, now);
  _fo_store_bind_text (stmt, 4, judgement.plan->content_hash);
  _fo_store_bind_text (stmt, 5, judgement.plan->version);
  _fo_store_bind_text (stmt, 6, judgement.family_sha256);
  sqlite3_bind_int64 (stmt, 7, judgement.data_version);
  _fo_store_bind_text (stmt, 8, roles_json);
  _fo_store_bind_text (stmt, 9, snapshot);
  _fo_store_bind_text (stmt, 10, snapshot_sha256);
  if (!_fo_store_step_done (store, stmt, _("freezing a claim's snapshot"), error))
    goto fail;
  return finish_change (store, actor, "submit", claim, before, NULL, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

/**
 * fo_claims_agree:
 * @plan_role: the plan's role the person agrees as, such as business_manager
 *
 * Records the agreement a submitted claim needs from a role the plan names (see
 * fo_evaluation_agreements ()). The person must hold that role and must not have prepared or
 * submitted the claim.
 */
gboolean
fo_claims_agree (FoStore     *store,
                 const char  *actor,
                 gint64       id,
                 const char  *plan_role,
                 GError     **error)
{
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = now_text ();
  g_autofree char *entity_id = NULL;
  g_autofree char *after = NULL;
  g_autoptr(FoClaim) agreed = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plan_role != NULL, FALSE);

  if (!begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_state (claim, STATE_BIT (FO_CLAIM_SUBMITTED), _("agreed to"), error) ||
      !require_other_eyes (claim, user, _("agree to"), error))
    goto fail;
  if (!g_strv_contains ((const char *const *) claim->needs_agreement_of, plan_role))
    {
      g_autofree char *needed = g_strjoinv (", ", claim->needs_agreement_of);

      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("claim %lld does not need the agreement of %s (it needs: "
                     "%s)"), (long long) id, plan_role, *needed ? needed : _("nobody's"));
      goto fail;
    }
  if (!g_strv_contains ((const char *const *) user->plan_roles, plan_role))
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                   _("%s does not hold the role %s, so cannot agree as one"), user->name,
                   plan_role);
      goto fail;
    }
  if (has_agreement (claim, plan_role))
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_EXISTS,
                   _("claim %lld already has the agreement of a %s"), (long long) id,
                   plan_role);
      goto fail;
    }
  stmt = _fo_store_statement (store, "INSERT INTO claim_agreements (claim_id, submission, "
                                     "plan_role, agreed_by, agreed_at) VALUES (?, ?, ?, ?, ?)",
                              error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, claim->submission);
  _fo_store_bind_text (stmt, 3, plan_role);
  _fo_store_bind_text (stmt, 4, actor);
  _fo_store_bind_text (stmt, 5, now);
  if (!_fo_store_step_done (store, stmt, _("recording an agreement"), error))
    goto fail;
  agreed = fo_claims_get (store, id, FALSE, error);
  if (agreed == NULL)
    goto fail;
  after = claim_json (agreed, NULL);
  entity_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  if (!fo_store_audit (store, actor, "agree", "claim", entity_id, before, after, error) ||
      !fo_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  fo_store_rollback (store);
  return FALSE;
}

/**
 * fo_claims_approve:
 *
 * Approves a submitted claim. Only a supervisor who neither prepared nor submitted it
 * approves. The family is judged again, as of the claim date: approval is refused, with every
 * reason, if the family's data or the plan file changed since submission, if the claim no
 * longer holds, or if an agreement the plan asks for is missing.
 */
gboolean
fo_claims_approve (FoStore     *store,
                   FoPlanSet   *plans,
                   const char  *actor,
                   gint64       id,
                   GError     **error)
{
  g_auto(Judgement) judgement = { 0 };
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) check = json_builder_new ();
  g_autoptr(JsonNode) check_node = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = now_text ();
  FoClaimError code = FO_CLAIM_ERROR_NEEDS_AGREEMENT;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plans != NULL, FALSE);

  if (!begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_supervisor (user, _("approve"), error) ||
      !require_state (claim, STATE_BIT (FO_CLAIM_SUBMITTED), _("approved"), error) ||
      !require_other_eyes (claim, user, _("approve"), error))
    goto fail;

  /* Every reason at once, so that the supervisor can send the claim back with all of them. */
  if (!judge (store, plans, claim->reference, claim->plan, claim->route, claim->claim_date,
              &judgement, &local_error))
    {
      if (judgement.evaluation == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      code = local_error->code;
      g_ptr_array_add (reasons, g_strdup (local_error->message));
    }
  if (judgement.family_sha256 != NULL &&
      g_strcmp0 (judgement.family_sha256, claim->family_sha256) != 0)
    {
      code = FO_CLAIM_ERROR_CHANGED;
      g_ptr_array_insert (reasons, 0,
                          g_strdup_printf (_("family %s's data changed since the claim was "
                                             "submitted (data version %lld"
                                             " then, %lld now)"),
                                           claim->reference, (long long) claim->family_data_version,
                                           (long long) judgement.data_version));
    }
  if (judgement.plan != NULL && g_strcmp0 (judgement.plan->content_hash, claim->plan_sha256) != 0)
    {
      code = FO_CLAIM_ERROR_CHANGED;
      g_ptr_array_insert (reasons, 0,
                          g_strdup_printf (_("the plan file “%s” changed since the claim was "
                                             "submitted"), claim->plan));
    }
  for (guint i = 0; claim->needs_agreement_of[i] != NULL; i++)
    if (!has_agreement (claim, claim->needs_agreement_of[i]))
      g_ptr_array_add (reasons, g_strdup_printf (_("the plan needs the agreement of a %s, and "
                                                   "none is recorded"),
                                                 claim->needs_agreement_of[i]));
  if (reasons->len > 0)
    {
      g_autofree char *why = join_reasons (reasons);

      g_set_error (error, FO_CLAIM_ERROR, code, _("claim %lld cannot be "
                                                  "approved: %s"), (long long) id, why);
      goto fail;
    }

  json_builder_begin_object (check);
  fo_json_builder_set_string (check, "family_sha256", judgement.family_sha256);
  fo_json_builder_set_string (check, "plan_sha256", judgement.plan->content_hash);
  fo_json_builder_set_day (check, "claimable_from", judgement.route->claimable_from);
  json_builder_end_object (check);
  check_node = json_builder_get_root (check);

  claim->state = FO_CLAIM_APPROVED;
  set_text (&claim->decided_by, actor);
  set_text (&claim->decided_at, now);
  return finish_change (store, actor, "approve", claim, before, check_node, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

static gboolean
require_reason (const char  *reason,
                const char  *what,
                GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  if (*stripped != '\0')
    return TRUE;
  g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID, _("a %s needs a reason"), what);
  return FALSE;
}

/**
 * fo_claims_reject:
 * @reason: why, for the coordinator who prepared it
 *
 * Sends a submitted claim back to its coordinator, who may edit and resubmit it, or withdraw
 * it. Only a supervisor who neither prepared nor submitted it rejects it.
 */
gboolean
fo_claims_reject (FoStore     *store,
                  const char  *actor,
                  gint64       id,
                  const char  *reason,
                  GError     **error)
{
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = now_text ();

  g_return_val_if_fail (store != NULL, FALSE);

  if (!require_reason (reason, _("rejection"), error) ||
      !begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_supervisor (user, _("reject"), error) ||
      !require_state (claim, STATE_BIT (FO_CLAIM_SUBMITTED), _("rejected"), error) ||
      !require_other_eyes (claim, user, _("reject"), error))
    {
      fo_store_rollback (store);
      return FALSE;
    }
  claim->state = FO_CLAIM_REJECTED;
  set_text (&claim->decided_by, actor);
  set_text (&claim->decided_at, now);
  set_text (&claim->decision_reason, reason);
  return finish_change (store, actor, "reject", claim, before, NULL, error);
}

/**
 * fo_claims_withdraw:
 * @reason: (nullable): why
 *
 * Withdraws a claim not yet approved. The person who prepared it, or a supervisor, withdraws
 * it; the family can then be claimed for again.
 */
gboolean
fo_claims_withdraw (FoStore     *store,
                    const char  *actor,
                    gint64       id,
                    const char  *reason,
                    GError     **error)
{
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = now_text ();

  g_return_val_if_fail (store != NULL, FALSE);

  if (!begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_state (claim, STATE_BIT (FO_CLAIM_DRAFT) | STATE_BIT (FO_CLAIM_SUBMITTED) |
                             STATE_BIT (FO_CLAIM_REJECTED), _("withdrawn"), error))
    {
      fo_store_rollback (store);
      return FALSE;
    }
  if (!g_str_equal (claim->prepared_by, user->name) && user->role != FO_USER_SUPERVISOR)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION,
                   _("only %s, who prepared this claim, or a supervisor can withdraw it"),
                   claim->prepared_by);
      fo_store_rollback (store);
      return FALSE;
    }
  claim->state = FO_CLAIM_WITHDRAWN;
  set_text (&claim->ended_by, actor);
  set_text (&claim->ended_at, now);
  set_text (&claim->end_reason, reason);
  return finish_change (store, actor, "withdraw", claim, before, NULL, error);
}

/**
 * fo_claims_reverse:
 * @reason: why; kept with the claim and in the audit log
 *
 * An approved claim is never edited: a correction reverses it. A supervisor reverses an
 * approved claim, or one already included in a return, which the next export then lists as a
 * reversal. The family can then be claimed for again.
 */
gboolean
fo_claims_reverse (FoStore     *store,
                   const char  *actor,
                   gint64       id,
                   const char  *reason,
                   GError     **error)
{
  g_autoptr(FoUser) user = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = now_text ();

  g_return_val_if_fail (store != NULL, FALSE);

  if (!require_reason (reason, _("reversal"), error) ||
      !begin_change (store, actor, id, &user, &claim, &before, error))
    return FALSE;
  if (!require_supervisor (user, _("reverse"), error) ||
      !require_state (claim, STATE_BIT (FO_CLAIM_APPROVED) | STATE_BIT (FO_CLAIM_RETURNED),
                      _("reversed"), error))
    {
      fo_store_rollback (store);
      return FALSE;
    }
  claim->state = FO_CLAIM_REVERSED;
  set_text (&claim->ended_by, actor);
  set_text (&claim->ended_at, now);
  set_text (&claim->end_reason, reason);
  return finish_change (store, actor, "reverse", claim, before, NULL, error);
}

/**
 * fo_claims_mark_returned:
 * @ids: (array length=n_ids): approved claims
 * @return_ref: (nullable): the return's own reference, such as "2026-Q3"
 *
 * Records that approved claims were included in a return to the programme: all of them, in
 * one transaction, or none. Only a supervisor does this.
 */
gboolean
fo_claims_mark_returned (FoStore       *store,
                         const char    *actor,
                         const gint64  *ids,
                         guint          n_ids,
                         const char    *return_ref,
                         GError       **error)
{
  g_autoptr(FoUser) user = NULL;
  g_autofree char *now = now_text ();

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!fo_store_begin (store, error))
    return FALSE;
  if ((user = changer (store, actor, error)) == NULL ||
      !require_supervisor (user, _("return"), error))
    goto fail;
  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(FoClaim) claim = fo_claims_get (store, ids[i], FALSE, error);
      g_autofree char *before = NULL;

      if (claim == NULL ||
          !require_state (claim, STATE_BIT (FO_CLAIM_APPROVED), _("included in a return"),
                          error))
        goto fail;
      before = claim_json (claim, NULL);
      claim->state = FO_CLAIM_RETURNED;
      set_text (&claim->returned_by, actor);
      set_text (&claim->returned_at, now);
      set_text (&claim->return_ref, return_ref);
      if (!write_claim (store, claim, actor, error) ||
          !audit_change (store, actor, "return", claim->id, before, NULL, error))
        goto fail;
    }
  return fo_store_commit (store, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

/* Claims for a return and for internal audit */

static gboolean
in_period (FoDay day,
           FoDay from,
           FoDay to)
{
  return day != 0 && (from == 0 || day >= from) && (to == 0 || day <= to);
}

/**
 * fo_claims_approved_between:
 * @from: the first day, or 0 for no limit
 * @to: the last day, or 0 for no limit
 *
 * The claims approved on a day from @from to @to (the council's local days) that still stand:
 * approved, or approved and included in a return. By claim id.
 *
 * Returns: (transfer full) (element-type FoClaim): the claims, without snapshots
 */
GPtrArray *
fo_claims_approved_between (FoStore  *store,
                            FoDay     from,
                            FoDay     to,
                            GError  **error)
{
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_claim_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = _fo_store_statement (store, CLAIM_SELECT "WHERE c.state IN ('approved', 'returned') "
                                     "ORDER BY c.id", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FoClaim *claim = claim_from_row (stmt);

      if (in_period (day_of (claim->decided_at), from, to))
        g_ptr_array_add (claims, claim);
      else
        fo_claim_free (claim);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < claims->len; i++)
    if (!load_agreements (store, g_ptr_array_index (claims, i), error))
      return NULL;
  return g_steal_pointer (&claims);
}

static int
compare_claim_ids (gconstpointer a,
                   gconstpointer b)
{
  const FoClaim *x = *(FoClaim **) a, *y = *(FoClaim **) b;

  return (x->id > y->id) - (x->id < y->id);
}

/**
 * fo_claims_sample:
 * @percent: how much of the approved claims to draw, above 0 and at most 100
 * @seed: the same seed over the same approved claims draws the same sample
 * @from: (nullable): as for fo_claims_approved_between ()
 *
 * A random sample of the claims approved in a period, for internal audit: the number drawn is
 * @percent of them, rounded up. The claims are taken in id order and drawn with a GRand
 * seeded with @seed, so an auditor can show how the sample was made.
 *
 * Returns: (transfer full) (element-type FoClaim): the sample, by claim id
 */
GPtrArray *
fo_claims_sample (FoStore  *store,
                  double    percent,
                  guint32   seed,
                  FoDay     from,
                  FoDay     to,
                  GError  **error)
{
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(GRand) rand = NULL;
  guint n;

  g_return_val_if_fail (store != NULL, NULL);

  if (!(percent > 0 && percent <= 100))
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("a sample is more than 0%% and at most 100%% of the claims"));
      return NULL;
    }
  claims = fo_claims_approved_between (store, from, to, error);
  if (claims == NULL)
    return NULL;
  n = (guint) MIN (ceil (claims->len * percent / 100 - 1e-9), claims->len);

  /* A partial Fisher–Yates shuffle: the first n places end up a uniform sample. */
  rand = g_rand_new_with_seed (seed);
  for (guint i = 0; i < n; i++)
    {
      guint j = g_rand_int_range (rand, i, claims->len);
      gpointer swap = claims->pdata[i];

      claims->pdata[i] = claims->pdata[j];
      claims->pdata[j] = swap;
    }
  sample = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_claim_free);
  {
    gsize len = 0;
    gpointer *all = g_ptr_array_steal (claims, &len);

    for (gsize i = 0; i < len; i++)
      {
        if (i < n)
          g_ptr_array_add (sample, all[i]);
        else
          fo_claim_free (all[i]);
      }
    g_free (all);
  }
  g_ptr_array_sort (sample, compare_claim_ids);
  return g_steal_pointer (&sample);
}

/* One CSV field. A text field that a spreadsheet would run as a formula gets a leading
 * apostrophe. */
static void
append_csv (GString    *out,
            const char *field,
            gboolean    last)
{
  const char *text = field != NULL ? field : "";

  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    {
      g_autofree char *quoted = g_strconcat ("'", text, NULL);

      append_csv (out, quoted, last);
      return;
    }
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append_c (out, last ? '\n' : ',');
}

static void
append_csv_day (GString *out,
                FoDay    day)
{
  char buf[11] = "";

  if (day != 0)
    fo_day_format_buf (day, buf);
  append_csv (out, buf, FALSE);
}

static char *
claim_snapshot_text (FoStore       *store,
                     const FoClaim *claim,
                     GError       **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store, "SELECT snapshot FROM claim_snapshots "
                                                   "WHERE claim_id = ? AND submission = ?",
                                            error);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, claim->id);
  sqlite3_bind_int (stmt, 2, claim->submission);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = _fo_store_column_text (stmt, 0);
  sqlite3_reset (stmt);
  if (text == NULL)
    g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_FOUND,
                 _("claim %lld has no snapshot"), (long long) claim->id);
  return text;
}

/* One line of the return, from what the claim was judged on: its frozen snapshot. */
static gboolean
append_export_row (GString       *out,
                   FoStore       *store,
                   const FoClaim *claim,
                   gboolean       reversal,
                   GError       **error)
{
  g_autofree char *text = claim_snapshot_text (store, claim, error);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) identified = g_string_new (NULL);
  g_autoptr(GString) progressed = g_string_new (NULL);
  g_autoptr(GString) agreed = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, claim->id);
  JsonObject *evaluation = NULL;
  const char *entry = NULL, *claimable_from = NULL;

  if (text == NULL)
    return FALSE;
  root = json_from_string (text, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    evaluation = json_object_get_object_member (json_node_get_object (root), "evaluation");
  if (evaluation == NULL)
    {
      g_set_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID,
                   _("claim %lld's snapshot cannot be read"), (long long) claim->id);
      return FALSE;
    }
  if (json_object_has_member (evaluation, "issues"))
    {
      JsonArray *issues = json_object_get_array_member (evaluation, "issues");

      for (guint i = 0; i < json_array_get_length (issues); i++)
        {
          JsonObject *issue = json_array_get_object_element (issues, i);
          const char *issue_id = json_object_get_string_member_with_default (issue, "id", "");
          const char *status = json_object_get_string_member_with_default (issue, "status", "");

          if (g_str_equal (status, "not_identified"))
            continue;
          g_string_append_printf (identified, "%s%s", identified->len ? ";" : "", issue_id);
          if (g_str_equal (status, "met"))
            g_string_append_printf (progressed, "%s%s", progressed->len ? ";" : "", issue_id);
        }
    }
  if (json_object_has_member (evaluation, "family"))
    entry = json_object_get_string_member_with_default (
      json_object_get_object_member (evaluation, "family"), "entry_date", NULL);
  if (json_object_has_member (evaluation, "routes"))
    {
      JsonArray *routes = json_object_get_array_member (evaluation, "routes");

      for (guint i = 0; i < json_array_get_length (routes); i++)
        {
          JsonObject *route = json_array_get_object_element (routes, i);

          if (g_strcmp0 (json_object_get_string_member_with_default (route, "id", NULL),
                         claim->route) == 0)
            claimable_from = json_object_get_string_member_with_default (route,
                                                                         "claimable_from",
                                                                         NULL);
        }
    }
  for (guint i = 0; claim->agreements != NULL && i < claim->agreements->len; i++)
    {
      const FoClaimAgreement *agreement = g_ptr_array_index (claim->agreements, i);

      g_string_append_printf (agreed, "%s%s=%s", agreed->len ? ";" : "", agreement->plan_role,
                              agreement->agreed_by);
    }

  append_csv (out, reversal ? "reversal" : "claim", FALSE);
  append_csv (out, id, FALSE);
  append_csv (out, claim->reference, FALSE);
  append_csv (out, claim->plan, FALSE);
  append_csv (out, claim->plan_version, FALSE);
  append_csv (out, claim->route, FALSE);
  append_csv (out, identified->str, FALSE);
  append_csv (out, progressed->str, FALSE);
  append_csv (out, entry, FALSE);
  append_csv (out, claimable_from, FALSE);
  append_csv_day (out, claim->claim_date);
  append_csv_day (out, day_of (claim->submitted_at));
  append_csv_day (out, day_of (claim->decided_at));
  append_csv (out, claim->prepared_by, FALSE);
  append_csv (out, claim->submitted_by, FALSE);
  append_csv (out, claim->decided_by, FALSE);
  append_csv (out, agreed->str, FALSE);
  append_csv_day (out, day_of (claim->returned_at));
  append_csv (out, claim->return_ref, FALSE);
  append_csv_day (out, reversal ? day_of (claim->ended_at) : 0);
  append_csv (out, claim->snapshot_sha256, TRUE);
  return TRUE;
}

/**
 * fo_claims_export_csv:
 * @from: the first day of the period
 * @to: the last day of the period
 * @out_returnable: (nullable) (element-type gint64): filled with the ids of the listed claims
 *   not yet included in a return, for fo_claims_mark_returned ()
 *
 * The claims for a return, as CSV with a header (docs/claims.md): one `claim` line for each
 * claim approved in the period that still stands, and one `reversal` line for each claim
 * reversed in the period after it had been included in an earlier return.
 *
 * Returns: (transfer full): the CSV text
 */
char *
fo_claims_export_csv (FoStore  *store,
                      FoDay     from,
                      FoDay     to,
                      GArray   *out_returnable,
                      GError  **error)
{
  g_autoptr(GString) out = g_string_new ("record,claim_id,family_reference,plan,plan_version,"
                                         "route,issues_identified,issues_progressed,entry_date,"
                                         "claimable_from,claim_date,submitted_on,approved_on,"
                                         "prepared_by,submitted_by,approved_by,agreed_by,"
                                         "returned_on,return_ref,reversed_on,snapshot_sha256\n");
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(GPtrArray) reversed = NULL;
  FoClaimFilter filter = FO_CLAIM_FILTER_INIT;

  g_return_val_if_fail (store != NULL, NULL);

  approved = fo_claims_approved_between (store, from, to, error);
  if (approved == NULL)
    return NULL;
  for (guint i = 0; i < approved->len; i++)
    {
      const FoClaim *claim = g_ptr_array_index (approved, i);

      if (!append_export_row (out, store, claim, FALSE, error))
        return NULL;
      if (out_returnable != NULL && claim->state == FO_CLAIM_APPROVED)
        g_array_append_val (out_returnable, claim->id);
    }

  filter.state = FO_CLAIM_REVERSED;
  reversed = fo_claims_list (store, &filter, error);
  if (reversed == NULL)
    return NULL;
  for (guint i = 0; i < reversed->len; i++)
    {
      const FoClaim *claim = g_ptr_array_index (reversed, i);

      if (claim->returned_at != NULL && in_period (day_of (claim->ended_at), from, to) &&
          !append_export_row (out, store, claim, TRUE, error))
        return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
