/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-report"

#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "fo-report-private.h"

/* A report is a flow of blocks (headings, tables, drawings, a sign-off) laid out onto pages
 * of a given size, with a running header and footer. Paragraphs and label–value fields are
 * tables too, without rules, so that one pagination routine breaks everything: between rows,
 * and inside a row only when the row alone is taller than a page. */

#define FONT_FAMILY "Cantarell, DejaVu Sans, sans-serif"

/* Page geometry, in points. */
#define MARGIN_X       48.0
#define MARGIN_TOP     66.0
#define MARGIN_BOTTOM  58.0
#define HEADER_Y       30.0   /* the running header's top */
#define FOOTER_GAP     22.0   /* from the content's bottom to the footer's top */

#define CELL_PAD_X     4.5
#define CELL_PAD_Y     3.2
#define GROUP_KEEP     40.0   /* how much of the next row a group row keeps with it */
#define SIGN_OFF_PITCH 106.0  /* from one signatory's lines to the next's: room to write */

typedef enum
{
  FONT_TITLE,
  FONT_H1,
  FONT_H2,
  FONT_BODY,
  FONT_NOTE,
  FONT_CELL,
  FONT_CELL_HEADER,
  FONT_FURNITURE,
  FONT_MARKING,
  N_FONTS
} Font;

static const struct
{
  double   size;
  gboolean bold;
} fonts[N_FONTS] = {
  [FONT_TITLE] = { 19.0, TRUE },
  [FONT_H1] = { 12.5, TRUE },
  [FONT_H2] = { 10.0, TRUE },
  [FONT_BODY] = { 9.0, FALSE },
  [FONT_NOTE] = { 8.0, FALSE },
  [FONT_CELL] = { 8.0, FALSE },
  [FONT_CELL_HEADER] = { 7.5, TRUE },
  [FONT_FURNITURE] = { 7.5, FALSE },
  [FONT_MARKING] = { 8.5, TRUE },
};

/* Print colours, as 0xRRGGBB. */
#define INK          0x1e1e1e
#define INK_MUTED    0x5e5c64
#define RULE         0xc0bfbc
#define RULE_STRONG  0x77767b
#define HEADER_FILL  0xebebeb
#define GROUP_FILL   0xf4f4f3

static const guint32 tone_fills[] = {
  [FO_REPORT_TONE_NONE] = 0,
  [FO_REPORT_TONE_GOOD] = 0xdff0e2,
  [FO_REPORT_TONE_PARTIAL] = 0xfbf0d5,
  [FO_REPORT_TONE_ATTENTION] = 0xf9e1df,
  [FO_REPORT_TONE_QUIET] = 0,
};

typedef struct
{
  char             *markup;
  FoReportCellFlags flags;
  FoReportTone      tone;
  PangoLayout      *layout;     /* from the last layout pass */
} Cell;

typedef struct
{
  Cell    *cells;               /* n_columns of them; one for a group row */
  gboolean group;
  double   height;
} Row;

typedef enum
{
  TABLE_GRID,                   /* ruled, with a header repeated on every page */
  TABLE_TEXT,                   /* one column, one row a paragraph */
  TABLE_FIELDS,                 /* labels and values */
} TableKind;

struct _FoReportTable
{
  FoReport  *report;
  TableKind  kind;
  Font       font;
  guint      n_columns;
  double    *widths;            /* fractions of the content width */
  Row       *header;            /* NULL: none */
  GArray    *rows;              /* Row */
  gboolean   keep_together;
};

typedef enum
{
  BLOCK_HEADING,
  BLOCK_TABLE,
  BLOCK_DRAWING,
  BLOCK_SIGN_OFF,
  BLOCK_PAGE_BREAK,
} BlockKind;

typedef struct
{
  BlockKind         kind;
  guint             level;
  char             *markup;
  PangoLayout      *layout;
  FoReportTable    *table;
  FoReportDrawFunc  draw;
  gpointer          draw_data;
  GDestroyNotify    draw_destroy;
  char            **roles;
  double            height;     /* measured: headings, drawings, sign-offs */
  double            space_before;
  double            space_after;
  gboolean          keep_with_next;
} Block;

/* Where a block, or a part of a table, goes on a page. */
enum { PART_WHOLE = -1, PART_HEADER = -2 };

typedef struct
{
  Block *block;
  int    row;                   /* PART_WHOLE, PART_HEADER or a row of the table */
  double y;
  double offset;                /* into the row, when a row is split across pages */
  double height;
} Placement;

struct _FoReport
{
  GObject       parent_instance;

  char         *title;
  char         *reference;
  FoDay         as_of;
  FoReportFlags flags;
  GDateTime    *generated;
  GRegex       *names;
  GHashTable   *replacements;   /* a name as written → what the redacted report shows */
  GPtrArray    *blocks;         /* Block */

  PangoContext *context;
  GThread      *context_thread;
  double        page_width;
  double        page_height;
  GPtrArray    *pages;          /* GArray of Placement */
  int           outline_parent; /* for the PDF's bookmarks while drawing */
};

G_DEFINE_FINAL_TYPE (FoReport, fo_report, G_TYPE_OBJECT)

static void
row_clear (Row  *row,
           guint n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      g_free (row->cells[i].markup);
      g_clear_object (&row->cells[i].layout);
    }
  g_free (row->cells);
}

static void
table_free (FoReportTable *table)
{
  if (table->header != NULL)
    {
      row_clear (table->header, table->n_columns);
      g_free (table->header);
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      Row *row = &g_array_index (table->rows, Row, r);

      row_clear (row, row->group ? 1 : table->n_columns);
    }
  g_array_unref (table->rows);
  g_free (table->widths);
  g_free (table);
}

static void
block_free (Block *block)
{
  g_free (block->markup);
  g_clear_object (&block->layout);
  if (block->table != NULL)
    table_free (block->table);
  if (block->draw_destroy != NULL)
    block->draw_destroy (block->draw_data);
  g_strfreev (block->roles);
  g_free (block);
}

static void
fo_report_finalize (GObject *object)
{
  FoReport *self = FO_REPORT (object);

  g_free (self->title);
  g_free (self->reference);
  g_clear_pointer (&self->generated, g_date_time_unref);
  g_clear_pointer (&self->names, g_regex_unref);
  g_clear_pointer (&self->replacements, g_hash_table_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (fo_report_parent_class)->finalize (object);
}

static void
fo_report_class_init (FoReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fo_report_finalize;
}

static void
fo_report_init (FoReport *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->replacements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Redaction. */

static char *
initials_of (const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (name, " \t", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gunichar c = g_utf8_get_char_validated (words[i], -1);

      if (words[i][0] == '\0' || c == (gunichar) -1 || c == (gunichar) -2)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, g_unichar_toupper (c));
      g_string_append_c (out, '.');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A name as written, in capitals, and with capital initials: the forms a name takes in free
 * text. Lower-case forms are left alone, so that a name which is also a word ("Will",
 * "Rose") does not take the word out of every sentence. */
static void
add_replacement (FoReport   *self,
                 const char *name,
                 const char *replacement)
{
  g_autofree char *upper = NULL;
  g_autoptr(GString) title = NULL;
  gboolean start = TRUE;

  if (g_utf8_strlen (name, -1) < 2 || g_hash_table_contains (self->replacements, name))
    return;
  g_hash_table_insert (self->replacements, g_strdup (name), g_strdup (replacement));
  upper = g_utf8_strup (name, -1);
  if (!g_hash_table_contains (self->replacements, upper))
    g_hash_table_insert (self->replacements, g_steal_pointer (&upper), g_strdup (replacement));
  title = g_string_new (NULL);
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (title, start ? g_unichar_totitle (c) : c);
      start = g_unichar_isspace (c) || c == '-' || c == '\'';
    }
  if (!g_hash_table_contains (self->replacements, title->str))
    g_hash_table_insert (self->replacements, g_string_free (g_steal_pointer (&title), FALSE),
                         g_strdup (replacement));
}

static void
add_name_words (FoReport   *self,
                const char *name,
                gboolean    skip_common)
{
  static const char *const common[] = { "family", "the", "and", "of", "household", NULL };
  g_auto(GStrv) words = g_strsplit_set (name, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (words[i], "-", -1);
      g_autofree char *folded = g_utf8_casefold (words[i], -1);
      g_autofree char *initial = initials_of (words[i]);

      if (skip_common && g_strv_contains (common, folded))
        continue;
      add_replacement (self, words[i], initial);
      for (guint j = 0; parts[0] != NULL && parts[1] != NULL && parts[j] != NULL; j++)
        {
          g_autofree char *part_initial = initials_of (parts[j]);

          add_replacement (self, parts[j], part_initial);
        }
    }
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char **) a), lb = strlen (*(const char **) b);

  return la < lb ? 1 : la > lb ? -1 : strcmp (*(const char **) a, *(const char **) b);
}

static void
build_redaction (FoReport       *self,
                 const FoFamily *family)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GString) pattern = g_string_new ("(*UCP)(?<![\\w])(?:");
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  /* Whole names first, as initials; where two members share initials, with the year of
   * birth too, so that the report still says which child an indicator was identified for. */
  for (guint m = 0; m < family->members->len; m++)
    {
      const FoMember *member = g_ptr_array_index (family->members, m);
      g_autofree char *initials = NULL;
      g_autofree char *name = NULL;
      gboolean shared = FALSE;

      if (member->name == NULL)
        continue;
      name = g_strstrip (g_strdup (member->name));
      initials = initials_of (name);
      for (guint o = 0; o < family->members->len; o++)
        {
          const FoMember *other = g_ptr_array_index (family->members, o);
          g_autofree char *other_initials = NULL;

          if (o == m || other->name == NULL)
            continue;
          other_initials = initials_of (other->name);
          shared |= g_str_equal (initials, other_initials);
        }
      if (shared && member->dob != 0)
        {
          char *with_year = g_strdup_printf (_("%s (born %d)"), initials,
                                             fo_day_year (member->dob));

          g_free (initials);
          initials = with_year;
        }
      add_replacement (self, name, initials);
    }
  for (guint m = 0; m < family->members->len; m++)
    {
      const FoMember *member = g_ptr_array_index (family->members, m);

      if (member->name != NULL)
        add_name_words (self, member->name, FALSE);
    }
  if (family->name != NULL)
    add_name_words (self, family->name, TRUE);
  if (g_hash_table_size (self->replacements) == 0)
    return;

  keys = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->replacements);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, longest_first);
  for (guint i = 0; i < keys->len; i++)
    {
      g_autofree char *escaped = g_regex_escape_string (g_ptr_array_index (keys, i), -1);

      g_string_append_printf (pattern, "%s%s", i ? "|" : "", escaped);
    }
  g_string_append (pattern, ")(?![\\w])");
  self->names = g_regex_new (pattern->str, G_REGEX_OPTIMIZE, 0, &error);
  /* Every part is escaped, so the pattern cannot be invalid. */
  g_assert_no_error (error);
}

static gboolean
replace_name (const GMatchInfo *info,
              GString          *out,
              gpointer          user_data)
{
  FoReport *self = user_data;
  g_autofree char *match = g_match_info_fetch (info, 0);
  const char *replacement = g_hash_table_lookup (self->replacements, match);

  g_string_append (out, replacement != NULL ? replacement : "");
  return FALSE;
}

/**
 * fo_report_redact:
 * @report: a report
 * @text: (nullable): a text to show in the report
 *
 * In a redacted report, @text with every member's name, and the family's, replaced by
 * initials; otherwise a copy of @text. Every text given to the report's `add` functions goes
 * through this already; a section that draws its own text must call it.
 *
 * Returns: (transfer full) (nullable): the text to show
 */
char *
fo_report_redact (FoReport   *report,
                  const char *text)
{
  g_return_val_if_fail (FO_IS_REPORT (report), NULL);

  if (text == NULL)
    return NULL;
  if (report->names == NULL)
    return g_strdup (text);
  return g_regex_replace_eval (report->names, text, -1, 0, 0, replace_name, report, NULL);
}

static char *
escape (FoReport   *self,
        const char *text)
{
  g_autofree char *redacted = fo_report_redact (self, text != NULL ? text : "");

  return g_markup_escape_text (redacted, -1);
}

/**
 * fo_report_new:
 * @title: the report's title, on its first page and in every page's header
 * @family: the family the report is about
 * @as_of: the day the report is as of
 * @flags: whether to redact
 *
 * An empty report, to add sections to. It keeps no pointer to @family.
 *
 * Returns: (transfer full): the report
 */
FoReport *
fo_report_new (const char     *title,
               const FoFamily *family,
               FoDay           as_of,
               FoReportFlags   flags)
{
  FoReport *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (family != NULL, NULL);

  self = g_object_new (FO_TYPE_REPORT, NULL);
  self->flags = flags;
  self->as_of = as_of;
  self->generated = g_date_time_new_now_local ();
  if (flags & FO_REPORT_REDACT)
    build_redaction (self, family);
  self->title = fo_report_redact (self, title);
  self->reference = fo_report_redact (self, family->reference);
  return self;
}

/**
 * fo_report_set_generated:
 * @report: a report
 * @generated: when the report is generated, printed in every page's footer
 *
 * By default, the time the report was created.
 */
void
fo_report_set_generated (FoReport  *report,
                         GDateTime *generated)
{
  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (generated != NULL);

  g_clear_pointer (&report->generated, g_date_time_unref);
  report->generated = g_date_time_ref (generated);
}

gboolean
fo_report_get_redacted (FoReport *report)
{
  g_return_val_if_fail (FO_IS_REPORT (report), FALSE);
  return (report->flags & FO_REPORT_REDACT) != 0;
}

static void
invalidate (FoReport *self)
{
  g_clear_pointer (&self->pages, g_ptr_array_unref);
}

static Block *
add_block (FoReport  *self,
           BlockKind  kind)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  g_ptr_array_add (self->blocks, block);
  invalidate (self);
  return block;
}

/**
 * fo_report_add_heading:
 * @report: a report
 * @level: 0 for the document's title, 1 for a section, 2 for a subsection
 * @text: the heading
 *
 * A heading stays on the same page as the start of what follows it. Sections and subsections
 * become the PDF's bookmarks.
 */
void
fo_report_add_heading (FoReport   *report,
                       guint       level,
                       const char *text)
{
  Block *block;

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (level <= 2);
  g_return_if_fail (text != NULL);

  block = add_block (report, BLOCK_HEADING);
  block->level = level;
  block->markup = escape (report, text);
  block->space_before = level == 0 ? 0 : level == 1 ? 18 : 11;
  block->space_after = level == 0 ? 8 : level == 1 ? 7 : 4;
  block->keep_with_next = TRUE;
}

static FoReportTable *
new_table (FoReport  *self,
           TableKind  kind,
           Font       font,
           guint      n_columns)
{
  Block *block = add_block (self, BLOCK_TABLE);
  FoReportTable *table = g_new0 (FoReportTable, 1);

  table->report = self;
  table->kind = kind;
  table->font = font;
  table->n_columns = n_columns;
  table->widths = g_new0 (double, n_columns);
  table->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  block->table = table;
  block->space_before = kind == TABLE_GRID ? 4 : 0;
  block->space_after = kind == TABLE_GRID ? 10 : kind == TABLE_TEXT ? 6 : 8;
  return table;
}

static void
add_text (FoReport   *self,
          Font        font,
          const char *text)
{
  FoReportTable *table = new_table (self, TABLE_TEXT, font, 1);
  Row row = { g_new0 (Cell, 1), FALSE, 0 };

  table->widths[0] = 1.0;
  row.cells[0].markup = escape (self, text);
  row.cells[0].tone = font == FONT_NOTE ? FO_REPORT_TONE_QUIET : FO_REPORT_TONE_NONE;
  g_array_append_val (table->rows, row);
}

/**
 * fo_report_add_paragraph:
 * @report: a report
 * @text: the paragraph; a newline starts a new line
 */
void
fo_report_add_paragraph (FoReport   *report,
                         const char *text)
{
  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (text != NULL);

  add_text (report, FONT_BODY, text);
}

/**
 * fo_report_add_note:
 * @report: a report
 * @text: the note
 *
 * A paragraph in smaller, muted type, for what qualifies the text around it.
 */
void
fo_report_add_note (FoReport   *report,
                    const char *text)
{
  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (text != NULL);

  add_text (report, FONT_NOTE, text);
}

/**
 * fo_report_add_field:
 * @report: a report
 * @label: what the value is
 * @value: (nullable): the value; %NULL shows a dash
 *
 * A label and its value. Fields added one after another line up as one list.
 */
void
fo_report_add_field (FoReport   *report,
                     const char *label,
                     const char *value)
{
  FoReportTable *table = NULL;
  Row row = { NULL, FALSE, 0 };

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (label != NULL);

  if (report->blocks->len > 0)
    {
      Block *last = g_ptr_array_index (report->blocks, report->blocks->len - 1);

      if (last->kind == BLOCK_TABLE && last->table->kind == TABLE_FIELDS)
        table = last->table;
    }
  if (table == NULL)
    {
      table = new_table (report, TABLE_FIELDS, FONT_BODY, 2);
      table->widths[0] = 0.25;
      table->widths[1] = 0.75;
    }
  invalidate (report);
  row.cells = g_new0 (Cell, 2);
  row.cells[0].markup = escape (report, label);
  row.cells[0].tone = FO_REPORT_TONE_QUIET;
  row.cells[1].markup = escape (report, value != NULL ? value : "—");
  g_array_append_val (table->rows, row);
}

/**
 * fo_report_add_table:
 * @report: a report
 * @n_columns: how many columns
 * @widths: (array length=n_columns): each column's share of the width; they are scaled to fill
 *   it
 * @titles: (array length=n_columns): the column titles, repeated at the top of every page the
 *   table runs onto
 *
 * Returns: (transfer none): the table, to add rows to; it belongs to @report
 */
FoReportTable *
fo_report_add_table (FoReport          *report,
                     guint              n_columns,
                     const double      *widths,
                     const char *const *titles)
{
  FoReportTable *table;
  double total = 0;

  g_return_val_if_fail (FO_IS_REPORT (report), NULL);
  g_return_val_if_fail (n_columns > 0, NULL);
  g_return_val_if_fail (widths != NULL, NULL);
  g_return_val_if_fail (titles != NULL, NULL);

  table = new_table (report, TABLE_GRID, FONT_CELL, n_columns);
  for (guint c = 0; c < n_columns; c++)
    total += MAX (widths[c], 0);
  table->header = g_new0 (Row, 1);
  table->header->cells = g_new0 (Cell, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      table->widths[c] = total > 0 ? MAX (widths[c], 0) / total : 1.0 / n_columns;
      table->header->cells[c].markup = escape (report, titles[c]);
    }
  return table;
}

/**
 * fo_report_table_add_row:
 * @table: a table
 * @cells: (array): one text for each column; %NULL leaves a cell empty
 *
 * Returns: the row's index, for fo_report_table_set_cell()
 */
guint
fo_report_table_add_row (FoReportTable     *table,
                         const char *const *cells)
{
  Row row = { NULL, FALSE, 0 };

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (cells != NULL, 0);

  row.cells = g_new0 (Cell, table->n_columns);
  for (guint c = 0; c < table->n_columns; c++)
    row.cells[c].markup = escape (table->report, cells[c]);
  g_array_append_val (table->rows, row);
  invalidate (table->report);
  return table->rows->len - 1;
}

/**
 * fo_report_table_add_group:
 * @table: a table
 * @title: the group's title, in bold
 * @detail: (nullable): more about the group, in smaller type under the title
 *
 * A row across every column that heads the rows after it. It is never the last row on a page.
 */
void
fo_report_table_add_group (FoReportTable *table,
                           const char    *title,
                           const char    *detail)
{
  Row row = { NULL, TRUE, 0 };
  g_autofree char *title_markup = NULL;

  g_return_if_fail (table != NULL);
  g_return_if_fail (title != NULL);

  title_markup = escape (table->report, title);
  row.cells = g_new0 (Cell, 1);
  if (detail != NULL && *detail != '\0')
    {
      g_autofree char *detail_markup = escape (table->report, detail);

      row.cells[0].markup = g_strdup_printf ("<b>%s</b>\n<span size='92%%' foreground='#%06x'>"
                                             "%s</span>", title_markup, INK_MUTED,
                                             detail_markup);
    }
  else
    row.cells[0].markup = g_strdup_printf ("<b>%s</b>", title_markup);
  g_array_append_val (table->rows, row);
  invalidate (table->report);
}

/**
 * fo_report_table_set_cell:
 * @table: a table
 * @row: a row from fo_report_table_add_row()
 * @column: a column
 * @flags: bold text, or a bold first line
 * @tone: a tint behind the cell, or muted text
 */
void
fo_report_table_set_cell (FoReportTable     *table,
                          guint              row,
                          guint              column,
                          FoReportCellFlags  flags,
                          FoReportTone       tone)
{
  Row *r;

  g_return_if_fail (table != NULL);
  g_return_if_fail (row < table->rows->len);
  g_return_if_fail (column < table->n_columns);

  r = &g_array_index (table->rows, Row, row);
  g_return_if_fail (!r->group);
  r->cells[column].flags = flags;
  r->cells[column].tone = tone;
  invalidate (table->report);
}

/**
 * fo_report_table_set_keep_together:
 * @table: a table
 * @keep_together: whether to keep the table on one page
 *
 * A short table that reads as one, such as the first and latest Star readings, goes whole onto
 * the next page rather than break. A table taller than a page breaks all the same.
 */
void
fo_report_table_set_keep_together (FoReportTable *table,
                                   gboolean       keep_together)
{
  g_return_if_fail (table != NULL);

  table->keep_together = keep_together;
  invalidate (table->report);
}

/**
 * fo_report_keep_with_next:
 * @report: a report
 *
 * Keeps the block added last on the same page as the start of the block added next, as a
 * heading is: a chart with the table of its numbers, an introduction with what it introduces.
 */
void
fo_report_keep_with_next (FoReport *report)
{
  Block *last;

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (report->blocks->len > 0);

  last = g_ptr_array_index (report->blocks, report->blocks->len - 1);
  last->keep_with_next = TRUE;
  invalidate (report);
}

/**
 * fo_report_add_drawing:
 * @report: a report
 * @height: the drawing's height in points; it takes the whole width
 * @func: draws it
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data with the report
 *
 * A picture that is never split across pages. @func may be called from the thread that lays
 * out and draws the report.
 */
void
fo_report_add_drawing (FoReport         *report,
                       double            height,
                       FoReportDrawFunc  func,
                       gpointer          user_data,
                       GDestroyNotify    destroy)
{
  Block *block;

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (height > 0);
  g_return_if_fail (func != NULL);

  block = add_block (report, BLOCK_DRAWING);
  block->height = height;
  block->draw = func;
  block->draw_data = user_data;
  block->draw_destroy = destroy;
  block->space_before = 4;
  block->space_after = 10;
}

/**
 * fo_report_add_sign_off:
 * @report: a report
 * @roles: (array zero-terminated=1): who signs, such as "Key worker"
 *
 * For each role, lines for a name, a role, a signature and a date. The block is kept whole on
 * one page.
 */
void
fo_report_add_sign_off (FoReport          *report,
                        const char *const *roles)
{
  Block *block;
  guint n;

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (roles != NULL);

  n = g_strv_length ((char **) roles);
  block = add_block (report, BLOCK_SIGN_OFF);
  block->roles = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    block->roles[i] = escape (report, roles[i]);
  block->space_before = 16;
  block->space_after = 10;
}

void
fo_report_add_page_break (FoReport *report)
{
  g_return_if_fail (FO_IS_REPORT (report));

  add_block (report, BLOCK_PAGE_BREAK);
}

/* Layout. */

static void
ensure_context (FoReport *self)
{
  cairo_font_options_t *options;

  /* Pango's default font map belongs to a thread: a report written in a worker thread makes
   * its own context there. */
  if (self->context != NULL && self->context_thread == g_thread_self ())
    return;
  g_clear_object (&self->context);
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  self->context_thread = g_thread_self ();
  /* Unhinted metrics: the text measures the same on paper, in a PDF and on screen, so that
   * what was laid out for one fits on the others. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
}

static PangoLayout *
new_layout (FoReport   *self,
            Font        font,
            gboolean    bold,
            const char *markup,
            double      width)
{
  PangoLayout *layout = pango_layout_new (self->context);
  PangoFontDescription *description = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (description, fonts[font].size * PANGO_SCALE);
  pango_font_description_set_weight (description, fonts[font].bold || bold ? PANGO_WEIGHT_BOLD
                                                                           : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      /* A long reference or identifier breaks anywhere rather than running out of its cell. */
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return pango_units_to_double (logical.height);
}

static double
content_width (FoReport *self)
{
  return self->page_width - 2 * MARGIN_X;
}

static double
cell_pad_x (const FoReportTable *table)
{
  /* Fields line up with the text around them; their label column leaves the gap. */
  return table->kind == TABLE_GRID ? CELL_PAD_X : 0;
}

static double
cell_pad_y (const FoReportTable *table)
{
  return table->kind == TABLE_GRID ? CELL_PAD_Y : table->kind == TABLE_FIELDS ? 1.6 : 0;
}

static double
column_x (const FoReportTable *table,
          guint                column,
          double               width)
{
  double x = 0;

  for (guint c = 0; c < column; c++)
    x += table->widths[c] * width;
  return x;
}

static char *
cell_markup (const Cell *cell)
{
  g_autofree char *inner = NULL;

  if (cell->flags & FO_REPORT_CELL_LEAD)
    {
      const char *newline = strchr (cell->markup, '\n');

      if (newline != NULL)
        inner = g_strdup_printf ("<b>%.*s</b>%s", (int) (newline - cell->markup), cell->markup,
                                 newline);
      else
        inner = g_strdup_printf ("<b>%s</b>", cell->markup);
    }
  else
    inner = g_strdup (cell->markup);
  if (cell->tone == FO_REPORT_TONE_QUIET)
    return g_strdup_printf ("<span foreground='#%06x'>%s</span>", INK_MUTED, inner);
  return g_steal_pointer (&inner);
}

static void
measure_row (FoReport      *self,
             FoReportTable *table,
             Row           *row,
             gboolean       header)
{
  double width = content_width (self), pad_x = cell_pad_x (table), pad_y = cell_pad_y (table);
  guint n = row->group ? 1 : table->n_columns;

  row->height = 0;
  for (guint c = 0; c < n; c++)
    {
      Cell *cell = &row->cells[c];
      double cell_w = row->group ? width : table->widths[c] * width;
      Font font = header ? FONT_CELL_HEADER : table->font;
      g_autofree char *markup = cell_markup (cell);

      g_clear_object (&cell->layout);
      cell->layout = new_layout (self, font, (cell->flags & FO_REPORT_CELL_STRONG) != 0, markup,
                                 cell_w - 2 * pad_x);
      row->height = MAX (row->height, layout_height (cell->layout) + 2 * pad_y);
    }
  if (row->group)
    row->height += 2;
}

static void
measure_block (FoReport *self,
               Block    *block)
{
  switch (block->kind)
    {
    case BLOCK_HEADING:
      {
        static const Font heading_fonts[] = { FONT_TITLE, FONT_H1, FONT_H2 };

        g_clear_object (&block->layout);
        block->layout = new_layout (self, heading_fonts[block->level], TRUE, block->markup,
                                    content_width (self));
        block->height = layout_height (block->layout) + (block->level == 1 ? 4 : 0);
      }
      break;
    case BLOCK_TABLE:
      if (block->table->header != NULL)
        measure_row (self, block->table, block->table->header, TRUE);
      for (guint r = 0; r < block->table->rows->len; r++)
        measure_row (self, block->table, &g_array_index (block->table->rows, Row, r), FALSE);
      break;
    case BLOCK_SIGN_OFF:
      block->height = g_strv_length (block->roles) * SIGN_OFF_PITCH - 22.0;
      break;
    case BLOCK_DRAWING:
    case BLOCK_PAGE_BREAK:
    default:
      break;
    }
}

typedef struct
{
  FoReport *self;
  GArray   *page;
  double    top;
  double    bottom;
  double    y;
} Flow;

static void
new_page (Flow *flow)
{
  flow->page = g_array_new (FALSE, TRUE, sizeof (Placement));
  g_ptr_array_add (flow->self->pages, flow->page);
  flow->y = flow->top;
}

static void
place (Flow   *flow,
       Block  *block,
       int     row,
       double  offset,
       double  height)
{
  Placement placement = { block, row, flow->y, offset, height };

  g_array_append_val (flow->page, placement);
  flow->y += height;
}

static double
header_height (const Block *block)
{
  return block->table->header != NULL ? block->table->header->height : 0;
}

/* How much of the row after a group row must go on the group's page: all of it, unless it is
 * so tall that it will be split anyway; then its first lines. */
static double
group_keep (const Flow  *flow,
            const Block *block,
            guint        group)
{
  const FoReportTable *table = block->table;
  double next;

  if (group + 1 >= table->rows->len)
    return 0;
  next = g_array_index (table->rows, Row, group + 1).height;
  if (next <= flow->bottom - flow->top - header_height (block))
    return next;
  return GROUP_KEEP;
}

static double
table_height (const Block *block)
{
  double height = header_height (block);

  for (guint r = 0; r < block->table->rows->len; r++)
    height += g_array_index (block->table->rows, Row, r).height;
  return height;
}

/* The part of a block that must go on one page: a whole table kept together; otherwise its
 * header and first row (with the row a group row heads); all of any other block. */
static double
first_part_height (const Flow  *flow,
                   const Block *block)
{
  const FoReportTable *table;
  const Row *first;
  double height, page = flow->bottom - flow->top;

  switch (block->kind)
    {
    case BLOCK_TABLE:
      table = block->table;
      if (table->keep_together && table_height (block) <= page)
        return table_height (block);
      if (table->rows->len == 0)
        return header_height (block);
      first = &g_array_index (table->rows, Row, 0);
      height = header_height (block) + first->height;
      if (first->group)
        height += group_keep (flow, block, 0);
      return MIN (height, page);
    case BLOCK_HEADING:
    case BLOCK_DRAWING:
    case BLOCK_SIGN_OFF:
      return MIN (block->height, page);
    case BLOCK_PAGE_BREAK:
    default:
      return 0;
    }
}

/* How much must fit from the start of block @i on: its first part, and if it keeps with the
 * next block, all of it and the next one's lead, and so on down a chain of headings. A chain
 * longer than a page keeps only the first part. */
static double
lead_height (const Flow *flow,
             guint       i)
{
  GPtrArray *blocks = flow->self->blocks;
  const Block *block = g_ptr_array_index (blocks, i);
  const Block *next;
  double whole, lead;

  if (!block->keep_with_next || i + 1 >= blocks->len)
    return first_part_height (flow, block);
  next = g_ptr_array_index (blocks, i + 1);
  if (next->kind == BLOCK_PAGE_BREAK)
    return first_part_height (flow, block);
  whole = block->kind == BLOCK_TABLE ? table_height (block) : block->height;
  lead = whole + MAX (block->space_after, next->space_before) + lead_height (flow, i + 1);
  return lead <= flow->bottom - flow->top ? lead : first_part_height (flow, block);
}

/* Where to end the part of a row that starts at @offset and has @room on the page: at a line
 * boundary in every cell, so that no line of text is cut in two. */
static double
row_cut (FoReportTable *table,
         Row           *row,
         double         offset,
         double         room)
{
  double cut = offset + room, pad_y = cell_pad_y (table);
  guint n = row->group ? 1 : table->n_columns;
  gboolean moved = TRUE;

  while (moved)
    {
      moved = FALSE;
      for (guint c = 0; c < n; c++)
        {
          PangoLayoutIter *iter = pango_layout_get_iter (row->cells[c].layout);

          do
            {
              int top, bottom;
              double line_top, line_bottom;

              pango_layout_iter_get_line_yrange (iter, &top, &bottom);
              line_top = pad_y + pango_units_to_double (top);
              line_bottom = pad_y + pango_units_to_double (bottom);
              if (line_top < cut && cut < line_bottom && line_top > offset)
                {
                  cut = line_top;
                  moved = TRUE;
                }
            }
          while (pango_layout_iter_next_line (iter));
          pango_layout_iter_free (iter);
        }
    }
  return cut;
}

static void
flow_table (Flow  *flow,
            Block *block,
            double gap,
            double lead)
{
  FoReportTable *table = block->table;
  double head = header_height (block);
  guint on_page = 0;

  if (flow->y > flow->top && flow->y + gap + lead > flow->bottom)
    new_page (flow);
  else if (flow->y > flow->top)
    flow->y += gap;
  if (table->header != NULL)
    place (flow, block, PART_HEADER, 0, head);

  for (guint r = 0; r < table->rows->len; r++)
    {
      Row *row = &g_array_index (table->rows, Row, r);
      double keep = row->group ? group_keep (flow, block, r) : 0;

      if (on_page > 0 && flow->y + row->height + keep > flow->bottom)
        {
          new_page (flow);
          on_page = 0;
          if (table->header != NULL)
            place (flow, block, PART_HEADER, 0, head);
        }
      if (flow->y + row->height <= flow->bottom)
        {
          place (flow, block, r, 0, row->height);
          on_page++;
          continue;
        }
      /* Taller than the page: split at line boundaries, each part under a repeated header. */
      for (double offset = 0; offset < row->height;)
        {
          double room = flow->bottom - flow->y;
          double cut;

          if (row->height - offset <= room)
            {
              place (flow, block, r, offset, row->height - offset);
              break;
            }
          cut = row_cut (table, row, offset, room);
          if (cut <= offset + 1)
            cut = offset + room;
          place (flow, block, r, offset, cut - offset);
          new_page (flow);
          if (table->header != NULL)
            place (flow, block, PART_HEADER, 0, head);
          offset = cut;
        }
      on_page++;
    }
}

/**
 * fo_report_layout:
 * @report: a report
 * @page_width: the page's width in points (the whole sheet; the report keeps its own margins)
 * @page_height: its height
 *
 * Lays the report out onto pages of this size. To print it, call this from the print
 * operation's begin-print handler, with the operation using the full page in points, then
 * fo_report_draw_page() for each page. Lay out and draw in one thread.
 *
 * Returns: the number of pages
 */
guint
fo_report_layout (FoReport *report,
                  double    page_width,
                  double    page_height)
{
  Flow flow;
  double after = 0;

  g_return_val_if_fail (FO_IS_REPORT (report), 0);
  g_return_val_if_fail (page_width > 2 * MARGIN_X + 100, 0);
  g_return_val_if_fail (page_height > MARGIN_TOP + MARGIN_BOTTOM + 100, 0);

  ensure_context (report);
  report->page_width = page_width;
  report->page_height = page_height;
  g_clear_pointer (&report->pages, g_ptr_array_unref);
  report->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < report->blocks->len; i++)
    measure_block (report, g_ptr_array_index (report->blocks, i));

  flow = (Flow) { report, NULL, MARGIN_TOP, page_height - MARGIN_BOTTOM, 0 };
  new_page (&flow);
  for (guint i = 0; i < report->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (report->blocks, i);
      double gap = flow.y > flow.top ? MAX (after, block->space_before) : 0;

      switch (block->kind)
        {
        case BLOCK_PAGE_BREAK:
          if (flow.y > flow.top)
            new_page (&flow);
          after = 0;
          continue;
        case BLOCK_TABLE:
          flow_table (&flow, block, gap, lead_height (&flow, i));
          break;
        case BLOCK_HEADING:
        case BLOCK_DRAWING:
        case BLOCK_SIGN_OFF:
        default:
          if (flow.y > flow.top && flow.y + gap + lead_height (&flow, i) > flow.bottom)
            {
              new_page (&flow);
              gap = 0;
            }
          flow.y += gap;
          place (&flow, block, PART_WHOLE, 0, block->height);
          break;
        }
      after = block->space_after;
    }
  return report->pages->len;
}

guint
fo_report_get_n_pages (FoReport *report)
{
  g_return_val_if_fail (FO_IS_REPORT (report), 0);
  return report->pages != NULL ? report->pages->len : 0;
}

/**
 * _fo_report_get_parts:
 * @report: a report laid out with fo_report_layout()
 * @page: a page
 *
 * Returns: (transfer full) (element-type FoReportPart): what is on @page, top to bottom
 */
GArray *
_fo_report_get_parts (FoReport *report,
                      guint     page)
{
  GArray *parts = g_array_new (FALSE, TRUE, sizeof (FoReportPart));
  GArray *placements;

  g_return_val_if_fail (FO_IS_REPORT (report), parts);
  g_return_val_if_fail (report->pages != NULL && page < report->pages->len, parts);

  placements = g_ptr_array_index (report->pages, page);
  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *p = &g_array_index (placements, Placement, i);
      FoReportPart part = { 0, 0, p->row, p->y, p->height, p->offset, 0 };

      g_ptr_array_find (report->blocks, p->block, &part.block);
      switch (p->block->kind)
        {
        case BLOCK_HEADING: part.kind = FO_REPORT_PART_HEADING; break;
        case BLOCK_DRAWING: part.kind = FO_REPORT_PART_DRAWING; break;
        case BLOCK_SIGN_OFF: part.kind = FO_REPORT_PART_SIGN_OFF; break;
        case BLOCK_TABLE:
        case BLOCK_PAGE_BREAK:
        default:
          if (p->row == PART_HEADER)
            part.kind = FO_REPORT_PART_TABLE_HEADER;
          else
            {
              const Row *row = &g_array_index (p->block->table->rows, Row, p->row);

              part.kind = row->group ? FO_REPORT_PART_GROUP_ROW : FO_REPORT_PART_ROW;
              part.row_height = row->height;
            }
          break;
        }
      g_array_append_val (parts, part);
    }
  return parts;
}

double
_fo_report_content_top (FoReport *report)
{
  return MARGIN_TOP;
}

double
_fo_report_content_bottom (FoReport *report)
{
  return report->page_height - MARGIN_BOTTOM;
}

/* Drawing. */

static void
set_colour (cairo_t *cr,
            guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

static void
show (cairo_t     *cr,
      PangoLayout *layout,
      double       x,
      double       y,
      guint32      rgb)
{
  set_colour (cr, rgb);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
hrule (cairo_t *cr,
       double   x0,
       double   x1,
       double   y,
       double   width,
       guint32  rgb)
{
  cairo_save (cr);
  set_colour (cr, rgb);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_text (FoReport   *self,
           cairo_t    *cr,
           Font        font,
           const char *markup,
           double      x,
           double      y,
           double      width,
           PangoAlignment align,
           guint32     rgb)
{
  g_autoptr(GObject) layout = G_OBJECT (new_layout (self, font, FALSE, markup, width));

  pango_layout_set_alignment (PANGO_LAYOUT (layout), align);
  show (cr, PANGO_LAYOUT (layout), x, y, rgb);
}

/* The running header and footer, with the protective marking in the middle of both. */
static void
draw_furniture (FoReport *self,
                cairo_t  *cr,
                guint     page)
{
  double left = MARGIN_X, width = content_width (self), third = width / 3;
  double footer_y = self->page_height - MARGIN_BOTTOM + FOOTER_GAP;
  g_autofree char *marking = g_markup_escape_text (_("OFFICIAL-SENSITIVE"), -1);
  g_autofree char *title = NULL;
  g_autofree char *as_of = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *stamp = g_date_time_format (self->generated, "%Y-%m-%d %H:%M");
  char day[11];

  fo_day_format_buf (self->as_of, day);
  /* Every page says it is a redacted copy, not just the first. */
  if (self->flags & FO_REPORT_REDACT)
    title = g_markup_printf_escaped (_("%s · %s · redacted"), self->title, self->reference);
  else
    title = g_markup_printf_escaped ("%s · %s", self->title, self->reference);
  as_of = g_markup_printf_escaped (_("As of %s"), day);
  generated = g_markup_printf_escaped (_("Generated %s by Family Outcomes"), stamp);
  page_text = g_markup_printf_escaped (_("Page %u of %u"), page + 1, self->pages->len);

  draw_text (self, cr, FONT_FURNITURE, title, left, HEADER_Y + 1, third * 1.3, PANGO_ALIGN_LEFT,
             INK_MUTED);
  draw_text (self, cr, FONT_MARKING, marking, left + third, HEADER_Y, third, PANGO_ALIGN_CENTER,
             INK);
  draw_text (self, cr, FONT_FURNITURE, as_of, left + 2 * third, HEADER_Y + 1, third,
             PANGO_ALIGN_RIGHT, INK_MUTED);
  hrule (cr, left, left + width, MARGIN_TOP - 16, 0.6, RULE);

  hrule (cr, left, left + width, footer_y - 6, 0.6, RULE);
  draw_text (self, cr, FONT_FURNITURE, generated, left, footer_y + 1, third * 1.2,
             PANGO_ALIGN_LEFT, INK_MUTED);
  draw_text (self, cr, FONT_MARKING, marking, left + third, footer_y, third, PANGO_ALIGN_CENTER,
             INK);
  draw_text (self, cr, FONT_FURNITURE, page_text, left + 2 * third, footer_y + 1, third,
             PANGO_ALIGN_RIGHT, INK_MUTED);
}

/* The lines of @layout that lie wholly between @from and @to (in the layout's own space):
 * a part of a split row carries only its own text, for copying and for screen readers, not
 * the whole row's text clipped. */
static void
show_lines (cairo_t     *cr,
            PangoLayout *layout,
            double       x,
            double       y,
            double       from,
            double       to)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  set_colour (cr, INK);
  do
    {
      PangoRectangle logical;
      int top, bottom;

      pango_layout_iter_get_line_yrange (iter, &top, &bottom);
      if (pango_units_to_double (top) < from - 0.01 || pango_units_to_double (bottom) > to + 0.01)
        continue;
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      cairo_move_to (cr, x + pango_units_to_double (logical.x),
                     y + pango_units_to_double (pango_layout_iter_get_baseline (iter)));
      pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
draw_row (FoReport      *self,
          cairo_t       *cr,
          FoReportTable *table,
          Row           *row,
          gboolean       header,
          double         x0,
          double         y0,
          double         offset,
          double         height)
{
  double width = content_width (self), pad_x = cell_pad_x (table), pad_y = cell_pad_y (table);
  guint n = row->group ? 1 : table->n_columns;

  cairo_save (cr);
  /* A part of a split row shows only its own lines. */
  cairo_rectangle (cr, x0 - 1, y0, width + 2, height);
  cairo_clip (cr);
  cairo_translate (cr, x0, y0 - offset);

  if (header || row->group)
    {
      set_colour (cr, header ? HEADER_FILL : GROUP_FILL);
      cairo_rectangle (cr, 0, 0, width, row->height);
      cairo_fill (cr);
    }
  for (guint c = 0; c < n; c++)
    {
      Cell *cell = &row->cells[c];
      double x = row->group ? 0 : column_x (table, c, width);
      double w = row->group ? width : table->widths[c] * width;

      if (tone_fills[cell->tone] != 0)
        {
          set_colour (cr, tone_fills[cell->tone]);
          cairo_rectangle (cr, x, 0, w, row->height);
          cairo_fill (cr);
        }
      if (offset <= 0 && height >= row->height)
        show (cr, cell->layout, x + pad_x, pad_y, INK);
      else
        show_lines (cr, cell->layout, x + pad_x, pad_y, offset - pad_y, offset + height - pad_y);
    }
  if (table->kind == TABLE_GRID)
    {
      if (header)
        {
          hrule (cr, 0, width, 0.4, 0.8, RULE_STRONG);
          hrule (cr, 0, width, row->height - 0.4, 0.8, RULE_STRONG);
        }
      else
        hrule (cr, 0, width, row->height - 0.25, row->group ? 0.6 : 0.5, RULE);
    }
  cairo_restore (cr);
}

static void
draw_sign_off (FoReport *self,
               cairo_t  *cr,
               Block    *block,
               double    x0,
               double    y0)
{
  double width = content_width (self), column = (width - 24) / 2;
  const char *labels[] = { N_("Name"), N_("Signature"), N_("Role"), N_("Date") };

  for (guint i = 0; block->roles[i] != NULL; i++)
    {
      double y = y0 + i * SIGN_OFF_PITCH;
      g_autofree char *role = g_strdup_printf ("<b>%s</b>", block->roles[i]);

      draw_text (self, cr, FONT_BODY, role, x0, y, width, PANGO_ALIGN_LEFT, INK);
      for (guint f = 0; f < G_N_ELEMENTS (labels); f++)
        {
          double x = x0 + (f % 2) * (column + 24);
          double line_y = y + 38 + (f / 2) * 32;
          g_autofree char *label = g_markup_escape_text (_(labels[f]), -1);

          hrule (cr, x, x + column, line_y, 0.6, RULE_STRONG);
          draw_text (self, cr, FONT_NOTE, label, x, line_y + 2, column, PANGO_ALIGN_LEFT,
                     INK_MUTED);
        }
    }
}

static void
add_outline (FoReport *self,
             cairo_t  *cr,
             Block    *block,
             guint     page,
             double    y)
{
  cairo_surface_t *target = cairo_get_target (cr);
  g_autofree char *name = NULL;
  g_autofree char *link = NULL;
  char y_text[G_ASCII_DTOSTR_BUF_SIZE];
  double x = MARGIN_X, user_y = y;
  int id;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_PDF || block->level == 0)
    return;
  /* The bookmark's title is plain text. */
  if (!pango_parse_markup (block->markup, -1, 0, NULL, &name, NULL, NULL))
    return;
  cairo_user_to_device (cr, &x, &user_y);
  g_ascii_dtostr (y_text, sizeof y_text, MAX (user_y - 6, 0));
  link = g_strdup_printf ("page=%u pos=[0 %s]", page + 1, y_text);
  id = cairo_pdf_surface_add_outline (target,
                                      block->level == 1 ? CAIRO_PDF_OUTLINE_ROOT
                                                        : self->outline_parent,
                                      name, link, 0);
  if (block->level == 1)
    self->outline_parent = id;
}

/**
 * fo_report_draw_page:
 * @report: a report laid out with fo_report_layout()
 * @cr: where to draw, in points, with (0, 0) at the page's top left corner
 * @page: the page, from 0
 *
 * Draws one page, header and footer included.
 */
void
fo_report_draw_page (FoReport *report,
                     cairo_t  *cr,
                     guint     page)
{
  GArray *placements;

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (report->pages != NULL);
  g_return_if_fail (page < report->pages->len);

  ensure_context (report);
  if (page == 0)
    report->outline_parent = CAIRO_PDF_OUTLINE_ROOT;
  cairo_save (cr);
  placements = g_ptr_array_index (report->pages, page);
  draw_furniture (report, cr, page);
  for (guint i = 0; i < placements->len; i++)
    {
      Placement *p = &g_array_index (placements, Placement, i);
      Block *block = p->block;

      switch (block->kind)
        {
        case BLOCK_HEADING:
          add_outline (report, cr, block, page, p->y);
          show (cr, block->layout, MARGIN_X, p->y, INK);
          if (block->level == 1)
            hrule (cr, MARGIN_X, MARGIN_X + content_width (report), p->y + p->height - 1.5, 0.6,
                   RULE_STRONG);
          break;
        case BLOCK_TABLE:
          if (p->row == PART_HEADER)
            draw_row (report, cr, block->table, block->table->header, TRUE, MARGIN_X, p->y, 0,
                      p->height);
          else
            draw_row (report, cr, block->table,
                      &g_array_index (block->table->rows, Row, p->row), FALSE, MARGIN_X, p->y,
                      p->offset, p->height);
          break;
        case BLOCK_DRAWING:
          cairo_save (cr);
          cairo_translate (cr, MARGIN_X, p->y);
          cairo_rectangle (cr, 0, 0, content_width (report), p->height);
          cairo_clip (cr);
          block->draw (cr, content_width (report), p->height, block->draw_data);
          cairo_restore (cr);
          break;
        case BLOCK_SIGN_OFF:
          draw_sign_off (report, cr, block, MARGIN_X, p->y);
          break;
        case BLOCK_PAGE_BREAK:
        default:
          break;
        }
    }
  cairo_restore (cr);
}

/* PDF output. */

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} Sink;

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, sink->cancellable,
                                  &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
write_pdf (FoReport     *self,
           const char   *file,
           GCancellable *cancellable,
           GError      **error)
{
  g_autoptr(GFile) gfile = g_file_new_for_path (file);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  g_autofree char *title = NULL;
  g_autofree char *created = NULL;
  g_autofree char *creator = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  Sink sink = { NULL, cancellable, NULL };
  guint n_pages;

  /* Written beside the file and renamed over it when complete, readable by the owner only:
   * a report holds personal data. */
  stream = g_file_replace (gfile, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (stream == NULL)
    return FALSE;
  /* cairo hands over the PDF in pieces of a few bytes. */
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), 64 * 1024);
  sink.stream = buffered;

  n_pages = fo_report_layout (self, FO_REPORT_A4_WIDTH, FO_REPORT_A4_HEIGHT);
  surface = cairo_pdf_surface_create_for_stream (write_to_stream, &sink, FO_REPORT_A4_WIDTH,
                                                 FO_REPORT_A4_HEIGHT);
  title = g_strdup_printf ("%s – %s", self->title, self->reference);
  creator = g_strdup_printf ("Family Outcomes %s", PACKAGE_VERSION);
  created = g_date_time_format (self->generated, "%Y-%m-%dT%H:%M:%S%:z");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, creator);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages && sink.error == NULL; page++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, &sink.error))
        break;
      fo_report_draw_page (self, cr, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error == NULL && status != CAIRO_STATUS_SUCCESS)
    g_set_error (&sink.error, FO_ERROR, FO_ERROR_IO, _("could not draw the report: %s"),
                 cairo_status_to_string (status));
  if (sink.error != NULL)
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the partial file and keeps any old one. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      g_propagate_prefixed_error (error, sink.error, "%s: ", file);
      return FALSE;
    }
  /* Closing the buffer closes the file: the complete file then replaces any old one. */
  if (!g_output_stream_close (buffered, cancellable, &sink.error))
    {
      g_propagate_prefixed_error (error, sink.error, "%s: ", file);
      return FALSE;
    }
  return TRUE;
}

/**
 * fo_report_write_pdf:
 * @report: a report
 * @file: the PDF file to write, replaced if it exists
 * @error: return location for an error
 *
 * Lays the report out on A4 and writes it as a PDF, readable by its owner only. A failed
 * write leaves no partial file.
 *
 * Returns: whether the file was written
 */
gboolean
fo_report_write_pdf (FoReport   *report,
                     const char *file,
                     GError    **error)
{
  g_return_val_if_fail (FO_IS_REPORT (report), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return write_pdf (report, file, NULL, error);
}

static void
write_pdf_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_pdf (source, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * fo_report_write_pdf_async:
 * @report: a report; leave it alone until the write finishes
 * @file: the PDF file to write
 * @cancellable: (nullable): to stop writing
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * Writes the PDF in a worker thread, as fo_report_write_pdf() does.
 */
void
fo_report_write_pdf_async (FoReport            *report,
                           const char          *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FO_IS_REPORT (report));
  g_return_if_fail (file != NULL);

  task = g_task_new (report, cancellable, callback, user_data);
  g_task_set_source_tag (task, fo_report_write_pdf_async);
  g_task_set_task_data (task, g_strdup (file), g_free);
  g_task_run_in_thread (task, write_pdf_thread);
}

gboolean
fo_report_write_pdf_finish (FoReport     *report,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (FO_IS_REPORT (report), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, report), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
