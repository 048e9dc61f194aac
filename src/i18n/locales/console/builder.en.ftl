## Flow builder: a flow's page, its versions, comparisons, import, the draft editor

ui-builder-state = State
ui-builder-published = Published
ui-builder-live = Live
ui-builder-by = by { $author }
ui-builder-by_at = by { $author }, { $at }
ui-builder-history = Version history
ui-builder-go_to_draft = Go to the draft
ui-builder-the_published = The published version
ui-builder-version_n = Version { $version }
ui-builder-roll_back_to = Roll back to version { $version }

## A flow's page
ui-builder-flow-enabled = Enabled
ui-builder-flow-enabled_means = : its pages are open to everyone.
ui-builder-flow-disabled = Disabled
ui-builder-flow-disabled_means = : its pages say it is not available.
ui-builder-flow-published_as = Version { $version }, { $name }
ui-builder-flow-nothing_published = Nothing published
ui-builder-flow-disable = Disable { $lower }
ui-builder-flow-enable = Enable { $lower }
ui-builder-flow-funnel = Funnel
ui-builder-flow-download_version = Download version { $version } as JSON
ui-builder-flow-draft = Draft
ui-builder-flow-draft_edited = A draft is being edited.
ui-builder-flow-draft_how = Changes are made in a draft, then published as a new version.
ui-builder-flow-start_from = Start the draft from
ui-builder-flow-starter = Starter template: { $name }
ui-builder-flow-start = Start a draft
ui-builder-flow-diagram_of = Diagram of version { $version }
ui-builder-flow-steps_of = Steps of “{ $name }”
ui-builder-flow-choose_enabled = Choose to enable or to disable.
ui-builder-flow-now_enabled = { $flow } is enabled: its pages are open.
ui-builder-flow-now_disabled = { $flow } is disabled: its pages now say it is not available.
ui-builder-flow-choose_source = Choose what to start the draft from.
ui-builder-flow-started = Draft started from { $from }.
ui-builder-flow-no_published = There is no published version to start from.
ui-builder-flow-draft_exists = There is a draft already: here it is. Discard it first to start another.
ui-builder-flow-not_started = The draft could not be started.

## Steps read-only
ui-builder-step-start = Start
ui-builder-step-preview = Preview { $step }
ui-builder-kind-view = View
ui-builder-kind-task = Task
ui-builder-kind-decision = Decision
ui-builder-kind-end = End
ui-builder-edge-button = Button { $button }
ui-builder-edge-runs = Runs { $task }
ui-builder-edge-outcome = Outcome { $outcome }
ui-builder-edge-branch = Branch { $n }: { $when }
ui-builder-edge-otherwise = Otherwise

## Versions
ui-builder-versions-draft_changes = What the draft changes
ui-builder-versions-compare_two = Compare two versions
ui-builder-versions-caption = Versions, newest first
ui-builder-versions-version = Version
ui-builder-versions-name = Name
ui-builder-versions-actions = Actions
ui-builder-versions-download = Download
ui-builder-versions-download_which = { " " }version { $version }
ui-builder-versions-compare_live = Compare with live
ui-builder-versions-compare_which = { " " }(version { $version })
ui-builder-versions-replaced = Replaced
ui-builder-versions-not_published = Not published
ui-builder-versions-rolled_back = Version { $number } is live again, as version { $version }. Journeys under way keep the version they started on.
ui-builder-versions-no_such = There is no version { $number }.

## One version
ui-builder-version-heading = Version { $version }: { $name }
ui-builder-version-not_live = Not live
ui-builder-version-note = Note
ui-builder-version-description = Description
ui-builder-version-download = Download as JSON
ui-builder-version-compare_published = Compare with the published version
ui-builder-version-diagram = Diagram
ui-builder-version-steps = Steps

## Comparing versions
ui-builder-diff-title = Compare versions
ui-builder-diff-from = From
ui-builder-diff-to = To
ui-builder-diff-compare = Compare
ui-builder-diff-same = The two are the same.
ui-builder-diff-changes = { $count ->
    [one] 1 change
   *[other] { $count } changes
}
ui-builder-diff-kind = { $kind ->
    [added] added
    [removed] removed
   *[changed] changed
}
ui-builder-diff-the_draft = The draft
ui-builder-diff-choice = Version { $version } ({ $name }, { $at })
ui-builder-diff-missing = One of the two does not exist: choose two versions that do.

## Import
ui-builder-import-title = Import a definition
ui-builder-import-intro = The JSON becomes the draft of this flow, in the same format as a downloaded version or
ui-builder-import-replaces = It replaces the current draft
ui-builder-import-undo = ; Undo on the draft page brings the old one back.
ui-builder-import-file = A JSON file
ui-builder-import-paste = Or paste it
ui-builder-import-submit = Import as the draft
ui-builder-import-unreadable_json = The JSON could not be read at line { $line }, column { $column }: { $what }.
ui-builder-import-too_large = The definition is larger than { $kib } KiB.
ui-builder-import-not_utf8 = The upload could not be read: send UTF-8 text.
ui-builder-import-empty = Choose a file or paste a definition.
ui-builder-import-wrong_type = This is a { $type } definition; import it under { $flow }.
ui-builder-import-done = Imported as the draft. It has no problems: publish it when ready.
ui-builder-import-done_problems = Imported as the draft, with { $count } problem(s) to fix before publishing.

## The draft editor
ui-builder-draft-heading = Draft of “{ $name }”
ui-builder-draft-meta = Started from { $source }; last edited { $at }, by { $author }. Revision { $revision }.
ui-builder-draft-live = Version { $version } is live.
ui-builder-draft-problems = { $count ->
    [0] No problems
    [one] 1 problem to fix before publishing
   *[other] { $count } problems to fix before publishing
}
ui-builder-draft-problem_count = { $count ->
    [one] 1 problem
   *[other] { $count } problems
}
ui-builder-draft-complete = The draft is complete: every step is reachable and every button leads somewhere.
ui-builder-draft-publish = Publish the draft
ui-builder-draft-undo = Undo the last edit
ui-builder-draft-discard = Discard the draft
ui-builder-draft-info = Name and description
ui-builder-draft-save_info = Save name and description
ui-builder-draft-widgets = Insert a widget
ui-builder-draft-widgets_intro = A widget is a ready group of steps. It goes on a connection between two steps: the connection then runs through it.
ui-builder-draft-widget = Widget
ui-builder-draft-where = Where
ui-builder-draft-insert_widget = Insert the widget
ui-builder-draft-kind-view = view
ui-builder-draft-kind-task = task
ui-builder-draft-kind-rule = rule
ui-builder-draft-kind-end = end
ui-builder-draft-new_id = New id
ui-builder-draft-rename = Rename
ui-builder-draft-vh_step = { " " }step { $step }
ui-builder-draft-vh_of_step = { " " }of step { $step }
ui-builder-draft-vh_of = { " " }of { $what }
ui-builder-draft-move_up = Move up
ui-builder-draft-move_down = Move down
ui-builder-draft-make_start = Make it the start
ui-builder-draft-preview = Preview
ui-builder-draft-texts = Texts
ui-builder-draft-remove = Remove
ui-builder-draft-executor = Executor
ui-builder-draft-set_executor = Set executor
ui-builder-draft-set_extension = Set extension
ui-builder-draft-extension = Extension
ui-builder-draft-extension_hint = The service this step asks:
ui-builder-draft-extension_register = register one
ui-builder-draft-extension_first = { " " }first.
ui-builder-draft-none_yet = (none yet)
ui-builder-draft-not_registered = { $name } (not registered)
ui-builder-draft-outcome_leads = Outcome “{ $outcome }” leads to
ui-builder-draft-nowhere_yet = (nowhere yet)
ui-builder-draft-new_view = + a new view step
ui-builder-draft-new_end = + a new end step
ui-builder-draft-save = Save
ui-builder-draft-vh_outcome = { " " }outcome { $outcome } of { $step }
ui-builder-draft-components = Components
ui-builder-draft-settings = Settings
ui-builder-draft-move_out = Move out of the form
ui-builder-draft-move_into = Move into form { $form }
ui-builder-draft-add_component = Add a component
ui-builder-draft-its_id = Its id
ui-builder-draft-optional = (optional)
ui-builder-draft-end_of_form = At the end of form { $form }
ui-builder-draft-end_of_step = At the end of the step, outside any form
ui-builder-draft-add = Add
ui-builder-draft-vh_component_to = { " " }a component to { $step }
ui-builder-draft-buttons = Where the buttons lead
ui-builder-draft-button_leads = Button “{ $button }” leads to
ui-builder-draft-vh_where_leads = { " " }where { $button } leads
ui-builder-draft-add_step_after = Add a step after { $step }
ui-builder-draft-view_step = View step
ui-builder-draft-decision_step = Decision step
ui-builder-draft-end_step = End step
ui-builder-draft-task_step = Task step: { $task }
ui-builder-draft-add_step = Add the step
ui-builder-draft-stale = This draft changed since you opened it, so your edit was not saved. This is the draft as it is now: make your change again.
ui-builder-draft-none_start = There is no draft of this flow: start one below.
ui-builder-draft-none_any_more = There is no draft of this flow (any more).
ui-builder-draft-none = There is no draft.
ui-builder-draft-gone = The draft is gone: someone published or discarded it.
ui-builder-draft-choose_kind = Choose what the new step is.
ui-builder-draft-choose_component = Choose a kind of component.
ui-builder-draft-choose_move = Choose where to move it.
ui-builder-draft-choose_executor = Choose an executor.
ui-builder-draft-unknown_edit = That edit is not known.
ui-builder-draft-remove_step = Remove step { $step }
ui-builder-draft-remove_step_q = Remove step { $step }?
ui-builder-draft-nothing_leads = Nothing leads to this step.
ui-builder-draft-dangling = { $count ->
    [one] 1 leads to this step and will be left without a target; the draft will list them as problems until you point them elsewhere:
   *[other] { $count } lead to this step and will be left without a target; the draft will list them as problems until you point them elsewhere:
}
ui-builder-draft-discard_q = Discard the draft?
ui-builder-draft-discard_what = Every change in it is lost. It was started from { $source } and last edited { $at }, by { $author }. The published version does not change.
ui-builder-draft-discarded = The draft was discarded.
ui-builder-draft-undone = The last edit was undone.
ui-builder-draft-nothing_to_undo = There is no edit to undo.
ui-builder-draft-not_published = { $count ->
    [one] The draft was not published: it has 1 problem. Fix them first.
   *[other] The draft was not published: it has { $count } problems. Fix them first.
}
ui-builder-draft-published = Version { $version } is published: new journeys follow it, journeys under way keep theirs.
ui-builder-draft-choose_widget = Choose a widget.
ui-builder-draft-choose_edge = Choose where to insert it.
ui-builder-draft-widget_inserted = Widget “{ $name }” inserted: steps { $steps } added. Undo removes them again.

## A step in a few words
ui-builder-outline-view = { $components }, { $fields }, { $buttons }
ui-builder-outline-task = runs { $task }
ui-builder-outline-rule = decides: { $branches }
ui-builder-outline-end = ends: { $components }
ui-builder-outline-components = { $count ->
    [one] 1 component
   *[other] { $count } components
}
ui-builder-outline-fields = { $count ->
    [one] 1 field
   *[other] { $count } fields
}
ui-builder-outline-buttons = { $count ->
    [one] 1 button
   *[other] { $count } buttons
}
ui-builder-outline-branches = { $count ->
    [one] 1 branch
   *[other] { $count } branches
}
ui-builder-summary-input = { $what } (fills { $fills })
ui-builder-summary-input_required = { $what } (fills { $fills }), required
ui-builder-summary-nothing = nothing

## A component's settings
ui-builder-field-id = Id
ui-builder-field-kind = Kind
ui-builder-field-identifier = Attribute it fills
ui-builder-field-label = Label
ui-builder-field-placeholder = Placeholder
ui-builder-field-hint = Hint
ui-builder-field-required = Required
ui-builder-field-default_value = Default value
ui-builder-field-min_length = Minimum length
ui-builder-field-max_length = Maximum length
ui-builder-field-pattern = Pattern
ui-builder-field-pattern_message = Message when the pattern does not match
ui-builder-field-password_policy = Check the password policy
ui-builder-field-options = Options
ui-builder-field-length = Code length
ui-builder-field-text = Text
ui-builder-field-src = Image address
ui-builder-field-alt = Text alternative
ui-builder-hint-id = Letters, digits, _ and -; unique in this step.
ui-builder-hint-identifier = e.g. email, given_name, nickname, or a WSO2 claim URI.
ui-builder-hint-label = Literal text, or { "{{" }t(key){ "}}" } for a translated message.
ui-builder-hint-pattern = A regular expression the whole value must match; empty for none.
ui-builder-hint-options = Drop-down lists: one option a line, value|label.
ui-builder-hint-length = One-time code inputs: digits, 4 to 10.
ui-builder-hint-text = Literal text, or { "{{" }t(key){ "}}" }; { "{" }attribute{ "}" } shows a collected value.
ui-builder-hint-rich_text = Paragraphs separated by an empty line.

## Decision steps
ui-builder-rule-branches = Branches
ui-builder-rule-intro = The first branch whose condition holds is taken; when none holds, the step goes where “Otherwise” leads.
ui-builder-rule-add_branch = Add a branch
ui-builder-rule-branch_n = Branch { $n }
ui-builder-rule-when_go_lower = when { $when }, go to { $next }
ui-builder-rule-condition_new = Condition of the new branch
ui-builder-rule-condition_of = Condition of branch { $n }
ui-builder-rule-match = Match
ui-builder-rule-all = all of these tests
ui-builder-rule-any = any of these tests
ui-builder-rule-rows_hint = Leave a row empty to leave it out. For “in” and “domain_in”, list the values separated by commas; “present” and “absent” need no value.
ui-builder-rule-not = Not
ui-builder-rule-vh_test = { " " }(test { $n })
ui-builder-rule-attribute = Attribute
ui-builder-rule-operator = Operator
ui-builder-rule-value = Value
ui-builder-rule-vh_of_test = { " " }of test { $n }
ui-builder-rule-new_leads = The new branch leads to
ui-builder-rule-branch_leads = Branch { $n } leads to
ui-builder-rule-add = Add the branch
ui-builder-rule-vh_to = { " " }to { $step }
ui-builder-rule-save_n = Save branch { $n }
ui-builder-rule-too_deep = This condition is nested too deeply for rows: edit it as JSON below.
ui-builder-rule-edit_json = Edit as JSON
ui-builder-rule-vh_new_of = { " " }a new branch of { $step }
ui-builder-rule-vh_branch_of = { " " }branch { $n } of { $step }
ui-builder-rule-json = Condition as JSON
ui-builder-rule-json_hint = A test is { "{" }"attribute": …, "op": …, "value": … or "values": [ … ]{ "}" }; combine tests with { "{" }"all": [ … ]{ "}" }, { "{" }"any": [ … ]{ "}" } and { "{" }"not": { "{" } … { "}" }{ "}" }.
ui-builder-rule-leads_to = Leads to
ui-builder-rule-vh_json_form = { " " }(JSON form)
ui-builder-rule-vh_json_form_of = { " " }(JSON form of branch { $n })
ui-builder-rule-add_json = Add the branch from JSON
ui-builder-rule-save_n_json = Save branch { $n } from JSON
ui-builder-rule-otherwise_leads = Otherwise leads to
ui-builder-rule-vh_otherwise = { " " }where { $step } leads otherwise
ui-builder-rule-try = Try the decision
ui-builder-rule-sample = Sample values, one attribute=value per line
ui-builder-rule-sample_hint = e.g. email=ada@example.com or context.application=my-app. Nothing is saved.
ui-builder-rule-language = Language
ui-builder-rule-show = Show which branch it takes
ui-builder-rule-try_title = Try decision { $step }
ui-builder-rule-ignored = Not read, as they are not attribute=value:
ui-builder-rule-in_order = The branches, in order
ui-builder-rule-when_go = When { $when }, go to { $next }
ui-builder-rule-otherwise_go = Otherwise go to { $next }.
ui-builder-rule-back = Back to the draft
ui-builder-rule-takes_branch = Branch { $n } → { $next }
ui-builder-rule-takes_otherwise = Otherwise → { $next }
ui-builder-rule-takes_otherwise_nowhere = Otherwise → (nowhere yet)
ui-builder-rule-choose_branch = Choose a branch.
ui-builder-rule-bad_json = This is not a condition: { $error }.

## What a new component can be, as the draft editor's "add a component" list names it
ui-component-heading_1 = Heading 1
ui-component-heading_2 = Heading 2
ui-component-heading_3 = Heading 3
ui-component-heading_4 = Heading 4
ui-component-heading_5 = Heading 5
ui-component-heading_6 = Heading 6
ui-component-paragraph = Paragraph
ui-component-small_print = Small print
ui-component-rich_text = Rich text (paragraphs)
ui-component-form = Form
ui-component-text_input = Text input
ui-component-email_input = E-mail input
ui-component-password_input = Password input
ui-component-telephone_input = Telephone input
ui-component-number_input = Number input
ui-component-date_input = Date input
ui-component-otp_input = One-time code input
ui-component-checkbox = Checkbox
ui-component-dropdown = Drop-down list
ui-component-primary_button = Primary button
ui-component-secondary_button = Secondary button
ui-component-text_button = Text button
ui-component-social_button = Sign-up through a provider button
ui-component-divider = Divider
ui-component-image = Image
