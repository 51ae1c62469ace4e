/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-store.h"

G_BEGIN_DECLS

/* Partner data feeds. The order is the order of fo_feed_names[]. */
typedef enum
{
  FO_FEED_ATTENDANCE,
  FO_FEED_EXCLUSIONS,
  FO_FEED_INCIDENTS,
  FO_FEED_DA_NOTIFICATIONS,
  FO_FEED_MISSING,
  FO_FEED_BENEFITS,
  FO_FEED_EMPLOYMENT,
  FO_FEED_STAR_READINGS,
  FO_N_FEEDS
} FoFeed;

#define FO_IMPORT_ERROR (fo_import_error_quark ())

/* File-level problems: the file is refused as a whole and nothing is imported. */
typedef enum
{
  FO_IMPORT_ERROR_IO,        /* cannot open or read the file */
  FO_IMPORT_ERROR_ENCODING,  /* not UTF-8 text */
  FO_IMPORT_ERROR_HEADER,    /* no header, or a missing, unknown or repeated column */
  FO_IMPORT_ERROR_SYNTAX,    /* broken CSV quoting */
} FoImportErrorCode;

/* The longest single field the importer keeps; a longer one rejects its row. */
#define FO_IMPORT_MAX_FIELD (1024 * 1024)

/* How many rejects a report lists; more are counted in unlisted_rejects. */
#define FO_IMPORT_MAX_LISTED_REJECTS 100000

/**
 * FoImportProgress:
 * @bytes_done: bytes of the file read so far
 * @bytes_total: the size of the file, or 0 when it is not known (a pipe)
 * @rows_done: data rows handled so far
 * @user_data: the data given to fo_import_feed()
 *
 * Called on the importing thread after each block of the file and once at the end, when
 * @bytes_done equals @bytes_total.
 *
 * Returns: %FALSE to stop the import, which then rolls back and fails with
 *   %G_IO_ERROR_CANCELLED; at the final call the import is already done
 */
typedef gboolean (*FoImportProgress) (guint64  bytes_done,
                                      guint64  bytes_total,
                                      guint64  rows_done,
                                      gpointer user_data);

/* One problem with one row. A row can have several. */
typedef struct
{
  guint64     line;      /* the physical line the row starts on; the header is line 1 */
  const char *field;     /* the column's name, or NULL for the whole row */
  char       *reason;
} FoImportReject;

/* What one import did (or, in a dry run, would do) to one family. */
typedef struct
{
  gint64  family_id;
  char   *reference;
  guint64 added;
  guint64 duplicates;
} FoImportFamilyCount;

typedef struct
{
  FoFeed     feed;
  char      *file;
  gboolean   dry_run;
  guint64    rows;             /* data rows, the header and blank lines not counted */
  guint64    added;
  guint64    duplicates;       /* rows already in the store */
  guint64    rejected;         /* rows refused, each with one or more entries in rejects */
  GPtrArray *rejects;          /* FoImportReject, in line order */
  guint64    unlisted_rejects; /* rejects beyond FO_IMPORT_MAX_LISTED_REJECTS */
  GPtrArray *families;         /* FoImportFamilyCount, sorted by reference */
} FoImportReport;

extern const char *const fo_feed_names[];

GQuark    fo_import_error_quark     (void);
int       fo_feed_from_name         (const char     *name);
const char *fo_feed_name            (FoFeed          feed);

gboolean  fo_import_feed            (FoStore        *store,
                                     int             feed,
                                     const char     *file,
                                     gboolean        dry_run,
                                     const char     *actor,
                                     FoImportProgress progress,
                                     gpointer        progress_data,
                                     FoImportReport **out_report,
                                     GError        **error);
char     *fo_import_report_to_text  (const FoImportReport *report);
void      fo_import_report_free     (FoImportReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoImportReport, fo_import_report_free)

G_END_DECLS
