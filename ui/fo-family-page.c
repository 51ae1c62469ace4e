/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-family-page"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-accessible.h"
#include "fo-explain.h"
#include "fo-family-edit.h"
#include "fo-family-page.h"
#include "fo-record-editor.h"
#include "fo-star-chart-view.h"

/*
 * The selected family: a header with the claim position, the indicator/outcome matrix of each
 * headline issue, the Family Star Plus chart with its table, the timeline and the members.
 * Every change goes through a form, is saved at once in one transaction, and the page shows
 * the family's new verdict as the session returns it.
 */

struct _FoFamilyPage
{
  AdwBin        parent_instance;

  FoSession    *session;
  FoFamilyView *view;
  char         *actor;
  gboolean      read_only;

  /* template widgets */
  GtkWidget    *title_label;
  GtkWidget    *facts_label;
  GtkWidget    *claim_badge;
  GtkWidget    *claim_icon;
  GtkWidget    *claim_label;
  GtkWidget    *blockers_label;
  GtkStack     *stack;
  GtkWidget    *outcomes_box;
  GtkWidget    *star_box;
  GtkWidget    *timeline_box;
  GtkWidget    *members_box;

  gboolean      timeline_stale;
  gboolean      members_stale;

  GtkWidget    *star_chart;
  GtkWidget    *reading_choice;
  GtkWidget    *star_table;
};

enum {
  FAMILY_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FoFamilyPage, fo_family_page, ADW_TYPE_BIN)

static void save_family (FoFamilyPage   *self,
                         FoFamily       *edited,
                         FoRecordEditor *editor,
                         const char     *done_message,
                         JsonObject     *undo_object,
                         FoEditTarget    undo_target);

static void
toast (FoFamilyPage *self,
       AdwToast     *new_toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    {
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), new_toast);
      fo_accessible_tidy_soon (overlay);
    }
  else
    g_object_unref (g_object_ref_sink (new_toast));
}

static void
toast_text (FoFamilyPage *self,
            const char   *text)
{
  toast (self, adw_toast_new (text));
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* An icon-only button still has a name for screen readers, and a tooltip for everyone. */
static GtkWidget *
icon_button_new (const char *icon_name,
                 const char *accessible_name,
                 const char *action_name,
                 const char *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, accessible_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  return button;
}

static char *
display_day (FoDay day)
{
  char *text = fo_day_to_display (day);

  return text != NULL ? text : g_strdup (_("unknown date"));
}

/* What one cell of the matrix says, in words: colour only ever repeats it. */
static char *
outcome_state_text (const FoOutcomeResult *result,
                    const char          **out_icon,
                    const char          **out_class)
{
  g_autofree char *progress = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;

  if (result->progress.unit != FO_PROGRESS_NONE && result->progress.needed > 0)
    progress = fo_progress_to_string (&result->progress);

  switch (result->state)
    {
    case FO_STATE_SUSTAINED:
      *out_icon = "emblem-ok-symbolic";
      *out_class = "sustained";
      since = display_day (result->sustained_since);
      return g_strdup_printf (_("Sustained since\n%s"), since);

    case FO_STATE_ACHIEVED:
      *out_icon = "object-select-symbolic";
      *out_class = "achieved";
      since = display_day (result->achieved_since);
      if (result->projected_sustained != 0)
        {
          until = display_day (result->projected_sustained);
          return g_strdup_printf (_("Achieved since\n%s; sustained\non %s if it holds"), since,
                                  until);
        }
      return g_strdup_printf (_("Achieved since\n%s"), since);

    case FO_STATE_NOT_MET:
      *out_icon = "window-close-symbolic";
      *out_class = "not-met";
      if (progress != NULL)
        return g_strdup_printf (_("Not met\n%s"), progress);
      return g_strdup (_("Not met"));

    case FO_STATE_INSUFFICIENT_DATA:
      *out_icon = "dialog-question-symbolic";
      *out_class = "insufficient";
      return g_strdup (_("Not enough data"));

    case FO_STATE_NOT_APPLICABLE:
    default:
      *out_icon = "action-unavailable-symbolic";
      *out_class = "not-applicable";
      return g_strdup (_("Not applicable"));
    }
}

static const char *
issue_state_text (FoIssueState state)
{
  switch (state)
    {
    case FO_ISSUE_MET:
      return _("Progress met");
    case FO_ISSUE_IDENTIFIED:
      return _("Identified");
    case FO_ISSUE_NOT_IDENTIFIED:
    default:
      return _("Not identified");
    }
}

static char *
identified_text (const FoFamily          *family,
                 const FoIndicatorResult *result)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (!result->identified)
    return g_strdup (_("Not identified"));
  if (result->by_practitioner)
    return g_strdup (_("Identified by a practitioner"));
  if (result->family_level || result->members == 0)
    return g_strdup (_("Identified for the family"));
  for (guint i = 0; i < family->members->len && i < 64; i++)
    if (result->members & (G_GUINT64_CONSTANT (1) << i))
      g_string_append_printf (names, "%s%s", names->len ? ", " : "",
                              fo_family_member (family, i)->name);
  return g_strdup_printf (_("Identified for %s"), names->str);
}

/* The reasoning behind a verdict, one node a line, indented like the rule it follows. */
static void
append_trace (GtkWidget     *box,
              const FoTrace *trace,
              guint          depth)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon, *text_box;
  g_autoptr(GString) line = g_string_new (trace->summary);
  const char *verdict;

  if (trace->not_applicable)
    verdict = _("does not apply");
  else if (trace->insufficient)
    verdict = _("not enough data");
  else if (trace->sustained)
    verdict = _("holds, sustained");
  else if (trace->holds)
    verdict = _("holds");
  else
    verdict = _("does not hold");
  icon = gtk_image_new_from_icon_name (trace->holds ? "object-select-symbolic"
                                                    : "window-close-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, verdict,
                                  -1);
  gtk_widget_add_css_class (icon, trace->holds ? "success" : "dim-label");
  g_string_append_printf (line, " — %s", verdict);
  if (trace->since != 0)
    {
      g_autofree char *since = display_day (trace->since);

      g_string_append_printf (line, _(", since %s"), since);
    }
  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_box_append (GTK_BOX (text_box), label_new (line->str, NULL));
  for (guint i = 0; trace->facts != NULL && i < trace->facts->len; i++)
    {
      GtkWidget *fact = label_new (g_ptr_array_index (trace->facts, i), "dim-label");

      gtk_label_set_selectable (GTK_LABEL (fact), TRUE);
      gtk_box_append (GTK_BOX (text_box), fact);
    }
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), text_box);
  gtk_widget_set_margin_start (row, depth * 20);
  gtk_box_append (GTK_BOX (box), row);
  for (guint i = 0; trace->children != NULL && i < trace->children->len; i++)
    append_trace (box, g_ptr_array_index (trace->children, i), depth + 1);
}

static void
free_closure_text (gpointer  text,
                   GClosure *closure)
{
  g_free (text);
}

static void
copy_explanation_cb (GtkButton  *button,
                     const char *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);
}

static void
explain (FoFamilyPage *self,
         const char   *indicator_id,
         int           outcome_index)
{
  const FoEvaluation *evaluation = self->view->evaluation;
  const FoIndicatorResult *indicator = fo_evaluation_indicator (evaluation, indicator_id);
  const FoIndicator *plan_indicator;
  const FoOutcome *outcome = NULL;
  const FoOutcomeResult *result = NULL;
  g_autofree char *title = NULL;
  g_autofree char *identified = NULL;
  g_autofree char *full_text = NULL;
  GtkWidget *window, *toolbar, *header, *scroller, *clamp, *box, *copy;

  g_return_if_fail (indicator != NULL);

  plan_indicator = indicator->indicator;
  if (outcome_index >= 0 && (guint) outcome_index < plan_indicator->effective->len)
    {
      outcome = g_ptr_array_index (plan_indicator->effective, outcome_index);
      result = (guint) outcome_index < indicator->n_outcomes
               ? &indicator->outcomes[outcome_index]
               : fo_evaluation_not_applicable (evaluation, outcome);
    }

  title = outcome != NULL ? g_strdup_printf (_("%s · Outcome %s"), plan_indicator->id,
                                             outcome->number)
                          : g_strdup (plan_indicator->id);
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  full_text = fo_explain_indicator (evaluation, indicator_id, NULL);
  copy = gtk_button_new_with_mnemonic (_("_Copy as Text"));
  g_signal_connect_data (copy, "clicked", G_CALLBACK (copy_explanation_cb),
                         g_steal_pointer (&full_text), free_closure_text, 0);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), copy);
  gtk_box_append (GTK_BOX (toolbar), header);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  {
    g_autofree char *heading = g_strdup_printf ("%s %s", plan_indicator->number,
                                                plan_indicator->title);

    gtk_box_append (GTK_BOX (box), label_new (heading, "title-3"));
  }
  if (plan_indicator->text != NULL)
    gtk_box_append (GTK_BOX (box), label_new (plan_indicator->text, "dim-label"));
  identified = identified_text (self->view->family, indicator);
  gtk_box_append (GTK_BOX (box), label_new (identified, "heading"));
  if (indicator->reason != NULL)
    gtk_box_append (GTK_BOX (box), label_new (indicator->reason, NULL));

  if (outcome != NULL)
    {
      const char *icon, *css_class;
      g_autofree char *state = outcome_state_text (result, &icon, &css_class);
      g_autofree char *heading = g_strdup_printf (_("Outcome %s"), outcome->number);
      GtkWidget *state_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *state_icon = gtk_image_new_from_icon_name (icon);
      GtkWidget *state_label = label_new (state, "heading");

      gtk_widget_set_margin_top (state_row, 12);
      gtk_accessible_update_property (GTK_ACCESSIBLE (state_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);
      gtk_box_append (GTK_BOX (box), label_new (heading, "title-4"));
      gtk_box_append (GTK_BOX (box), label_new (outcome->text, NULL));
      gtk_widget_add_css_class (state_row, css_class);
      gtk_box_append (GTK_BOX (state_row), state_icon);
      gtk_box_append (GTK_BOX (state_row), state_label);
      gtk_box_append (GTK_BOX (box), state_row);
      if (result->reason != NULL)
        gtk_box_append (GTK_BOX (box), label_new (result->reason, NULL));
      if (result->trace != NULL)
        {
          gtk_box_append (GTK_BOX (box), label_new (_("The facts behind it"), "title-4"));
          append_trace (box, result->trace, 0);
        }
    }
  if (indicator->entry_trace != NULL)
    {
      gtk_box_append (GTK_BOX (box), label_new (_("How it was identified"), "title-4"));
      append_trace (box, indicator->entry_trace, 0);
    }

  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (toolbar), scroller);
  adw_window_set_content (ADW_WINDOW (window), toolbar);
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    /* A window that only explains closes as a dialog does. */
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                    0),
                                                            gtk_named_action_new ("window.close")));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_w,
                                                                                    GDK_CONTROL_MASK),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (window, keys);
  }
  fo_accessible_tidy_on_map (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
explain_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FoFamilyPage *self = FO_FAMILY_PAGE (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  const char *space = strchr (target, ' ');
  g_autofree char *indicator_id = NULL;

  if (self->view == NULL || self->view->evaluation == NULL)
    return;
  indicator_id = space != NULL ? g_strndup (target, space - target) : g_strdup (target);
  explain (self, indicator_id, space != NULL ? atoi (space + 1) : -1);
}

static GtkWidget *
matrix_cell_new (const FoIndicator     *indicator,
                 const FoOutcome       *outcome,
                 guint                  index,
                 const FoOutcomeResult *result,
                 gboolean               identified)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon, *label;
  const char *icon_name, *css_class;
  g_autofree char *state = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *target = NULL;

  if (!identified)
    {
      state = g_strdup (_("Not identified"));
      icon_name = "action-unavailable-symbolic";
      css_class = "not-identified";
    }
  else
    state = outcome_state_text (result, &icon_name, &css_class);

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, state,
                                  -1);
  /* Cells break their lines where the text says, never by width: a wrapping label in a
   * scrolling grid is measured at its narrowest, which makes rows needlessly tall. */
  label = label_new (state, NULL);
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "matrix-cell");
  gtk_widget_add_css_class (button, css_class);
  gtk_widget_set_tooltip_text (button, outcome->text);
  /* The state is read out in words, with which indicator and outcome it belongs to. */
  accessible = g_strdup_printf (_("%s outcome %s: %s"), indicator->id, outcome->number, state);
  g_strdelimit (accessible, "\n", ' ');
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  target = g_strdup_printf ("%s %u", indicator->id, index);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "family.explain");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  return button;
}

static GtkWidget *
issue_matrix_new (FoFamilyPage        *self,
                  const FoIssueResult *issue)
{
  const FoFamily *family = self->view->family;
  GtkWidget *group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *heading_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *state, *scroller, *grid;
  g_autofree char *heading = g_strdup_printf ("%s · %s", issue->issue->id, issue->issue->title);
  guint columns = 0;

  gtk_widget_add_css_class (group, "issue");
  {
    GtkWidget *title = label_new (heading, "title-4");

    gtk_widget_set_hexpand (title, TRUE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2,
                                    -1);
    gtk_box_append (GTK_BOX (heading_row), title);
  }
  state = gtk_label_new (issue_state_text (issue->state));
  gtk_widget_add_css_class (state, "issue-state");
  gtk_widget_add_css_class (state, fo_issue_state_to_string (issue->state));
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (heading_row), state);
  gtk_box_append (GTK_BOX (group), heading_row);

  for (guint i = 0; i < issue->n_indicators; i++)
    columns = MAX (columns, issue->indicators[i].indicator->effective->len);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "matrix");
  gtk_grid_attach (GTK_GRID (grid), label_new (_("Indicator"), "heading"), 0, 0, 1, 1);
  for (guint c = 0; c < columns; c++)
    {
      g_autofree char *text = g_strdup_printf (_("Outcome %u"), c + 1);

      gtk_grid_attach (GTK_GRID (grid), label_new (text, "heading"), c + 1, 0, 1, 1);
    }
  for (guint i = 0; i < issue->n_indicators; i++)
    {
      const FoIndicatorResult *result = &issue->indicators[i];
      const FoIndicator *indicator = result->indicator;
      GtkWidget *name_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *name = g_strdup_printf ("%s %s", indicator->number, indicator->title);
      g_autofree char *identified = identified_text (family, result);
      g_autofree char *target = g_strdup (indicator->id);
      GtkWidget *name_button = gtk_button_new ();
      GtkWidget *name_label = label_new (name, NULL);
      g_autofree char *accessible = g_strdup_printf ("%s: %s", name, identified);

      gtk_label_set_width_chars (GTK_LABEL (name_label), 28);
      gtk_label_set_max_width_chars (GTK_LABEL (name_label), 40);
      gtk_box_append (GTK_BOX (name_box), name_label);
      gtk_box_append (GTK_BOX (name_box), label_new (identified, "caption"));
      gtk_button_set_child (GTK_BUTTON (name_button), name_box);
      gtk_widget_add_css_class (name_button, "flat");
      gtk_widget_add_css_class (name_button, "matrix-indicator");
      if (!result->identified)
        gtk_widget_add_css_class (name_box, "dim-label");
      gtk_widget_set_hexpand (name_button, TRUE);
      gtk_widget_set_tooltip_text (name_button, indicator->text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (name_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (name_button), "family.explain");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (name_button), "s", target);
      gtk_grid_attach (GTK_GRID (grid), name_button, 0, i + 1, 1, 1);

      for (guint o = 0; o < indicator->effective->len; o++)
        {
          const FoOutcome *outcome = g_ptr_array_index (indicator->effective, o);
          const FoOutcomeResult *outcome_result = o < result->n_outcomes
                                                  ? &result->outcomes[o] : NULL;

          gtk_grid_attach (GTK_GRID (grid),
                           matrix_cell_new (indicator, outcome, o, outcome_result,
                                            result->identified && outcome_result != NULL),
                           o + 1, i + 1, 1, 1);
        }
    }
  /* A plan with many outcomes scrolls sideways rather than squeezing the text. */
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  gtk_box_append (GTK_BOX (group), scroller);
  return group;
}

static void
show_header (FoFamilyPage *self)
{
  const FoFamily *family = self->view->family;
  const FoEvaluation *evaluation = self->view->evaluation;
  g_autoptr(GString) facts = g_string_new (family->reference);
  g_autofree char *start = display_day (family->entry_date);
  g_autofree char *badge = NULL;
  const char *icon = "dialog-information-symbolic";
  const char *css_class = "neutral";

  gtk_label_set_text (GTK_LABEL (self->title_label),
                      family->name != NULL ? family->name : family->reference);
  if (family->key_worker != NULL)
    g_string_append_printf (facts, _(" · Key worker %s"), family->key_worker);
  g_string_append_printf (facts, " · %s", self->view->plan != NULL ? self->view->plan->title
                                                                  : _("No plan"));
  g_string_append_printf (facts, _(" · Started %s"), start);
  if (family->closure_date != 0)
    {
      g_autofree char *closed = display_day (family->closure_date);

      g_string_append_printf (facts, _(" · Closed %s"), closed);
    }
  else
    g_string_append (facts, _(" · Open"));
  gtk_label_set_text (GTK_LABEL (self->facts_label), facts->str);

  gtk_widget_set_visible (self->blockers_label, FALSE);
  if (evaluation == NULL)
    {
      badge = g_strdup_printf (_("The plan “%s” is not loaded"),
                               family->plan != NULL ? family->plan : "");
      icon = "dialog-warning-symbolic";
      css_class = "warning";
    }
  else if (evaluation->claimable)
    {
      g_autofree char *from = display_day (evaluation->claimable_from);

      badge = g_strdup_printf (_("Claimable from %s"), from);
      icon = "emblem-ok-symbolic";
      css_class = "success";
    }
  else
    {
      if (evaluation->projected_claimable != 0)
        {
          g_autofree char *from = display_day (evaluation->projected_claimable);

          badge = g_strdup_printf (_("Claimable from %s if progress holds"), from);
        }
      else if (!evaluation->eligible)
        badge = g_strdup (_("Not eligible"));
      else
        badge = g_strdup (_("Not claimable yet"));
      icon = "dialog-warning-symbolic";
      css_class = "warning";
      if (evaluation->blockers != NULL && evaluation->blockers->len > 0)
        {
          g_autoptr(GString) blockers = g_string_new (_("What blocks the claim:"));

          for (guint i = 0; i < evaluation->blockers->len && i < 4; i++)
            g_string_append_printf (blockers, "\n• %s",
                                    (char *) g_ptr_array_index (evaluation->blockers, i));
          if (evaluation->blockers->len > 4)
            g_string_append_printf (blockers, _("\n… and %u more"), evaluation->blockers->len - 4);
          gtk_label_set_text (GTK_LABEL (self->blockers_label), blockers->str);
          gtk_widget_set_visible (self->blockers_label, TRUE);
        }
      else if (!evaluation->eligible && evaluation->eligibility_reasons != NULL &&
               evaluation->eligibility_reasons->len > 0)
        {
          gtk_label_set_text (GTK_LABEL (self->blockers_label),
                              g_ptr_array_index (evaluation->eligibility_reasons, 0));
          gtk_widget_set_visible (self->blockers_label, TRUE);
        }
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (self->claim_icon), icon);
  gtk_label_set_text (GTK_LABEL (self->claim_label), badge);
  gtk_widget_remove_css_class (self->claim_badge, "success");
  gtk_widget_remove_css_class (self->claim_badge, "warning");
  gtk_widget_remove_css_class (self->claim_badge, "neutral");
  gtk_widget_add_css_class (self->claim_badge, css_class);
}

static void
show_outcomes (FoFamilyPage *self)
{
  const FoEvaluation *evaluation = self->view->evaluation;

  clear_box (self->outcomes_box);
  if (evaluation == NULL)
    {
      gtk_box_append (GTK_BOX (self->outcomes_box),
                      label_new (_("This family’s plan is not loaded, so it cannot be "
                                   "evaluated. Choose a plan in the family’s details."), NULL));
      return;
    }
  {
    g_autofree char *as_of = display_day (evaluation->as_of);
    g_autofree char *text = g_strdup_printf (_("As of %s. Select a cell to see the reasoning "
                                               "and the facts behind it."), as_of);

    gtk_box_append (GTK_BOX (self->outcomes_box), label_new (text, "dim-label"));
  }
  for (guint i = 0; i < evaluation->n_issues; i++)
    gtk_box_append (GTK_BOX (self->outcomes_box), issue_matrix_new (self, &evaluation->issues[i]));
}

static GPtrArray *
star_readings (const FoFamily *family)
{
  return family->by_kind[FO_KIND_STAR_READING];
}

static void
show_star_table (FoFamilyPage *self)
{
  GPtrArray *readings = star_readings (self->view->family);
  GtkWidget *grid = self->star_table;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
  if (readings == NULL || readings->len == 0)
    return;
  gtk_grid_attach (GTK_GRID (grid), label_new (_("Area"), "heading"), 0, 0, 1, 1);
  for (guint r = 0; r < readings->len; r++)
    {
      const FoEvent *reading = g_ptr_array_index (readings, r);
      g_autofree char *date = display_day (reading->start);
      GtkWidget *header = label_new (date, "heading");

      gtk_label_set_xalign (GTK_LABEL (header), 1);
      gtk_grid_attach (GTK_GRID (grid), header, r + 1, 0, 1, 1);
    }
  for (guint a = 0; a < FO_STAR_AREAS; a++)
    {
      gtk_grid_attach (GTK_GRID (grid), label_new (fo_star_area_label (a), NULL), 0, a + 1, 1, 1);
      for (guint r = 0; r < readings->len; r++)
        {
          const FoEvent *reading = g_ptr_array_index (readings, r);
          g_autofree char *value = g_strdup_printf ("%d", reading->scores[a]);
          GtkWidget *cell = label_new (value, "numeric");

          gtk_label_set_xalign (GTK_LABEL (cell), 1);
          gtk_grid_attach (GTK_GRID (grid), cell, r + 1, a + 1, 1, 1);
        }
    }
}

static void
reading_chosen_cb (FoFamilyPage *self)
{
  GPtrArray *readings;
  guint selected;

  if (self->view == NULL)
    return;
  readings = star_readings (self->view->family);
  selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->reading_choice));
  fo_star_chart_view_set_chosen (FO_STAR_CHART_VIEW (self->star_chart),
                                 readings != NULL && selected > 0 && selected <= readings->len
                                 ? (int) selected - 1 : -1);
}

static void
show_star (FoFamilyPage *self)
{
  GPtrArray *readings = star_readings (self->view->family);
  g_autoptr(GStrvBuilder) choices = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  g_autoptr(GtkStringList) model = NULL;

  fo_star_chart_view_set_family (FO_STAR_CHART_VIEW (self->star_chart), self->view->family);
  g_strv_builder_add (choices, _("First and latest only"));
  for (guint r = 0; readings != NULL && r < readings->len; r++)
    {
      const FoEvent *reading = g_ptr_array_index (readings, r);
      g_autofree char *date = display_day (reading->start);

      g_strv_builder_add (choices, date);
    }
  labels = g_strv_builder_end (choices);
  model = gtk_string_list_new ((const char * const *) labels);
  g_signal_handlers_block_by_func (self->reading_choice, reading_chosen_cb, self);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->reading_choice), G_LIST_MODEL (model));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->reading_choice), 0);
  g_signal_handlers_unblock_by_func (self->reading_choice, reading_chosen_cb, self);
  show_star_table (self);
}

static GtkWidget *
boxed_list_new (const char *name)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  fo_accessible_set_label (list, name);
  return list;
}

static GtkWidget *
record_row_new (FoFamilyPage  *self,
                const FoEvent *event)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = display_day (event->start);
  g_autofree char *what = fo_record_describe (self->view->family, event);
  g_autofree char *edit_name = g_strdup_printf (_("Edit %s"), what);
  g_autofree char *delete_name = g_strdup_printf (_("Delete %s"), what);

  if (fo_kind_is_spell (event->kind))
    {
      g_autofree char *start = g_steal_pointer (&when);

      if (event->end != 0)
        {
          g_autofree char *end = display_day (event->end);

          when = g_strdup_printf (_("%s to %s"), start, end);
        }
      else
        when = g_strdup_printf (_("%s, ongoing"), start);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), what);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (!self->read_only && fo_record_type_for_kind (fo_kind_names[event->kind]) != NULL)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button_new ("document-edit-symbolic", edit_name,
                                                  "family.edit-record", event->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button_new ("user-trash-symbolic", delete_name,
                                                  "family.delete-record", event->id));
    }
  return row;
}

static void
show_timeline (FoFamilyPage *self)
{
  const FoFamily *family = self->view->family;
  GPtrArray *evidence = family->by_kind[FO_KIND_EVIDENCE];
  GtkWidget *list;

  clear_box (self->timeline_box);
  if (evidence != NULL && evidence->len > 0)
    {
      gtk_box_append (GTK_BOX (self->timeline_box), label_new (_("Evidence"), "title-4"));
      list = boxed_list_new (_("Evidence"));
      for (guint i = evidence->len; i-- > 0;)
        {
          const FoEvent *event = g_ptr_array_index (evidence, i);
          GtkWidget *row = record_row_new (self, event);

          if (event->text != NULL)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), event->text);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
      gtk_box_append (GTK_BOX (self->timeline_box), list);
    }

  gtk_box_append (GTK_BOX (self->timeline_box), label_new (_("Records, newest first"), "title-4"));
  if (family->events->len == 0)
    {
      gtk_box_append (GTK_BOX (self->timeline_box),
                      label_new (_("No records yet. Add one with the Add Record button or "
                                   "Ctrl+Shift+A."), "dim-label"));
      return;
    }
  list = boxed_list_new (_("Records"));
  for (guint i = family->events->len; i-- > 0;)
    {
      const FoEvent *event = g_ptr_array_index (family->events, i);

      if (event->kind != FO_KIND_EVIDENCE)
        gtk_list_box_append (GTK_LIST_BOX (list), record_row_new (self, event));
    }
  gtk_box_append (GTK_BOX (self->timeline_box), list);
}

static void
show_members (FoFamilyPage *self)
{
  const FoFamily *family = self->view->family;
  static const char *const role_labels[] = { N_("Parent"), N_("Carer"), N_("Child"), N_("Other") };
  GtkWidget *list, *add;

  clear_box (self->members_box);
  list = boxed_list_new (_("Members"));
  for (guint i = 0; i < family->members->len; i++)
    {
      const FoMember *member = g_ptr_array_index (family->members, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = g_strdup_printf (_("%s · born %d · age %d"),
                                                   _(role_labels[member->role]),
                                                   fo_day_year (member->dob),
                                                   fo_age_years (member->dob,
                                                                 fo_session_get_as_of (self->session)));
      g_autofree char *edit_name = g_strdup_printf (_("Edit %s"), member->name);
      g_autofree char *delete_name = g_strdup_printf (_("Remove %s"), member->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (!self->read_only)
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     icon_button_new ("document-edit-symbolic", edit_name,
                                                      "family.edit-member", member->id));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     icon_button_new ("user-trash-symbolic", delete_name,
                                                      "family.delete-member", member->id));
        }
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_box_append (GTK_BOX (self->members_box), list);
  add = gtk_button_new_with_mnemonic (_("_Add Member…"));
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "family.add-member");
  gtk_widget_set_visible (add, !self->read_only);
  gtk_box_append (GTK_BOX (self->members_box), add);
}

static void
show_visible_lists (FoFamilyPage *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);

  if (self->view == NULL)
    return;
  if (self->timeline_stale && g_strcmp0 (visible, "timeline") == 0)
    {
      self->timeline_stale = FALSE;
      show_timeline (self);
      fo_accessible_tidy (self->timeline_box);
    }
  if (self->members_stale && g_strcmp0 (visible, "members") == 0)
    {
      self->members_stale = FALSE;
      show_members (self);
      fo_accessible_tidy (self->members_box);
    }
}

/**
 * fo_family_page_show:
 * @view: (transfer full): the family to show
 */
void
fo_family_page_show (FoFamilyPage *self,
                     FoFamilyView *view)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));
  g_return_if_fail (view != NULL);

  g_clear_pointer (&self->view, fo_family_view_free);
  self->view = view;
  show_header (self);
  show_outcomes (self);
  show_star (self);
  /* The timeline and the members are built when first looked at: opening a family shows
   * its outcomes first, and every widget built costs time before the page appears. */
  self->timeline_stale = TRUE;
  self->members_stale = TRUE;
  show_visible_lists (self);
  fo_accessible_tidy (GTK_WIDGET (self));
}

const FoFamilyView *
fo_family_page_get_view (FoFamilyPage *self)
{
  g_return_val_if_fail (FO_IS_FAMILY_PAGE (self), NULL);
  return self->view;
}

typedef struct
{
  FoFamilyPage   *page;
  FoRecordEditor *editor;
  char           *done_message;
  JsonObject     *undo_object;
  FoEditTarget    undo_target;
} SaveData;

static void
save_data_free (SaveData *data);

static void
save_data_closure_free (gpointer  data,
                        GClosure *closure)
{
  save_data_free (data);
}

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->page);
  g_clear_object (&data->editor);
  g_free (data->done_message);
  g_clear_pointer (&data->undo_object, json_object_unref);
  g_free (data);
}

static void
undo_clicked_cb (AdwToast   *undo_toast,
                 SaveData   *data)
{
  FoFamilyPage *self = data->page;
  g_autoptr(GError) error = NULL;
  FoEditFault fault = { 0 };
  FoFamily *restored;

  if (self->view == NULL)
    return;
  restored = fo_family_edit (self->view->family, data->undo_target, NULL, data->undo_object,
                             &fault, &error);
  if (restored == NULL)
    {
      toast_text (self, fault.message);
      fo_edit_fault_clear (&fault);
      return;
    }
  save_family (self, restored, NULL, _("Restored"), NULL, FO_EDIT_EVENT);
}

static void
reload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FoFamilyPage) self = user_data;
  g_autoptr(GError) error = NULL;
  FoFamilyView *view = fo_session_load_family_finish (FO_SESSION (source), result, &error);

  if (view == NULL)
    {
      toast_text (self, error->message);
      return;
    }
  fo_family_page_show (self, view);
  g_signal_emit (self, signals[FAMILY_SAVED], 0, self->view->summary);
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SaveData *data = user_data;
  FoFamilyPage *self = data->page;
  g_autoptr(GError) error = NULL;
  FoFamilyView *view = fo_session_save_family_finish (FO_SESSION (source), result, &error);

  if (view == NULL)
    {
      if (data->editor != NULL)
        fo_record_editor_show_fault (data->editor, NULL, error->message);
      else
        toast_text (self, error->message);
      /* Someone else's change wins the race: show it, so nothing is overwritten unseen. */
      if (g_error_matches (error, FO_SESSION_ERROR, FO_SESSION_ERROR_CONFLICT) &&
          self->view != NULL)
        fo_session_load_family_async (self->session, self->view->family->reference, NULL,
                                      reload_done_cb, g_object_ref (self));
      save_data_free (data);
      return;
    }
  if (data->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (data->editor));
  fo_family_page_show (self, view);
  g_signal_emit (self, signals[FAMILY_SAVED], 0, self->view->summary);
  if (data->undo_object != NULL)
    {
      AdwToast *undo_toast = adw_toast_new (data->done_message);

      adw_toast_set_button_label (undo_toast, _("_Undo"));
      adw_toast_set_priority (undo_toast, ADW_TOAST_PRIORITY_HIGH);
      g_signal_connect_data (undo_toast, "button-clicked", G_CALLBACK (undo_clicked_cb),
                             g_steal_pointer (&data), save_data_closure_free, 0);
      toast (self, undo_toast);
      return;
    }
  if (data->done_message != NULL)
    toast_text (self, data->done_message);
  save_data_free (data);
}

static void
save_family (FoFamilyPage   *self,
             FoFamily       *edited,
             FoRecordEditor *editor,
             const char     *done_message,
             JsonObject     *undo_object,
             FoEditTarget    undo_target)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->page = g_object_ref (self);
  data->editor = editor != NULL ? g_object_ref (editor) : NULL;
  data->done_message = g_strdup (done_message);
  data->undo_object = undo_object != NULL ? json_object_ref (undo_object) : NULL;
  data->undo_target = undo_target;
  if (editor != NULL)
    fo_record_editor_set_busy (editor, TRUE);
  fo_session_save_family_async (self->session, edited, self->view->data_version, self->actor,
                                NULL, save_done_cb, data);
}

static void
editor_save_cb (FoRecordEditor *editor,
                JsonObject     *object,
                FoFamilyPage   *self)
{
  g_autoptr(GError) error = NULL;
  FoEditFault fault = { 0 };
  FoEditTarget target = fo_record_editor_get_target (editor);
  gboolean existing = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (editor), "existing"));
  FoFamily *edited;

  if (self->view == NULL)
    return;
  edited = fo_family_edit (self->view->family, target,
                           existing ? fo_record_editor_get_id (editor) : NULL, object, &fault,
                           &error);
  if (edited == NULL)
    {
      fo_record_editor_show_fault (editor, fault.field, fault.message);
      fo_edit_fault_clear (&fault);
      return;
    }
  save_family (self, edited, editor, existing ? _("Saved") : _("Added"), NULL, target);
}

static void
open_editor (FoFamilyPage *self,
             const char   *record_type,
             FoEditTarget  target,
             const char   *id)
{
  g_autoptr(JsonObject) existing = NULL;
  FoRecordEditor *editor;

  if (self->view == NULL || self->read_only)
    return;
  if (target == FO_EDIT_DETAILS || id != NULL)
    existing = fo_family_find_object (self->view->family, target, id);
  editor = fo_record_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                 record_type, self->view->family,
                                 fo_session_get_plans (self->session), existing);
  g_object_set_data (G_OBJECT (editor), "existing", GINT_TO_POINTER (existing != NULL));
  g_signal_connect_object (editor, "save", G_CALLBACK (editor_save_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

void
fo_family_page_add_record (FoFamilyPage *self,
                           const char   *record_type)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));
  open_editor (self, record_type, FO_EDIT_EVENT, NULL);
}

void
fo_family_page_edit_details (FoFamilyPage *self)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));
  open_editor (self, "details", FO_EDIT_DETAILS, NULL);
}

void
fo_family_page_add_member (FoFamilyPage *self)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));
  open_editor (self, "member", FO_EDIT_MEMBER, NULL);
}

static void
add_member_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_editor (FO_FAMILY_PAGE (widget), "member", FO_EDIT_MEMBER, NULL);
}

static void
edit_member_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_editor (FO_FAMILY_PAGE (widget), "member", FO_EDIT_MEMBER,
               g_variant_get_string (parameter, NULL));
}

static void
edit_record_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FoFamilyPage *self = FO_FAMILY_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(JsonObject) existing = NULL;
  const char *record_type;

  if (self->view == NULL)
    return;
  existing = fo_family_find_object (self->view->family, FO_EDIT_EVENT, id);
  if (existing == NULL)
    return;
  record_type = fo_record_type_for_kind (json_object_get_string_member (existing, "kind"));
  if (record_type != NULL)
    open_editor (self, record_type, FO_EDIT_EVENT, id);
}

/* Deleting saves at once and offers Undo, which adds the same record back. */
static void
delete_object (FoFamilyPage *self,
               FoEditTarget  target,
               const char   *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) removed = NULL;
  FoEditFault fault = { 0 };
  FoFamily *edited;

  if (self->view == NULL || self->read_only)
    return;
  removed = fo_family_find_object (self->view->family, target, id);
  edited = fo_family_edit (self->view->family, target, id, NULL, &fault, &error);
  if (edited == NULL)
    {
      g_autofree char *message = target == FO_EDIT_MEMBER
        ? g_strdup_printf (_("This member cannot be removed while records name them: %s"),
                           fault.message)
        : g_strdup (fault.message);

      toast_text (self, message);
      fo_edit_fault_clear (&fault);
      return;
    }
  save_family (self, edited, NULL,
               target == FO_EDIT_MEMBER ? _("Member removed") : _("Record deleted"), removed,
               target);
}

static void
delete_record_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  delete_object (FO_FAMILY_PAGE (widget), FO_EDIT_EVENT, g_variant_get_string (parameter, NULL));
}

static void
delete_member_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  delete_object (FO_FAMILY_PAGE (widget), FO_EDIT_MEMBER, g_variant_get_string (parameter, NULL));
}

static void
fo_family_page_dispose (GObject *object)
{
  FoFamilyPage *self = FO_FAMILY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FO_TYPE_FAMILY_PAGE);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (fo_family_page_parent_class)->dispose (object);
}

static void
fo_family_page_finalize (GObject *object)
{
  FoFamilyPage *self = FO_FAMILY_PAGE (object);

  g_clear_pointer (&self->view, fo_family_view_free);
  g_clear_pointer (&self->actor, g_free);

  G_OBJECT_CLASS (fo_family_page_parent_class)->finalize (object);
}

static void
fo_family_page_class_init (FoFamilyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fo_family_page_dispose;
  object_class->finalize = fo_family_page_finalize;

  /**
   * FoFamilyPage::family-saved:
   * @summary: the family's list row as now stored
   */
  signals[FAMILY_SAVED] = g_signal_new ("family-saved", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (FO_TYPE_STAR_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/FamilyOutcomes/fo-family-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, claim_badge);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, claim_icon);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, claim_label);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, blockers_label);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, outcomes_box);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, star_box);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, FoFamilyPage, members_box);

  gtk_widget_class_install_action (widget_class, "family.explain", "s", explain_action);
  gtk_widget_class_install_action (widget_class, "family.add-member", NULL, add_member_action);
  gtk_widget_class_install_action (widget_class, "family.edit-member", "s", edit_member_action);
  gtk_widget_class_install_action (widget_class, "family.delete-member", "s",
                                   delete_member_action);
  gtk_widget_class_install_action (widget_class, "family.edit-record", "s", edit_record_action);
  gtk_widget_class_install_action (widget_class, "family.delete-record", "s",
                                   delete_record_action);
}

static void
fo_family_page_init (FoFamilyPage *self)
{
  GtkWidget *choice_row, *choice_label, *table_title, *table_scroller;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->stack, "notify::visible-child", G_CALLBACK (show_visible_lists),
                            self);

  self->star_chart = fo_star_chart_view_new ();
  gtk_box_append (GTK_BOX (self->star_box), self->star_chart);
  choice_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  choice_label = gtk_label_new_with_mnemonic (_("Also _show reading"));
  self->reading_choice = gtk_drop_down_new (NULL, NULL);
  gtk_label_set_mnemonic_widget (GTK_LABEL (choice_label), self->reading_choice);
  g_signal_connect_swapped (self->reading_choice, "notify::selected",
                            G_CALLBACK (reading_chosen_cb), self);
  gtk_box_append (GTK_BOX (choice_row), choice_label);
  gtk_box_append (GTK_BOX (choice_row), self->reading_choice);
  gtk_box_append (GTK_BOX (self->star_box), choice_row);

  table_title = label_new (_("Readings"), "title-4");
  gtk_box_append (GTK_BOX (self->star_box), table_title);
  self->star_table = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->star_table), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->star_table), 4);
  gtk_widget_add_css_class (self->star_table, "star-table");
  fo_accessible_set_label (self->star_table, _("Family Star Plus readings, by area"));
  table_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (table_scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (table_scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (table_scroller), self->star_table);
  gtk_box_append (GTK_BOX (self->star_box), table_scroller);
}

GtkStack *
fo_family_page_get_stack (FoFamilyPage *self)
{
  g_return_val_if_fail (FO_IS_FAMILY_PAGE (self), NULL);
  return self->stack;
}

void
fo_family_page_set_session (FoFamilyPage *self,
                            FoSession    *session)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));

  g_set_object (&self->session, session);
  g_clear_pointer (&self->view, fo_family_view_free);
}

void
fo_family_page_set_actor (FoFamilyPage *self,
                          const char   *actor)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));

  g_free (self->actor);
  self->actor = g_strdup (actor);
}

/* An auditor reads everything and changes nothing. */
void
fo_family_page_set_read_only (FoFamilyPage *self,
                              gboolean      read_only)
{
  g_return_if_fail (FO_IS_FAMILY_PAGE (self));

  self->read_only = read_only;
  self->timeline_stale = TRUE;
  self->members_stale = TRUE;
  show_visible_lists (self);
}
