/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-main-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-accessible.h"
#include "fo-application.h"
#include "fo-family-item.h"
#include "fo-family-page.h"
#include "fo-import-dialog.h"
#include "fo-record-editor.h"
#include "fo-report-print.h"
#include "fo-main-window.h"

/*
 * The main window: the family list on the left, filtered and sorted as the coordinator
 * asks, and the selected family on the right. The list holds one small object a family and
 * filters on cached verdicts only, so 20,000 families stay smooth; everything that touches
 * the disk goes through the session's worker threads.
 */

typedef enum
{
  CLAIM_FILTER_ALL,
  CLAIM_FILTER_NOW,
  CLAIM_FILTER_SOON,
  CLAIM_FILTER_AWAITING,
  CLAIM_FILTER_CLAIMED,
} ClaimFilter;

typedef enum
{
  SORT_REFERENCE,
  SORT_NAME,
  SORT_CLAIMABLE,
  SORT_NEWEST,
} SortOrder;

struct _FoMainWindow
{
  AdwApplicationWindow parent_instance;

  GSettings          *settings;
  FoSession          *session;
  GCancellable       *load_cancellable;
  GCancellable       *family_cancellable;
  GListStore         *families;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;
  GtkCustomSorter    *sorter;
  char               *search_key;
  GHashTable         *issue_filter_ids;   /* issue id → itself; NULL: any issue */
  GPtrArray          *issue_titles;       /* the issue filter's rows after "Any" */
  GPtrArray          *workers;            /* the key-worker filter's rows after "Any" */
  char               *pending_reference;  /* select this family once the list is loaded */
  guint               refresh_pending;

  /* template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkStack           *main_stack;
  AdwLeaflet         *leaflet;
  GtkWidget          *sidebar;
  GtkWidget          *content;
  AdwWindowTitle     *sidebar_title;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *claim_filter;
  GtkDropDown        *status_filter;
  GtkDropDown        *issue_filter;
  GtkDropDown        *worker_filter;
  GtkDropDown        *sort_order;
  GtkMenuButton      *filter_button;
  GtkMenuButton      *menu_button;
  GtkMenuButton      *welcome_menu_button;
  GtkMenuButton      *family_menu_button;
  GtkMenuButton      *add_record_button;
  GtkWidget          *new_family_button;
  GtkWidget          *back_button;
  GtkStack           *list_stack;
  GtkListView        *family_list;
  GtkStack           *content_stack;
  FoFamilyPage       *family_page;
  GtkStackSwitcher   *view_switcher;
  AdwStatusPage      *loading_page;
};

G_DEFINE_FINAL_TYPE (FoMainWindow, fo_main_window, ADW_TYPE_APPLICATION_WINDOW)

static void load_families (FoMainWindow *self);

static void
show_toast (FoMainWindow   *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  fo_accessible_tidy_soon (GTK_WIDGET (self->toast_overlay));
}

static char *
actor_name (FoMainWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "user-name");

  if (name[0] != '\0')
    return g_steal_pointer (&name);
  return g_strdup (g_get_real_name ());
}

static gboolean
is_auditor (FoMainWindow *self)
{
  g_autofree char *role = g_settings_get_string (self->settings, "user-role");

  return g_str_equal (role, "auditor");
}

/* The rows of the list ---------------------------------------------------------------- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              FoMainWindow                 *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);

  /* Ellipsized labels still ask for their whole text's width; a cap keeps the sidebar narrow. */
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 30);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 30);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "claim-tag");
  gtk_widget_add_css_class (badge, "caption");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_item_set_child (item, box);
}

static void
update_row (GtkListItem *item,
            FoMainWindow    *self)
{
  FoFamilyItem *family = gtk_list_item_get_item (item);
  const FoFamilySummary *summary;
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *text = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (text);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  GtkWidget *badge = gtk_widget_get_next_sibling (text);
  g_autofree char *title_text = NULL;
  g_autofree char *subtitle_text = NULL;
  g_autofree char *claim = NULL;

  if (family == NULL)
    return;
  summary = fo_family_item_get_summary (family);
  title_text = summary->name != NULL ? g_strdup_printf ("%s · %s", summary->reference,
                                                        summary->name)
                                     : g_strdup (summary->reference);
  if (summary->closure_date != 0)
    {
      g_autofree char *closed = fo_day_to_display (summary->closure_date);

      /* TRANSLATORS: the key worker, then the date the family's support closed */
      subtitle_text = g_strdup_printf (_("%s · closed %s"),
                                       summary->key_worker ? summary->key_worker
                                                           : _("No key worker"), closed);
    }
  else
    {
      g_autofree char *started = fo_day_to_display (summary->entry_date);

      /* TRANSLATORS: the key worker, then the date the family's support started */
      subtitle_text = g_strdup_printf (_("%s · since %s"),
                                       summary->key_worker ? summary->key_worker
                                                           : _("No key worker"), started);
    }
  gtk_label_set_text (GTK_LABEL (title), title_text);
  gtk_label_set_text (GTK_LABEL (subtitle), subtitle_text);
  /* The row itself is announced by the family it shows. */
  if (gtk_widget_get_parent (box) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title_text, -1);
  claim = fo_family_item_dup_claim_text (family, fo_session_get_as_of (self->session));
  gtk_label_set_text (GTK_LABEL (badge), claim != NULL ? claim : "");
  gtk_widget_set_visible (badge, claim != NULL);
  gtk_widget_remove_css_class (badge, "success");
  if (summary->claimable || summary->claim_stage == FO_CLAIM_STAGE_CLAIMED)
    gtk_widget_add_css_class (badge, "success");
}

static void
summary_changed_cb (FoFamilyItem *family,
                    GParamSpec   *pspec,
                    GtkListItem  *item)
{
  update_row (item, g_object_get_data (G_OBJECT (item), "window"));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             FoMainWindow                 *self)
{
  g_object_set_data (G_OBJECT (item), "window", self);
  update_row (item, self);
  g_signal_connect_object (gtk_list_item_get_item (item), "notify::summary",
                           G_CALLBACK (summary_changed_cb), item, 0);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               FoMainWindow                 *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), summary_changed_cb, item);
}

/* Filtering and sorting --------------------------------------------------------------- */

static gboolean
family_matches (gpointer item,
                gpointer user_data)
{
  FoMainWindow *self = user_data;
  FoFamilyItem *family = item;
  const FoFamilySummary *summary = fo_family_item_get_summary (family);
  FoDay as_of = fo_session_get_as_of (self->session);
  guint worker;

  if (self->search_key != NULL && strstr (fo_family_item_get_search_key (family),
                                          self->search_key) == NULL)
    return FALSE;
  switch (gtk_drop_down_get_selected (self->status_filter))
    {
    case 1:
      if (summary->closure_date != 0)
        return FALSE;
      break;
    case 2:
      if (summary->closure_date == 0)
        return FALSE;
      break;
    default:
      break;
    }
  switch ((ClaimFilter) gtk_drop_down_get_selected (self->claim_filter))
    {
    case CLAIM_FILTER_NOW:
      if (!summary->claimable || summary->claim_stage != FO_CLAIM_STAGE_NONE)
        return FALSE;
      break;
    case CLAIM_FILTER_SOON:
      if (summary->claimable || summary->projected_claimable == 0 ||
          summary->projected_claimable > fo_day_add_months (as_of, 3))
        return FALSE;
      break;
    case CLAIM_FILTER_AWAITING:
      if (summary->claim_stage != FO_CLAIM_STAGE_AWAITING_SIGN_OFF)
        return FALSE;
      break;
    case CLAIM_FILTER_CLAIMED:
      if (summary->claim_stage != FO_CLAIM_STAGE_CLAIMED)
        return FALSE;
      break;
    case CLAIM_FILTER_ALL:
    default:
      break;
    }
  worker = gtk_drop_down_get_selected (self->worker_filter);
  if (worker > 0 && worker <= self->workers->len &&
      g_strcmp0 (summary->key_worker, g_ptr_array_index (self->workers, worker - 1)) != 0)
    return FALSE;
  if (self->issue_filter_ids != NULL && !fo_family_item_has_issue (family, self->issue_filter_ids))
    return FALSE;
  return TRUE;
}

static int
compare_days_unknown_last (FoDay a,
                           FoDay b)
{
  if (a == b)
    return 0;
  if (a == 0)
    return 1;
  if (b == 0)
    return -1;
  return a < b ? -1 : 1;
}

static int
compare_families (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  FoMainWindow *self = user_data;
  const FoFamilySummary *x = fo_family_item_get_summary ((FoFamilyItem *) a);
  const FoFamilySummary *y = fo_family_item_get_summary ((FoFamilyItem *) b);
  int result = 0;

  switch ((SortOrder) gtk_drop_down_get_selected (self->sort_order))
    {
    case SORT_NAME:
      result = g_strcmp0 (x->name, y->name);
      break;
    case SORT_CLAIMABLE:
      result = compare_days_unknown_last (x->claimable ? x->claimable_from : x->projected_claimable,
                                          y->claimable ? y->claimable_from : y->projected_claimable);
      break;
    case SORT_NEWEST:
      result = (x->entry_date < y->entry_date) - (x->entry_date > y->entry_date);
      break;
    case SORT_REFERENCE:
    default:
      break;
    }
  return result != 0 ? result : strcmp (x->reference, y->reference);
}

static void
update_count (FoMainWindow *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->families));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (ngettext ("%u family", "%u families", total), total);
  else
    text = g_strdup_printf (ngettext ("%u of %u family", "%u of %u families", total), shown,
                            total);
  adw_window_title_set_subtitle (self->sidebar_title, text);
  gtk_stack_set_visible_child_name (self->list_stack, shown > 0 || total == 0 ? "list"
                                                                             : "no-match");
}

static void
filter_changed (FoMainWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
search_changed_cb (FoMainWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *previous = g_steal_pointer (&self->search_key);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  self->search_key = text[0] != '\0' ? fo_search_key_normalize (text) : NULL;
  /* Typing on only narrows the list, so GTK need not look at families already left out. */
  if (previous != NULL && self->search_key != NULL && strstr (self->search_key, previous) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (previous != NULL && (self->search_key == NULL || strstr (previous, self->search_key)))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_count (self);
}

static void
select_position (FoMainWindow *self,
                 guint     position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->family_list), "list.scroll-to-item", "u",
                              position);
}

static void
search_activate_cb (FoMainWindow *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    {
      select_position (self, 0);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
    }
}

static void
search_stop_cb (FoMainWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
family_list_activate_cb (FoMainWindow *self,
                         guint     position)
{
  select_position (self, position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
issue_filter_changed_cb (FoMainWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->issue_filter);

  g_clear_pointer (&self->issue_filter_ids, g_hash_table_unref);
  if (selected > 0 && selected <= self->issue_titles->len)
    {
      const char *title = g_ptr_array_index (self->issue_titles, selected - 1);
      GPtrArray *plans = fo_session_get_plans (self->session);

      /* Plans word their headline issues alike: one row covers the same title in each. */
      self->issue_filter_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint p = 0; p < plans->len; p++)
        {
          const FoPlan *plan = g_ptr_array_index (plans, p);

          for (guint i = 0; i < plan->issues->len; i++)
            {
              const FoIssue *issue = g_ptr_array_index (plan->issues, i);

              if (g_str_equal (issue->title, title))
                g_hash_table_add (self->issue_filter_ids, g_strdup (issue->id));
            }
        }
    }
  filter_changed (self);
}

static void
set_drop_down_strings (GtkDropDown *drop_down,
                       const char  *first,
                       GPtrArray   *rest)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, first);
  for (guint i = 0; rest != NULL && i < rest->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (rest, i));
  gtk_drop_down_set_model (drop_down, G_LIST_MODEL (model));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/* The issue and key-worker filters offer what the plans and families hold. */
static void
fill_filter_choices (FoMainWindow *self,
                     GPtrArray    *workers)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *plans = fo_session_get_plans (self->session);

  g_ptr_array_set_size (self->issue_titles, 0);
  for (guint p = 0; p < plans->len; p++)
    {
      const FoPlan *plan = g_ptr_array_index (plans, p);

      for (guint i = 0; i < plan->issues->len; i++)
        {
          const FoIssue *issue = g_ptr_array_index (plan->issues, i);

          if (g_hash_table_add (seen, issue->title))
            g_ptr_array_add (self->issue_titles, g_strdup (issue->title));
        }
    }
  g_ptr_array_sort (self->issue_titles, compare_strings);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  self->workers = g_ptr_array_ref (workers);
  g_signal_handlers_block_by_func (self->issue_filter, issue_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->worker_filter, filter_changed, self);
  set_drop_down_strings (self->issue_filter, _("Any headline issue"), self->issue_titles);
  set_drop_down_strings (self->worker_filter, _("Any key worker"), self->workers);
  g_signal_handlers_unblock_by_func (self->issue_filter, issue_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->worker_filter, filter_changed, self);
}

static void
reset_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);

  gtk_drop_down_set_selected (self->claim_filter, 0);
  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_drop_down_set_selected (self->issue_filter, 0);
  gtk_drop_down_set_selected (self->worker_filter, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Loading ------------------------------------------------------------------------------ */

static guint
find_reference (FoMainWindow   *self,
                const char *reference)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FoFamilyItem) family = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_str_equal (fo_family_item_get_summary (family)->reference, reference))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FoMainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint refreshed = fo_session_refresh_finish (FO_SESSION (source), result, &error);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  /* Verdicts that were out of date are now current: show them. */
  if (refreshed > 0 && self->session == FO_SESSION (source))
    {
      self->refresh_pending = FALSE;
      load_families (self);
    }
}

/* One read of the database for the list, all of it on a worker thread: opening the session
 * when it is new, the summaries, the row objects and the key workers, so that the main loop
 * only hands the finished rows to the list. */
typedef struct
{
  char      *path;        /* the database to open, when session is NULL */
  FoSession *session;
  FoDay      as_of;
  GPtrArray *items;       /* FoFamilyItem */
  GPtrArray *workers;     /* char *, sorted */
  gboolean   stale;       /* some cached verdict is out of date */
} Listing;

static void
listing_free (Listing *listing)
{
  g_free (listing->path);
  g_clear_object (&listing->session);
  g_clear_pointer (&listing->items, g_ptr_array_unref);
  g_clear_pointer (&listing->workers, g_ptr_array_unref);
  g_free (listing);
}

static void
listing_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Listing *listing = task_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (listing->session == NULL)
    {
      listing->session = fo_session_open (listing->path, fo_plans_dir_default (), &error);
      if (listing->session == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      fo_session_set_as_of (listing->session, listing->as_of);
    }
  summaries = fo_session_list_families (listing->session, &error);
  if (summaries == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  listing->items = g_ptr_array_new_full (summaries->len, g_object_unref);
  listing->workers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < summaries->len; i++)
    {
      FoFamilySummary *summary = g_ptr_array_index (summaries, i);
      const FoPlan *plan = fo_session_lookup_plan (listing->session, summary->plan);

      if (plan != NULL && (!summary->evaluated || summary->as_of != listing->as_of ||
                           summary->evaluated_version != summary->data_version ||
                           g_strcmp0 (summary->plan_hash, plan->content_hash) != 0))
        listing->stale = TRUE;
      if (summary->key_worker != NULL && g_hash_table_add (seen, summary->key_worker))
        g_ptr_array_add (listing->workers, g_strdup (summary->key_worker));
      g_ptr_array_add (listing->items, fo_family_item_new (summary));
    }
  /* The summaries now belong to the items. */
  g_ptr_array_set_free_func (summaries, NULL);
  g_ptr_array_sort (listing->workers, compare_strings);
  g_task_return_boolean (task, TRUE);
}

static void adopt_session (FoMainWindow *self,
                           FoSession    *session);

static void
listing_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FoMainWindow) self = FO_MAIN_WINDOW (source);
  Listing *listing = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_stack_set_visible_child_name (self->main_stack, self->session != NULL ? "families"
                                                                                : "welcome");
      show_toast (self, error->message);
      return;
    }
  if (listing->session != self->session)
    adopt_session (self, listing->session);

  {
    FoFamilyItem *current = gtk_single_selection_get_selected_item (self->selection);

    if (current != NULL)
      selected = g_strdup (fo_family_item_get_summary (current)->reference);
  }
  fill_filter_choices (self, listing->workers);
  g_list_store_splice (self->families, 0, g_list_model_get_n_items (G_LIST_MODEL (self->families)),
                       listing->items->pdata, listing->items->len);
  update_count (self);
  gtk_stack_set_visible_child_name (self->main_stack, "families");
  gtk_widget_set_sensitive (self->new_family_button, !is_auditor (self));

  if (selected == NULL && self->pending_reference != NULL)
    selected = g_steal_pointer (&self->pending_reference);
  if (selected != NULL)
    {
      guint position = find_reference (self, selected);

      if (position != GTK_INVALID_LIST_POSITION)
        select_position (self, position);
    }
  if (listing->stale && !self->refresh_pending)
    {
      self->refresh_pending = TRUE;
      fo_session_refresh_async (self->session, self->load_cancellable, refresh_done_cb,
                                g_object_ref (self));
    }
}

/* Lists the families again; with @path, opens that database first. */
static void
start_listing (FoMainWindow *self,
               const char   *path)
{
  g_autoptr(GTask) task = g_task_new (self, self->load_cancellable, listing_done_cb,
                                      g_object_ref (self));
  Listing *listing = g_new0 (Listing, 1);
  g_autofree char *as_of_text = g_settings_get_string (self->settings, "as-of-date");

  listing->path = g_strdup (path);
  listing->session = path == NULL && self->session != NULL ? g_object_ref (self->session) : NULL;
  if (as_of_text[0] == '\0' || !fo_day_parse (as_of_text, &listing->as_of))
    listing->as_of = fo_day_today ();
  g_task_set_task_data (task, listing, (GDestroyNotify) listing_free);
  g_task_run_in_thread (task, listing_thread);
}

static void
load_families (FoMainWindow *self)
{
  start_listing (self, NULL);
}

static void
family_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FoMainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  FoFamilyView *view = fo_session_load_family_finish (FO_SESSION (source), result, &error);

  if (view == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  fo_family_page_show (self->family_page, view);
  gtk_stack_set_visible_child_name (self->content_stack, "family");
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_record_button), !is_auditor (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->family_menu_button), !is_auditor (self));
  g_settings_set_string (self->settings, "last-family", view->family->reference);
}

static void
selection_changed_cb (FoMainWindow *self)
{
  FoFamilyItem *family = gtk_single_selection_get_selected_item (self->selection);

  g_cancellable_cancel (self->family_cancellable);
  g_clear_object (&self->family_cancellable);
  if (family == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      gtk_widget_set_visible (GTK_WIDGET (self->view_switcher), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->add_record_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->family_menu_button), FALSE);
      return;
    }
  self->family_cancellable = g_cancellable_new ();
  fo_session_load_family_async (self->session, fo_family_item_get_summary (family)->reference,
                                self->family_cancellable, family_loaded_cb, g_object_ref (self));
}

/* A save on the page updates its row in place, without reloading 20,000 families. */
static void
family_saved_cb (FoMainWindow              *self,
                 const FoFamilySummary *summary)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->families));
  FoFamilySummary *copy = g_new0 (FoFamilySummary, 1);

  *copy = *summary;
  copy->reference = g_strdup (summary->reference);
  copy->name = g_strdup (summary->name);
  copy->key_worker = g_strdup (summary->key_worker);
  copy->plan = g_strdup (summary->plan);
  copy->member_names = g_strdup (summary->member_names);
  copy->plan_hash = g_strdup (summary->plan_hash);
  copy->issues = g_strdup (summary->issues);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FoFamilyItem) family = g_list_model_get_item (G_LIST_MODEL (self->families), i);

      if (fo_family_item_get_summary (family)->family_id == summary->family_id)
        {
          fo_family_item_set_summary (family, copy);
          /* The change may move the family in or out of the filter, or along the order. */
          gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
          gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
          update_count (self);
          return;
        }
    }
  g_list_store_append (self->families, fo_family_item_new (copy));
  update_count (self);
}

/* Makes @session the window's: everything but the list, which the caller fills. */
static void
adopt_session (FoMainWindow *self,
               FoSession    *session)
{
  g_autofree char *as_of_text = g_settings_get_string (self->settings, "as-of-date");
  g_autofree char *actor = actor_name (self);
  g_autofree char *basename = g_path_get_basename (fo_session_get_path (session));
  FoDay as_of = 0;

  self->refresh_pending = FALSE;
  g_set_object (&self->session, session);
  if (as_of_text[0] != '\0')
    fo_day_parse (as_of_text, &as_of);
  fo_session_set_as_of (session, as_of);
  fo_family_page_set_session (self->family_page, session);
  fo_family_page_set_actor (self->family_page, actor);
  fo_family_page_set_read_only (self->family_page, is_auditor (self));
  g_settings_set_string (self->settings, "last-database", fo_session_get_path (session));
  adw_window_title_set_title (self->sidebar_title, basename);
}

/* Stops the work started for the previous database or date. */
static void
restart_loading (FoMainWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
}

void
fo_main_window_open_database (FoMainWindow   *self,
                         const char *path)
{
  g_return_if_fail (FO_IS_MAIN_WINDOW (self));
  g_return_if_fail (path != NULL);

  adw_status_page_set_title (self->loading_page, _("Opening…"));
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  g_free (self->pending_reference);
  self->pending_reference = g_settings_get_string (self->settings, "last-family");
  restart_loading (self);
  g_list_store_remove_all (self->families);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  start_listing (self, path);
}

FoSession *
fo_main_window_get_session (FoMainWindow *self)
{
  g_return_val_if_fail (FO_IS_MAIN_WINDOW (self), NULL);
  return self->session;
}

/* Preferences changed: who I am, and the as-of date, apply at once. */
void
fo_main_window_reload_settings (FoMainWindow *self)
{
  g_return_if_fail (FO_IS_MAIN_WINDOW (self));

  if (self->session != NULL)
    {
      restart_loading (self);
      adopt_session (self, self->session);
      start_listing (self, NULL);
    }
}

/* Actions ------------------------------------------------------------------------------ */

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  FoMainWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        fo_main_window_open_database (self, path);
    }
  g_object_unref (dialog);
}

static void
open_database_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Database"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Family Outcomes databases"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
demo_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FoMainWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FoSession) session = fo_session_create_demo_finish (result, &error);

  if (session == NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, self->session != NULL ? "families"
                                                                                : "welcome");
      show_toast (self, error->message);
      return;
    }
  restart_loading (self);
  g_list_store_remove_all (self->families);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  adopt_session (self, session);
  start_listing (self, NULL);
  show_toast (self, _("Demo database created. Every name in it is invented."));
}

static void
create_demo_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "family-outcomes", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  g_mkdir_with_parents (folder, 0700);
  path = g_strdup_printf ("%s/demo-%s.db", folder, stamp);
  adw_status_page_set_title (self->loading_page, _("Creating Demo Data…"));
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  fo_session_create_demo_async (path, fo_plans_dir_default (), 500, fo_day_today (), NULL,
                                demo_created_cb, g_object_ref (self));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  g_autofree char *actor = NULL;

  if (self->session == NULL || is_auditor (self))
    return;
  actor = actor_name (self);
  gtk_window_present (GTK_WINDOW (fo_import_dialog_new (GTK_WINDOW (self), self->session,
                                                        actor)));
}

static void
new_family_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(FoRecordEditor) editor = user_data;
  FoMainWindow *self = FO_MAIN_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (editor)));
  g_autoptr(GError) error = NULL;
  FoFamilyView *view = fo_session_save_family_finish (FO_SESSION (source), result, &error);
  guint position;

  if (view == NULL)
    {
      fo_record_editor_show_fault (editor, error->domain == FO_SESSION_ERROR ? "reference" : NULL,
                                   error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (editor));
  family_saved_cb (self, view->summary);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  position = find_reference (self, view->family->reference);
  fo_family_view_free (view);
  if (position != GTK_INVALID_LIST_POSITION)
    family_list_activate_cb (self, position);
  show_toast (self, _("Family added"));
}

static void
new_family_save_cb (FoRecordEditor *editor,
                    JsonObject     *details,
                    FoMainWindow       *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = actor_name (self);
  FoEditFault fault = { 0 };
  FoFamily *family = fo_family_new_from_details (details, &fault, &error);

  if (family == NULL)
    {
      fo_record_editor_show_fault (editor, fault.field, fault.message);
      fo_edit_fault_clear (&fault);
      return;
    }
  fo_record_editor_set_busy (editor, TRUE);
  fo_session_save_family_async (self->session, family, 0, actor, NULL, new_family_saved_cb,
                                g_object_ref (editor));
}

static void
new_family_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  g_autoptr(JsonObject) defaults = json_object_new ();
  g_autofree char *plan = g_settings_get_string (self->settings, "default-plan");
  g_autofree char *today = fo_day_format (fo_day_today ());
  g_autofree char *actor = actor_name (self);
  FoRecordEditor *editor;

  if (self->session == NULL || is_auditor (self))
    return;
  if (plan[0] != '\0')
    json_object_set_string_member (defaults, "plan", plan);
  json_object_set_string_member (defaults, "entry_date", today);
  json_object_set_string_member (defaults, "key_worker", actor);
  editor = fo_record_editor_new (GTK_WINDOW (self), "details", NULL,
                                 fo_session_get_plans (self->session), NULL);
  /* Defaults fill the form without making it an edit of an existing family. */
  fo_record_editor_fill (editor, defaults);
  g_signal_connect_object (editor, "save", G_CALLBACK (new_family_save_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_record_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);

  const char *record_type = g_variant_get_string (parameter, NULL);

  if (fo_family_page_get_view (self->family_page) == NULL || is_auditor (self))
    return;
  if (g_str_equal (record_type, "member"))
    fo_family_page_add_member (self->family_page);
  else
    fo_family_page_add_record (self->family_page, record_type);
}

static void
edit_family_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);

  if (fo_family_page_get_view (self->family_page) != NULL && !is_auditor (self))
    fo_family_page_edit_details (self->family_page);
}

static void
family_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FoMainWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fo_session_delete_family_finish (FO_SESSION (source), result, &error))
    {
      show_toast (self, error->message);
      return;
    }
  show_toast (self, _("Family deleted. The audit log keeps a copy of what was deleted."));
  load_families (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    FoMainWindow         *self)
{
  const FoFamilyView *view = fo_family_page_get_view (self->family_page);
  g_autofree char *actor = NULL;

  if (!g_str_equal (response, "delete") || view == NULL)
    return;
  actor = actor_name (self);
  gtk_stack_set_visible_child_name (self->content_stack, "none");
  fo_session_delete_family_async (self->session, view->family->reference, actor, NULL,
                                  family_deleted_cb, g_object_ref (self));
}

static void
delete_family_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  const FoFamilyView *view = fo_family_page_get_view (self->family_page);
  GtkWidget *dialog;

  if (view == NULL || is_auditor (self))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete this family?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  ngettext ("%s and its %u record will be removed from this "
                                            "database. The audit log keeps a copy.",
                                            "%s and all %u of its records will be removed from "
                                            "this database. The audit log keeps a copy.",
                                            view->family->events->len),
                                  view->family->reference, view->family->events->len);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The selected family's progress report, as the evaluator sees it now. */
static FoReport *
current_report (FoMainWindow *self)
{
  const FoFamilyView *view = fo_family_page_get_view (self->family_page);

  if (view == NULL || view->evaluation == NULL)
    {
      show_toast (self, _("This family’s plan is not loaded, so there is no report to make"));
      return NULL;
    }
  return fo_progress_report_new (view->evaluation,
                                 g_settings_get_boolean (self->settings, "report-redact")
                                 ? FO_REPORT_REDACT : FO_REPORT_DEFAULT);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  g_autoptr(FoReport) report = current_report (self);

  if (report != NULL)
    fo_report_print (GTK_WINDOW (self), report, self->settings);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  g_autoptr(FoReport) report = current_report (self);
  g_autofree char *name = NULL;

  if (report == NULL)
    return;
  name = g_strdup_printf ("%s.pdf", fo_family_page_get_view (self->family_page)->family->reference);
  fo_report_export_pdf (GTK_WINDOW (self), report, name, self->toast_overlay);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);

  if (self->session == NULL)
    return;
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  adw_leaflet_navigate (FO_MAIN_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
next_family_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FoMainWindow *self = FO_MAIN_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint position = gtk_single_selection_get_selected (self->selection);
  int step = g_variant_get_int32 (parameter);

  if (n == 0)
    return;
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  else
    position = CLAMP ((int) position + step, 0, (int) n - 1);
  select_position (self, position);
}

static void
save_window_state (FoMainWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
fo_main_window_close_request (GtkWindow *window)
{
  save_window_state (FO_MAIN_WINDOW (window));
  return GTK_WINDOW_CLASS (fo_main_window_parent_class)->close_request (window);
}

static void
fo_main_window_dispose (GObject *object)
{
  FoMainWindow *self = FO_MAIN_WINDOW (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->family_cancellable);
  g_clear_object (&self->family_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FO_TYPE_MAIN_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorted);
  g_clear_object (&self->sorter);
  g_clear_object (&self->families);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fo_main_window_parent_class)->dispose (object);
}

static void
fo_main_window_finalize (GObject *object)
{
  FoMainWindow *self = FO_MAIN_WINDOW (object);

  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->issue_filter_ids, g_hash_table_unref);
  g_clear_pointer (&self->issue_titles, g_ptr_array_unref);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_pointer (&self->pending_reference, g_free);

  G_OBJECT_CLASS (fo_main_window_parent_class)->finalize (object);
}

static void
fo_main_window_class_init (FoMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fo_main_window_dispose;
  object_class->finalize = fo_main_window_finalize;
  window_class->close_request = fo_main_window_close_request;

  g_type_ensure (FO_TYPE_FAMILY_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/FamilyOutcomes/fo-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, content);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, claim_filter);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, status_filter);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, issue_filter);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, worker_filter);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, sort_order);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, welcome_menu_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, family_menu_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, add_record_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, new_family_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, family_list);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, family_page);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, FoMainWindow, loading_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, family_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "win.open-database", NULL, open_database_action);
  gtk_widget_class_install_action (widget_class, "win.create-demo", NULL, create_demo_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.new-family", NULL, new_family_action);
  gtk_widget_class_install_action (widget_class, "win.add-record", "s", add_record_action);
  gtk_widget_class_install_action (widget_class, "win.edit-family", NULL, edit_family_action);
  gtk_widget_class_install_action (widget_class, "win.delete-family", NULL, delete_family_action);
  gtk_widget_class_install_action (widget_class, "win.reset-filters", NULL, reset_filters_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "win.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.next-family", "i", next_family_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-family", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open-database", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "win.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "win.edit-family", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.next-family", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.next-family", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-record", "s", "star_reading");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-record", "s", "attendance");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-record", "s", "evidence");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-record", "s", "member");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
}

static GMenuModel *
add_record_menu_new (void)
{
  GMenu *menu = g_menu_new ();
  const FoRecordType *types;
  guint n_types;

  types = fo_record_types (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autofree char *label = g_strdup_printf (_("%s…"), _(types[i].title));
      g_autofree char *action = g_strdup_printf ("win.add-record::%s", types[i].name);

      g_menu_append (menu, label, action);
    }
  return G_MENU_MODEL (menu);
}

static void
fill_strings (GtkDropDown       *drop_down,
              const char * const *strings)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; strings[i] != NULL; i++)
    gtk_string_list_append (model, _(strings[i]));
  gtk_drop_down_set_model (drop_down, G_LIST_MODEL (model));
}

static void
fo_main_window_init (FoMainWindow *self)
{
  static const char *const claim_choices[] = {
    N_("Any claim state"), N_("Claimable now"), N_("Claimable within 3 months"),
    N_("Awaiting sign-off"), N_("Claimed"), NULL
  };
  static const char *const status_choices[] = { N_("Open or closed"), N_("Open"), N_("Closed"),
                                                NULL };
  static const char *const sort_choices[] = {
    N_("Reference"), N_("Family name"), N_("Claimable date"), N_("Newest intervention"), NULL
  };
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GMenuModel) add_menu = add_record_menu_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APPLICATION_ID);
  self->issue_titles = g_ptr_array_new_with_free_func (g_free);
  self->workers = g_ptr_array_new_with_free_func (g_free);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  fill_strings (self->claim_filter, claim_choices);
  fill_strings (self->status_filter, status_choices);
  fill_strings (self->sort_order, sort_choices);
  g_signal_connect_swapped (self->claim_filter, "notify::selected", G_CALLBACK (filter_changed),
                            self);
  g_signal_connect_swapped (self->status_filter, "notify::selected", G_CALLBACK (filter_changed),
                            self);
  g_signal_connect_swapped (self->worker_filter, "notify::selected", G_CALLBACK (filter_changed),
                            self);
  g_signal_connect_swapped (self->issue_filter, "notify::selected",
                            G_CALLBACK (issue_filter_changed_cb), self);

  self->families = g_list_store_new (FO_TYPE_FAMILY_ITEM);
  /* Sorted first, then filtered: a keystroke then only filters, and never sorts again. */
  self->sorter = gtk_custom_sorter_new (compare_families, self, NULL);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->families)),
                                          GTK_SORTER (g_object_ref (self->sorter)));
  self->filter = gtk_custom_filter_new (family_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sorted)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_swapped (self->sort_order, "notify::selected",
                            G_CALLBACK (gtk_sorter_changed), self->sorter);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->family_list, factory);
  gtk_list_view_set_model (self->family_list, GTK_SELECTION_MODEL (self->selection));
  fo_accessible_set_label (self->family_list, _("Families"));

  gtk_menu_button_set_menu_model (self->add_record_button, add_menu);
  gtk_stack_switcher_set_stack (self->view_switcher, fo_family_page_get_stack (self->family_page));
  g_signal_connect_swapped (self->family_page, "family-saved", G_CALLBACK (family_saved_cb),
                            self);

  /* Icon-only buttons are named for screen readers, as their tooltips name them for others. */
  fo_accessible_set_label (self->menu_button, _("Main Menu"));
  fo_accessible_set_label (self->welcome_menu_button, _("Main Menu"));
  fo_accessible_set_label (self->filter_button, _("Filter and Sort"));
  fo_accessible_set_label (self->family_menu_button, _("Family Menu"));
  fo_accessible_set_label (self->add_record_button, _("Add Record"));
  fo_accessible_set_label (self->new_family_button, _("New Family"));
  fo_accessible_set_label (self->back_button, _("Back to Families"));
  fo_accessible_set_label (self->search_entry, _("Search families"));
  fo_accessible_set_label (self->view_switcher, _("Family views"));
  fo_accessible_set_label (self->leaflet, _("Families and the selected family"));
  fo_accessible_set_label (self->sidebar_title, _("Families"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_record_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->family_menu_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher), FALSE);
  fo_accessible_tidy_on_map (GTK_WIDGET (self));
}

FoMainWindow *
fo_main_window_new (AdwApplication *application)
{
  return g_object_new (FO_TYPE_MAIN_WINDOW, "application", application, NULL);
}
