/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-record-editor"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "fo-accessible.h"
#include "fo-record-editor.h"

/*
 * One form for every kind of thing a coordinator records: a family's details, a member, and
 * each kind of record. Each is described by a table of fields keyed by the family format's
 * JSON names, so the form fills from, and saves to, the same JSON that the loader checks;
 * the page hands the result to fo_family_edit() and shows any fault beside its field.
 */

typedef enum
{
  FIELD_DATE,
  FIELD_TEXT,
  FIELD_LONG_TEXT,
  FIELD_INTEGER,
  FIELD_NUMBER,
  FIELD_MEMBER,
  FIELD_CHOICE,
  FIELD_KIND,
  FIELD_PLAN,
  FIELD_INDICATOR,
  FIELD_SCORES,
} FieldKind;

typedef struct
{
  const char *key;
  const char *label;
  FieldKind   kind;
  gboolean    required;
  const char *choices;   /* FIELD_CHOICE and FIELD_KIND: "value|value"; a leading "|": none */
  const char *hint;      /* placeholder text */
} FieldSpec;

typedef struct
{
  const char  *name;
  const char  *title;
  FoEditTarget target;
  const char  *kinds;    /* the record kinds it covers: the first is the default */
  FieldSpec    fields[14];
} RecordSpec;

#define NOTE_FIELDS \
  { "source", N_("Source"), FIELD_TEXT, FALSE, NULL, N_("Where this came from") }, \
  { "note", N_("Note"), FIELD_LONG_TEXT, FALSE, NULL, NULL }

static const RecordSpec record_specs[] = {
  { "details", N_("Family Details"), FO_EDIT_DETAILS, NULL, {
      { "reference", N_("Reference"), FIELD_TEXT, TRUE, NULL, N_("FAM-000123") },
      { "name", N_("Family name"), FIELD_TEXT, FALSE, NULL, N_("Example family") },
      { "key_worker", N_("Key worker"), FIELD_TEXT, FALSE, NULL, NULL },
      { "plan", N_("Outcome plan"), FIELD_PLAN, TRUE, NULL, NULL },
      { "entry_date", N_("Intervention start"), FIELD_DATE, TRUE, NULL, NULL },
      { "closure_date", N_("Closed on"), FIELD_DATE, FALSE, NULL, NULL },
      { "closure_reason", N_("Closure reason"), FIELD_CHOICE, FALSE,
        "|support_completed|disengaged|moved_away|other", NULL },
    } },
  { "member", N_("Member"), FO_EDIT_MEMBER, NULL, {
      { "name", N_("Full name"), FIELD_TEXT, TRUE, NULL, NULL },
      { "dob", N_("Date of birth"), FIELD_DATE, TRUE, NULL, NULL },
      { "role", N_("Role"), FIELD_CHOICE, TRUE, "parent|carer|child|other", NULL },
      { "sex", N_("Sex"), FIELD_CHOICE, FALSE, "|female|male", NULL },
      { "upn", N_("Unique pupil number"), FIELD_TEXT, FALSE, NULL, NULL },
      { "person_ref", N_("Person reference"), FIELD_TEXT, FALSE, NULL, NULL },
      { "household_from", N_("In household from"), FIELD_DATE, FALSE, NULL, NULL },
      { "household_to", N_("In household until"), FIELD_DATE, FALSE, NULL, NULL },
    } },
  { "attendance", N_("School Attendance Term"), FO_EDIT_EVENT, "attendance", {
      { "member", N_("Child"), FIELD_MEMBER, TRUE, NULL, NULL },
      { "term", N_("Term"), FIELD_TEXT, FALSE, NULL, N_("2025-26 Autumn") },
      { "start", N_("First day"), FIELD_DATE, TRUE, NULL, NULL },
      { "end", N_("Last day"), FIELD_DATE, TRUE, NULL, NULL },
      { "possible", N_("Possible sessions"), FIELD_INTEGER, TRUE, NULL, NULL },
      { "attended", N_("Sessions attended"), FIELD_INTEGER, TRUE, NULL, NULL },
      { "unauthorised", N_("Unauthorised absences"), FIELD_INTEGER, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "exclusion", N_("Exclusion"), FO_EDIT_EVENT, "exclusion", {
      { "member", N_("Child"), FIELD_MEMBER, TRUE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "type", N_("Type"), FIELD_CHOICE, TRUE, "fixed|permanent", NULL },
      { "days", N_("Days"), FIELD_NUMBER, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "incident", N_("Police Incident"), FO_EDIT_EVENT,
    "asb_incident|asb_intervention|offence|arrest|named_suspect|conviction|enforcement_action", {
      { "kind", N_("Kind"), FIELD_KIND, TRUE, NULL, NULL },
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "type", N_("Type"), FIELD_TEXT, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "domestic_abuse", N_("Domestic Abuse Notification"), FO_EDIT_EVENT,
    "da_notification|marac_referral", {
      { "kind", N_("Kind"), FIELD_KIND, TRUE, NULL, NULL },
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "type", N_("Type"), FIELD_TEXT, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "missing", N_("Missing Episode"), FO_EDIT_EVENT, "missing_episode", {
      { "member", N_("Member"), FIELD_MEMBER, TRUE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "hours", N_("Hours missing"), FIELD_NUMBER, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "case", N_("Case Episode"), FO_EDIT_EVENT, "case|order|status", {
      { "kind", N_("Kind"), FIELD_KIND, TRUE, NULL, NULL },
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "type", N_("Type"), FIELD_TEXT, FALSE, NULL, N_("child_in_need, child_protection, …") },
      { "start", N_("Start"), FIELD_DATE, TRUE, NULL, NULL },
      { "end", N_("End"), FIELD_DATE, FALSE, NULL, NULL },
      { "end_reason", N_("End reason"), FIELD_TEXT, FALSE, NULL,
        N_("closed, stepped_down, completed, breached") },
      NOTE_FIELDS,
    } },
  { "benefit", N_("Benefit Spell"), FO_EDIT_EVENT, "benefit", {
      { "member", N_("Member"), FIELD_MEMBER, TRUE, NULL, NULL },
      { "type", N_("Benefit"), FIELD_TEXT, FALSE, NULL, N_("universal_credit, esa, jsa, …") },
      { "start", N_("Start"), FIELD_DATE, TRUE, NULL, NULL },
      { "end", N_("End"), FIELD_DATE, FALSE, NULL, NULL },
      { "end_reason", N_("End reason"), FIELD_TEXT, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "employment", N_("Employment Spell"), FO_EDIT_EVENT, "employment", {
      { "member", N_("Member"), FIELD_MEMBER, TRUE, NULL, NULL },
      { "start", N_("Start"), FIELD_DATE, TRUE, NULL, NULL },
      { "end", N_("End"), FIELD_DATE, FALSE, NULL, NULL },
      { "hours_per_week", N_("Hours a week"), FIELD_NUMBER, FALSE, NULL, NULL },
      { "end_reason", N_("End reason"), FIELD_TEXT, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "engagement", N_("Engagement with a Service"), FO_EDIT_EVENT, "engagement", {
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "type", N_("Service"), FIELD_TEXT, FALSE, NULL, N_("substance_misuse, mental_health, …") },
      { "start", N_("Start"), FIELD_DATE, TRUE, NULL, NULL },
      { "end", N_("End"), FIELD_DATE, FALSE, NULL, NULL },
      { "level", N_("Engagement"), FIELD_CHOICE, FALSE, "|none|somewhat|fully", NULL },
      NOTE_FIELDS,
    } },
  { "assessment", N_("Assessment Score"), FO_EDIT_EVENT, "assessment", {
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "type", N_("Tool"), FIELD_TEXT, TRUE, NULL, N_("DASH, SDQ, WEMWBS, AUDIT, …") },
      { "score", N_("Score"), FIELD_NUMBER, TRUE, NULL, NULL },
      NOTE_FIELDS,
    } },
  { "star_reading", N_("Family Star Plus Reading"), FO_EDIT_EVENT, "star_reading", {
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "taken_by", N_("Taken"), FIELD_CHOICE, TRUE, "joint|worker", NULL },
      { "scores", N_("Scores"), FIELD_SCORES, TRUE, NULL, NULL },
      { "note", N_("Note"), FIELD_LONG_TEXT, FALSE, NULL, NULL },
    } },
  { "evidence", N_("Evidence Statement"), FO_EDIT_EVENT, "evidence", {
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "type", N_("Statement"), FIELD_TEXT, TRUE, NULL, N_("significant_improvement, …") },
      { "indicator", N_("Indicator"), FIELD_INDICATOR, FALSE, NULL, NULL },
      { "outcome", N_("Outcome"), FIELD_TEXT, FALSE, NULL, N_("CBC-2.1.O1") },
      { "author", N_("Author"), FIELD_TEXT, FALSE, NULL, NULL },
      { "author_role", N_("Author’s role"), FIELD_TEXT, TRUE, NULL, N_("lead_professional") },
      { "approved_by", N_("Approved by"), FIELD_TEXT, FALSE, NULL, NULL },
      { "approver_role", N_("Approver’s role"), FIELD_TEXT, FALSE, NULL, NULL },
      { "approved_on", N_("Approved on"), FIELD_DATE, FALSE, NULL, NULL },
      { "covers_from", N_("Covers from"), FIELD_DATE, FALSE, NULL, NULL },
      { "covers_to", N_("Covers until"), FIELD_DATE, FALSE, NULL, NULL },
      { "level", N_("Level"), FIELD_CHOICE, FALSE, "|none|somewhat|fully", NULL },
      { "text", N_("Statement text"), FIELD_LONG_TEXT, FALSE, NULL, NULL },
    } },
  { "identified", N_("Practitioner-Identified Indicator"), FO_EDIT_EVENT, "identified", {
      { "indicator", N_("Indicator"), FIELD_INDICATOR, TRUE, NULL, NULL },
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "author", N_("Identified by"), FIELD_TEXT, FALSE, NULL, NULL },
      { "author_role", N_("Their role"), FIELD_TEXT, TRUE, NULL, N_("health_professional") },
      NOTE_FIELDS,
    } },
  { "other", N_("Other Event"), FO_EDIT_EVENT, "referral|birth", {
      { "kind", N_("Kind"), FIELD_KIND, TRUE, NULL, NULL },
      { "member", N_("Member"), FIELD_MEMBER, FALSE, NULL, NULL },
      { "date", N_("Date"), FIELD_DATE, TRUE, NULL, NULL },
      { "type", N_("Type"), FIELD_TEXT, FALSE, NULL, NULL },
      NOTE_FIELDS,
    } },
};

/* What people read for a value of the family format. */
static const struct { const char *value; const char *label; } value_labels[] = {
  { "", N_("Not set") },
  { "fixed", N_("Fixed term") }, { "permanent", N_("Permanent") },
  { "parent", N_("Parent") }, { "carer", N_("Carer") }, { "child", N_("Child") },
  { "other", N_("Other") }, { "female", N_("Female") }, { "male", N_("Male") },
  { "joint", N_("Jointly with the family") }, { "worker", N_("By the worker alone") },
  { "none", N_("None") }, { "somewhat", N_("Somewhat") }, { "fully", N_("Fully") },
  { "support_completed", N_("Support completed") }, { "disengaged", N_("Disengaged") },
  { "moved_away", N_("Moved away") },
  { "attendance", N_("School attendance") }, { "exclusion", N_("Exclusion") },
  { "asb_incident", N_("Anti-social behaviour incident") },
  { "asb_intervention", N_("Anti-social behaviour intervention") },
  { "offence", N_("Offence") }, { "arrest", N_("Arrest") },
  { "named_suspect", N_("Named as a suspect") }, { "conviction", N_("Conviction") },
  { "enforcement_action", N_("Enforcement action") },
  { "da_notification", N_("Domestic abuse notification") },
  { "marac_referral", N_("MARAC referral") }, { "missing_episode", N_("Missing episode") },
  { "case", N_("Case") }, { "order", N_("Order") }, { "status", N_("Status") },
  { "referral", N_("Referral") }, { "birth", N_("Birth") },
  { "benefit", N_("Benefit") }, { "employment", N_("Employment") },
  { "engagement", N_("Engagement") }, { "assessment", N_("Assessment") },
  { "star_reading", N_("Family Star Plus reading") }, { "evidence", N_("Evidence") },
  { "identified", N_("Practitioner-identified indicator") },
};

static const char *
value_label (const char *value)
{
  for (guint i = 0; i < G_N_ELEMENTS (value_labels); i++)
    if (g_str_equal (value_labels[i].value, value))
      return _(value_labels[i].label);
  return value;
}

typedef struct
{
  const FieldSpec *spec;
  GtkWidget       *widget;    /* GtkEntry, GtkTextView, GtkDropDown, or a grid of spin buttons */
  GtkWidget       *error_label;
  GStrv            values;    /* choices: the JSON value of each row of the drop-down */
  GtkWidget       *scores[FO_STAR_AREAS];
} Field;

struct _FoRecordEditor
{
  AdwWindow         parent_instance;

  const RecordSpec *spec;
  char             *id;
  GArray           *fields;         /* Field */
  GtkWidget        *grid;
  GtkWidget        *general_error;
  GtkWidget        *save_button;
  GtkWidget        *spinner;
  gboolean          busy;
};

enum {
  SAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FoRecordEditor, fo_record_editor, ADW_TYPE_WINDOW)

/**
 * fo_record_types:
 *
 * Returns: (transfer none) (array length=n_types): the kinds of records a person can add
 */
const FoRecordType *
fo_record_types (guint *n_types)
{
  static FoRecordType types[G_N_ELEMENTS (record_specs)];
  static guint n;

  if (n == 0)
    for (guint i = 0; i < G_N_ELEMENTS (record_specs); i++)
      if (record_specs[i].target == FO_EDIT_EVENT)
        {
          types[n].name = record_specs[i].name;
          types[n].title = record_specs[i].title;
          n++;
        }
  *n_types = n;
  return types;
}

static gboolean
kind_in (const char *kinds,
         const char *kind)
{
  g_auto(GStrv) list = g_strsplit (kinds, "|", -1);

  return g_strv_contains ((const char * const *) list, kind);
}

/* The record type that edits records of @kind. */
const char *
fo_record_type_for_kind (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (record_specs); i++)
    if (record_specs[i].kinds != NULL && kind_in (record_specs[i].kinds, kind))
      return record_specs[i].name;
  return NULL;
}

static const RecordSpec *
find_spec (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (record_specs); i++)
    if (g_str_equal (record_specs[i].name, name))
      return &record_specs[i];
  return NULL;
}

/**
 * fo_record_describe:
 *
 * Returns: (transfer full): a one-line account of a record, for the timeline
 */
char *
fo_record_describe (const FoFamily *family,
                    const FoEvent  *event)
{
  GString *text = g_string_new (value_label (fo_kind_names[event->kind]));

  if (event->member >= 0)
    g_string_append_printf (text, " · %s", fo_family_member (family, event->member)->name);
  switch (event->kind)
    {
    case FO_KIND_ATTENDANCE:
      g_string_append_printf (text, _(" · %s: %lld of %lld sessions (%.1f%%)"),
                              event->term ? event->term : _("term"), (long long) event->attended,
                              (long long) event->possible,
                              event->possible > 0 ? 100.0 * event->attended / event->possible : 0);
      break;
    case FO_KIND_STAR_READING:
      {
        int total = 0;

        for (guint a = 0; a < FO_STAR_AREAS; a++)
          total += event->scores[a];
        g_string_append_printf (text, _(" · average %.1f, %s"), total / (double) FO_STAR_AREAS,
                                value_label (event->taken_by ? event->taken_by : "joint"));
      }
      break;
    case FO_KIND_ASSESSMENT:
      g_string_append_printf (text, " · %s %g", event->type ? event->type : "", event->score);
      break;
    case FO_KIND_EVIDENCE:
    case FO_KIND_IDENTIFIED:
      if (event->indicator != NULL)
        g_string_append_printf (text, " · %s", event->indicator);
      if (event->type != NULL)
        g_string_append_printf (text, " · %s", value_label (event->type));
      break;
    case FO_KIND_EMPLOYMENT:
      if (event->hours_per_week > 0)
        g_string_append_printf (text, _(" · %g hours a week"), event->hours_per_week);
      break;
    case FO_KIND_MISSING_EPISODE:
      if (event->hours > 0)
        g_string_append_printf (text, _(" · %g hours"), event->hours);
      break;
    case FO_KIND_EXCLUSION:
      if (event->type != NULL)
        g_string_append_printf (text, " · %s", value_label (event->type));
      if (event->days > 0)
        g_string_append_printf (text, _(" · %g days"), event->days);
      break;
    default:
      if (event->type != NULL)
        g_string_append_printf (text, " · %s", value_label (event->type));
      if (event->level != FO_LEVEL_UNSET)
        g_string_append_printf (text, " · %s", value_label (fo_level_names[event->level]));
      break;
    }
  return g_string_free (text, FALSE);
}

static void
field_clear (Field *field)
{
  g_clear_pointer (&field->values, g_strfreev);
}

static void
fo_record_editor_finalize (GObject *object)
{
  FoRecordEditor *self = FO_RECORD_EDITOR (object);

  g_clear_pointer (&self->fields, g_array_unref);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (fo_record_editor_parent_class)->finalize (object);
}

static void
show_error (Field      *field,
            const char *message)
{
  gtk_label_set_text (GTK_LABEL (field->error_label), message);
  gtk_widget_set_visible (field->error_label, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (field->widget, "error");
  else
    gtk_widget_remove_css_class (field->widget, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message != NULL ? message : "", -1);
}

static char *
entry_text (Field *field)
{
  const char *text;

  if (GTK_IS_TEXT_VIEW (field->widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
    }
  text = gtk_editable_get_text (GTK_EDITABLE (field->widget));
  return g_strstrip (g_strdup (text));
}

/* Reads one field into @object; FALSE, with the reason shown beside it, when it is invalid. */
static gboolean
read_field (FoRecordEditor *self,
            Field          *field,
            JsonObject     *object)
{
  const FieldSpec *spec = field->spec;
  g_autofree char *text = NULL;

  show_error (field, NULL);
  switch (spec->kind)
    {
    case FIELD_MEMBER:
    case FIELD_CHOICE:
    case FIELD_KIND:
    case FIELD_PLAN:
    case FIELD_INDICATOR:
      {
        guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (field->widget));
        const char *value = selected < g_strv_length (field->values) ? field->values[selected]
                                                                      : "";

        if (*value == '\0')
          {
            if (spec->required)
              {
                show_error (field, _("Choose one"));
                return FALSE;
              }
            return TRUE;
          }
        json_object_set_string_member (object, spec->key, value);
        return TRUE;
      }

    case FIELD_SCORES:
      {
        JsonObject *scores = json_object_new ();

        for (guint a = 0; a < FO_STAR_AREAS; a++)
          gtk_spin_button_update (GTK_SPIN_BUTTON (field->scores[a]));
        for (guint a = 0; a < FO_STAR_AREAS; a++)
          json_object_set_int_member (scores, fo_star_area_names[a],
                                      gtk_spin_button_get_value_as_int (
                                        GTK_SPIN_BUTTON (field->scores[a])));
        json_object_set_object_member (object, spec->key, scores);
        return TRUE;
      }

    default:
      break;
    }

  text = entry_text (field);
  if (*text == '\0')
    {
      if (spec->required)
        {
          show_error (field, _("Required"));
          return FALSE;
        }
      return TRUE;
    }
  switch (spec->kind)
    {
    case FIELD_DATE:
      {
        FoDay day;

        if (!fo_day_parse (text, &day))
          {
            show_error (field, _("Enter a real date as YYYY-MM-DD, such as 2026-03-14"));
            return FALSE;
          }
        json_object_set_string_member (object, spec->key, text);
        return TRUE;
      }

    case FIELD_INTEGER:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (text, 10, 0, 100000, &value, NULL))
          {
            show_error (field, _("Enter a whole number, 0 or more"));
            return FALSE;
          }
        json_object_set_int_member (object, spec->key, value);
        return TRUE;
      }

    case FIELD_NUMBER:
      {
        char *end = NULL;
        double value = g_ascii_strtod (text, &end);

        if (end == text || *end != '\0' || !isfinite (value) || value < 0 || value > 1e6)
          {
            show_error (field, _("Enter a number, 0 or more, such as 2.5"));
            return FALSE;
          }
        json_object_set_double_member (object, spec->key, value);
        return TRUE;
      }

    default:
      json_object_set_string_member (object, spec->key, text);
      return TRUE;
    }
}

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  FoRecordEditor *self = FO_RECORD_EDITOR (widget);
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean valid = TRUE;
  GtkWidget *first_invalid = NULL;

  if (self->busy)
    return;
  gtk_widget_set_visible (self->general_error, FALSE);
  if (self->spec->target != FO_EDIT_DETAILS)
    json_object_set_string_member (object, "id", self->id);
  if (self->spec->target == FO_EDIT_EVENT && strchr (self->spec->kinds, '|') == NULL)
    json_object_set_string_member (object, "kind", self->spec->kinds);
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = &g_array_index (self->fields, Field, i);

      if (!read_field (self, field, object))
        {
          valid = FALSE;
          if (first_invalid == NULL)
            first_invalid = field->widget;
        }
    }
  if (!valid)
    {
      gtk_widget_grab_focus (first_invalid);
      return;
    }
  g_signal_emit (self, signals[SAVE], 0, object);
}

static void
cancel_cb (FoRecordEditor *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
fo_record_editor_class_init (FoRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fo_record_editor_finalize;

  /**
   * FoRecordEditor::save:
   * @object: the member, record or details as the family format's JSON
   *
   * Emitted when the person saves a form whose fields are each valid. The handler applies it
   * and either closes the editor or shows the fault with fo_record_editor_show_fault().
   */
  signals[SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL,
                                   save_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
fo_record_editor_init (FoRecordEditor *self)
{
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (self->fields, (GDestroyNotify) field_clear);
}

static GtkWidget *
drop_down_new (GStrv  labels)
{
  GtkWidget *drop_down = gtk_drop_down_new_from_strings ((const char * const *) labels);

  gtk_widget_set_hexpand (drop_down, TRUE);
  return drop_down;
}

static void
build_choice (Field          *field,
              const char     *choices)
{
  g_auto(GStrv) values = g_strsplit (choices, "|", -1);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) label_list = NULL;

  for (guint i = 0; values[i] != NULL; i++)
    g_strv_builder_add (labels, value_label (values[i]));
  label_list = g_strv_builder_end (labels);
  field->values = g_steal_pointer (&values);
  field->widget = drop_down_new (label_list);
}

static void
build_member_choice (Field          *field,
                     const FoFamily *family)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) label_list = NULL;

  if (!field->spec->required)
    {
      g_strv_builder_add (values, "");
      g_strv_builder_add (labels, _("The whole family"));
    }
  for (guint i = 0; i < family->members->len; i++)
    {
      const FoMember *member = g_ptr_array_index (family->members, i);

      g_strv_builder_add (values, member->id);
      g_strv_builder_add (labels, member->name);
    }
  field->values = g_strv_builder_end (values);
  label_list = g_strv_builder_end (labels);
  field->widget = drop_down_new (label_list);
}

static void
build_plan_choice (Field     *field,
                   GPtrArray *plans)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) label_list = NULL;

  for (guint i = 0; plans != NULL && i < plans->len; i++)
    {
      const FoPlan *plan = g_ptr_array_index (plans, i);

      g_strv_builder_add (values, plan->id);
      g_strv_builder_add (labels, plan->title);
    }
  field->values = g_strv_builder_end (values);
  label_list = g_strv_builder_end (labels);
  field->widget = drop_down_new (label_list);
}

static void
build_indicator_choice (Field        *field,
                        const FoPlan *plan)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) label_list = NULL;

  if (!field->spec->required)
    {
      g_strv_builder_add (values, "");
      g_strv_builder_add (labels, _("None"));
    }
  for (guint i = 0; plan != NULL && i < plan->indicators->len; i++)
    {
      const FoIndicator *indicator = g_ptr_array_index (plan->indicators, i);
      g_autofree char *label = g_strdup_printf ("%s — %s", indicator->id, indicator->title);

      g_strv_builder_add (values, indicator->id);
      g_strv_builder_add (labels, label);
    }
  field->values = g_strv_builder_end (values);
  label_list = g_strv_builder_end (labels);
  field->widget = drop_down_new (label_list);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (field->widget), TRUE);
}

static GtkWidget *
build_scores (Field *field)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  for (guint a = 0; a < FO_STAR_AREAS; a++)
    {
      GtkWidget *label = gtk_label_new (fo_star_area_label (a));
      GtkWidget *spin = gtk_spin_button_new_with_range (1, 10, 1);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 5);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      label, NULL, -1);
      fo_accessible_mark_named (spin);
      gtk_grid_attach (GTK_GRID (grid), label, (a % 2) * 2, a / 2, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), spin, (a % 2) * 2 + 1, a / 2, 1, 1);
      field->scores[a] = spin;
    }
  return grid;
}

static void
select_value (Field      *field,
              const char *value)
{
  for (guint i = 0; field->values[i] != NULL; i++)
    if (g_strcmp0 (field->values[i], value) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (field->widget), i);
        return;
      }
}

static void
fill_field (Field      *field,
            JsonObject *existing)
{
  JsonNode *node = json_object_get_member (existing, field->spec->key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (field->values != NULL)
    {
      select_value (field, json_node_get_string (node));
      return;
    }
  if (field->spec->kind == FIELD_SCORES)
    {
      JsonObject *scores = json_node_get_object (node);

      for (guint a = 0; a < FO_STAR_AREAS; a++)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->scores[a]),
                                   json_object_get_int_member_with_default (
                                     scores, fo_star_area_names[a], 5));
      return;
    }
  {
    g_autofree char *text = NULL;

    if (json_node_get_value_type (node) == G_TYPE_STRING)
      text = g_strdup (json_node_get_string (node));
    else if (json_node_get_value_type (node) == G_TYPE_INT64)
      text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    else
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", json_node_get_double (node)));
      }
    if (GTK_IS_TEXT_VIEW (field->widget))
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)),
                                text, -1);
    else
      gtk_editable_set_text (GTK_EDITABLE (field->widget), text);
  }
}

static void
add_field (FoRecordEditor  *self,
           const FieldSpec *spec,
           const FoFamily  *family,
           GPtrArray       *plans,
           guint            row)
{
  Field field = { spec };
  g_autofree char *caption = NULL;
  GtkWidget *label, *input;
  const FoPlan *plan = NULL;

  if (family != NULL && plans != NULL)
    for (guint i = 0; i < plans->len; i++)
      if (g_strcmp0 (((FoPlan *) g_ptr_array_index (plans, i))->id, family->plan) == 0)
        plan = g_ptr_array_index (plans, i);

  switch (spec->kind)
    {
    case FIELD_CHOICE:
      build_choice (&field, spec->choices);
      break;
    case FIELD_KIND:
      build_choice (&field, self->spec->kinds);
      break;
    case FIELD_MEMBER:
      build_member_choice (&field, family);
      break;
    case FIELD_PLAN:
      build_plan_choice (&field, plans);
      break;
    case FIELD_INDICATOR:
      build_indicator_choice (&field, plan);
      break;
    case FIELD_SCORES:
      field.widget = build_scores (&field);
      break;
    case FIELD_LONG_TEXT:
      field.widget = gtk_text_view_new ();
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (field.widget), GTK_WRAP_WORD_CHAR);
      gtk_widget_set_size_request (field.widget, -1, 72);
      gtk_widget_add_css_class (field.widget, "card");
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (field.widget), 6);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (field.widget), 6);
      break;
    default:
      field.widget = gtk_entry_new ();
      gtk_widget_set_hexpand (field.widget, TRUE);
      gtk_entry_set_activates_default (GTK_ENTRY (field.widget), TRUE);
      if (spec->kind == FIELD_DATE)
        gtk_entry_set_placeholder_text (GTK_ENTRY (field.widget), _("YYYY-MM-DD"));
      else if (spec->hint != NULL)
        gtk_entry_set_placeholder_text (GTK_ENTRY (field.widget), _(spec->hint));
      if (spec->kind == FIELD_INTEGER || spec->kind == FIELD_NUMBER)
        gtk_entry_set_input_purpose (GTK_ENTRY (field.widget),
                                     spec->kind == FIELD_INTEGER ? GTK_INPUT_PURPOSE_DIGITS
                                                                 : GTK_INPUT_PURPOSE_NUMBER);
      break;
    }

  caption = spec->required ? g_strdup (_(spec->label)) : g_strdup_printf (_("%s (optional)"),
                                                                          _(spec->label));
  label = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_valign (label, spec->kind == FIELD_SCORES || spec->kind == FIELD_LONG_TEXT
                                ? GTK_ALIGN_START : GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  input = field.widget;
  if (spec->kind != FIELD_SCORES)
    {
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), input);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      label, NULL, -1);
    }
  field.error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (field.error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (field.error_label), TRUE);
  gtk_widget_add_css_class (field.error_label, "error");
  gtk_widget_add_css_class (field.error_label, "caption");
  gtk_widget_set_visible (field.error_label, FALSE);

  gtk_grid_attach (GTK_GRID (self->grid), label, 0, row * 2, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), input, 1, row * 2, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), field.error_label, 1, row * 2 + 1, 1, 1);
  g_array_append_val (self->fields, field);
}

/**
 * fo_record_editor_new:
 * @record_type: "details", "member", or one of fo_record_types()
 * @family: (nullable): the family, or %NULL for a new family's details
 * @plans: (element-type FoPlan): the loaded plans
 * @existing: (nullable): the member, record or details to edit; %NULL adds one
 */
FoRecordEditor *
fo_record_editor_new (GtkWindow      *parent,
                      const char     *record_type,
                      const FoFamily *family,
                      GPtrArray      *plans,
                      JsonObject     *existing)
{
  FoRecordEditor *self;
  GtkWidget *toolbar, *header, *cancel, *scroller, *clamp, *box;
  g_autofree char *title = NULL;
  const RecordSpec *spec = find_spec (record_type);

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (family != NULL || spec->target == FO_EDIT_DETAILS, NULL);

  self = g_object_new (FO_TYPE_RECORD_EDITOR,
                       "transient-for", parent,
                       "modal", TRUE,
                       "default-width", 560,
                       "default-height", 640,
                       NULL);
  self->spec = spec;
  if (existing != NULL && json_object_has_member (existing, "id"))
    self->id = g_strdup (json_object_get_string_member (existing, "id"));
  else if (spec->target != FO_EDIT_DETAILS)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      /* Short enough to read in an audit record, random enough never to collide. */
      self->id = g_strdup_printf ("%c-%.12s", spec->target == FO_EDIT_MEMBER ? 'm' : 'r', uuid);
    }

  title = existing != NULL ? g_strdup_printf (_("Edit %s"), _(spec->title))
                           : g_strdup_printf (_("New %s"), _(spec->title));
  gtk_window_set_title (GTK_WINDOW (self), title);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->save_button), "editor.save");
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  self->spinner = gtk_spinner_new ();
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (toolbar), header);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  self->general_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->general_error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->general_error), 0);
  gtk_widget_add_css_class (self->general_error, "error");
  gtk_widget_set_visible (self->general_error, FALSE);
  gtk_box_append (GTK_BOX (box), self->general_error);
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_box_append (GTK_BOX (box), self->grid);
  for (guint i = 0; i < G_N_ELEMENTS (spec->fields) && spec->fields[i].key != NULL; i++)
    add_field (self, &spec->fields[i], family, plans, i);
  if (existing != NULL)
    for (guint i = 0; i < self->fields->len; i++)
      {
        Field *field = &g_array_index (self->fields, Field, i);

        fill_field (field, existing);
        /* A family's reference and a record's kind say what is edited: they stay as they
         * are, and are still saved. */
        if ((spec->target == FO_EDIT_DETAILS && g_str_equal (field->spec->key, "reference")) ||
            field->spec->kind == FIELD_KIND)
          gtk_widget_set_sensitive (field->widget, FALSE);
      }

  /* Most records are entered on the day they happen. */
  if (existing == NULL && spec->target == FO_EDIT_EVENT)
    for (guint i = 0; i < self->fields->len; i++)
      {
        Field *field = &g_array_index (self->fields, Field, i);
        g_autofree char *today = fo_day_format (fo_day_today ());

        if (g_str_equal (field->spec->key, "date"))
          gtk_editable_set_text (GTK_EDITABLE (field->widget), today);
      }

  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (toolbar), scroller);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  fo_accessible_tidy_on_map (GTK_WIDGET (self));
  if (self->fields->len > 0)
    gtk_widget_grab_focus (g_array_index (self->fields, Field, 0).widget);
  return self;
}

/* Fills the form with @values, such as a new family's defaults, leaving other fields alone. */
void
fo_record_editor_fill (FoRecordEditor *self,
                       JsonObject     *values)
{
  g_return_if_fail (FO_IS_RECORD_EDITOR (self));
  g_return_if_fail (values != NULL);

  for (guint i = 0; i < self->fields->len; i++)
    fill_field (&g_array_index (self->fields, Field, i), values);
}

const char *
fo_record_editor_get_record_type (FoRecordEditor *self)
{
  g_return_val_if_fail (FO_IS_RECORD_EDITOR (self), NULL);
  return self->spec->name;
}

/* The member or record edited or added; NULL for a family's details. */
const char *
fo_record_editor_get_id (FoRecordEditor *self)
{
  g_return_val_if_fail (FO_IS_RECORD_EDITOR (self), NULL);
  return self->id;
}

FoEditTarget
fo_record_editor_get_target (FoRecordEditor *self)
{
  g_return_val_if_fail (FO_IS_RECORD_EDITOR (self), FO_EDIT_EVENT);
  return self->spec->target;
}

/**
 * fo_record_editor_show_fault:
 * @field: (nullable): the JSON name of the field at fault, or %NULL for the form as a whole
 *
 * Shows why the change was refused: beside its field when the form has it.
 */
void
fo_record_editor_show_fault (FoRecordEditor *self,
                             const char     *field,
                             const char     *message)
{
  g_return_if_fail (FO_IS_RECORD_EDITOR (self));

  fo_record_editor_set_busy (self, FALSE);
  for (guint i = 0; field != NULL && i < self->fields->len; i++)
    {
      Field *candidate = &g_array_index (self->fields, Field, i);

      if (g_str_equal (candidate->spec->key, field) ||
          (candidate->spec->kind == FIELD_SCORES && g_str_has_prefix (field, "scores")))
        {
          show_error (candidate, message);
          gtk_widget_grab_focus (candidate->widget);
          return;
        }
    }
  gtk_label_set_text (GTK_LABEL (self->general_error), message);
  gtk_widget_set_visible (self->general_error, TRUE);
}

void
fo_record_editor_set_busy (FoRecordEditor *self,
                           gboolean        busy)
{
  g_return_if_fail (FO_IS_RECORD_EDITOR (self));

  self->busy = busy;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->save_button, !busy);
}
