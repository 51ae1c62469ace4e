/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-family.h"

G_BEGIN_DECLS

#define FO_STORE_SCHEMA_VERSION 3

typedef struct _FoStore FoStore;

/* One family's cached verdict, stored with what it was judged on. */
typedef struct
{
  gint64   family_id;       /* 0: look the family up by reference */
  char    *reference;
  char    *plan_hash;
  gint64   data_version;
  FoDay    as_of;
  gboolean eligible;
  gboolean claimable;
  FoDay    claimable_from;
  FoDay    projected_claimable;
  char    *issues;          /* "CBC-1=met CBC-2=identified …" */
} FoCachedEvaluation;

/* Called with each family in turn; the callee owns @family. Return FALSE to stop. */
typedef gboolean (*FoStoreFamilyFunc) (FoFamily *family,
                                       gint64    family_id,
                                       gint64    data_version,
                                       gpointer  user_data);

FoStore  *fo_store_open                 (const char   *path,
                                         GError      **error);
FoStore  *fo_store_open_version         (const char   *path,
                                         int           version,
                                         GError      **error);
void      fo_store_close                (FoStore      *store);
int       fo_store_schema_version       (FoStore      *store);
void     *fo_store_get_db               (FoStore      *store);

gboolean  fo_store_begin                (FoStore      *store,
                                         GError      **error);
gboolean  fo_store_commit               (FoStore      *store,
                                         GError      **error);
void      fo_store_rollback             (FoStore      *store);

gboolean  fo_store_put_family           (FoStore      *store,
                                         const FoFamily *family,
                                         const char   *actor,
                                         GError      **error);
gboolean  fo_store_put_families         (FoStore      *store,
                                         FoFamily    **families,
                                         guint         n_families,
                                         const char   *actor,
                                         const char   *action,
                                         GError      **error);
FoFamily *fo_store_load_family          (FoStore      *store,
                                         const char   *reference,
                                         gint64       *out_data_version,
                                         GError      **error);
gboolean  fo_store_delete_family        (FoStore      *store,
                                         const char   *reference,
                                         const char   *actor,
                                         GError      **error);
GPtrArray *fo_store_list_references     (FoStore      *store,
                                         GError      **error);
gint64    fo_store_count_families       (FoStore      *store,
                                         GError      **error);
gboolean  fo_store_for_each_family      (FoStore      *store,
                                         FoStoreFamilyFunc func,
                                         gpointer      user_data,
                                         GError      **error);
gboolean  fo_store_for_each_family_in   (FoStore      *store,
                                         gint64        first_id,
                                         gint64        last_id,
                                         FoStoreFamilyFunc func,
                                         gpointer      user_data,
                                         GError      **error);
gboolean  fo_store_family_ids           (FoStore      *store,
                                         gint64       *out_first,
                                         gint64       *out_last,
                                         GError      **error);
const char *fo_store_get_path           (FoStore      *store);

/* For importers, inside fo_store_begin () … fo_store_commit (). */
gboolean  fo_store_find_member          (FoStore      *store,
                                         const char   *upn,
                                         const char   *person_ref,
                                         const char   *surname,
                                         FoDay         dob,
                                         gint64       *out_family_id,
                                         char        **out_member_id,
                                         guint        *out_matches,
                                         GError      **error);
gboolean  fo_store_insert_event         (FoStore      *store,
                                         gint64        family_id,
                                         const FoEvent *event,
                                         const char   *member_id,
                                         const char   *import_key,
                                         gboolean     *out_inserted,
                                         GError      **error);
gboolean  fo_store_touch_family         (FoStore      *store,
                                         gint64        family_id,
                                         GError      **error);
char     *fo_store_audit_hash           (int           scheme,
                                         gint64        id,
                                         const char   *at,
                                         const char   *actor,
                                         const char   *action,
                                         const char   *entity,
                                         const char   *entity_id,
                                         const char   *before,
                                         const char   *after,
                                         const char   *prev_hash);
gboolean  fo_store_audit                (FoStore      *store,
                                         const char   *actor,
                                         const char   *action,
                                         const char   *entity,
                                         const char   *entity_id,
                                         const char   *before,
                                         const char   *after,
                                         GError      **error);

gboolean  fo_store_put_evaluation       (FoStore      *store,
                                         const FoCachedEvaluation *cached,
                                         GError      **error);
gboolean  fo_store_get_evaluation       (FoStore      *store,
                                         const char   *reference,
                                         FoCachedEvaluation *out,
                                         GError      **error);
void      fo_cached_evaluation_clear    (FoCachedEvaluation *cached);

/* A family whose cached verdict may be out of date, with what the cache holds for it. */
typedef struct
{
  gint64 family_id;
  char  *reference;
  char  *plan;
  gint64 data_version;
  char  *cached_plan_hash;     /* NULL: never evaluated */
  gint64 cached_data_version;
  FoDay  cached_as_of;
} FoCacheState;

GArray   *fo_store_cache_states         (FoStore      *store,
                                         GError      **error);
GPtrArray *fo_store_cached_claimable    (FoStore      *store,
                                         FoDay         as_of,
                                         FoDay         soon,
                                         GError      **error);
gboolean  fo_store_checkpoint           (FoStore      *store,
                                         GError      **error);
gboolean  fo_store_backup               (FoStore      *store,
                                         const char   *path,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoStore, fo_store_close)

G_END_DECLS
