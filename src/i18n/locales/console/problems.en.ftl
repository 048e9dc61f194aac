## The flow builder: what is wrong with a draft, why an edit is refused, what an edit did.
## The engine says these as keys with values (Said); the APIs, the CLI and the logs show the
## English, the console each administrator's language.

## Problems of a draft (FlowDefinition::validate)
ui-problem-empty_step_id = A step has no id.
ui-problem-duplicate_step = Two steps are called '{ $step }'.
ui-problem-bad_region = '{ $code }' is not a region: use a two-letter country code, like GB.
ui-problem-missing_start = The start step '{ $step }' does not exist.
ui-problem-start_is_end = The flow ends before it starts.
ui-problem-dangling_action = '{ $step }' leads to '{ $target }', which does not exist.
ui-problem-duplicate_component = Two components of '{ $step }' are called '{ $component }'.
ui-problem-input_without_identifier = Input '{ $component }' fills no attribute.
ui-problem-children_outside_form = '{ $component }' has children but is not a form.
ui-problem-nested_form = Form '{ $component }' holds another form.
ui-problem-dead_end = View '{ $step }' has no button, so nobody can leave it.
ui-problem-button_without_action = Button '{ $button }' of '{ $step }' does nothing.
ui-problem-action_without_button = Action '{ $action }' of '{ $step }' has no button.
ui-problem-missing_input = Button '{ $button }' of '{ $step }' runs { $executor }, which needs the input '{ $input }' on that view.
ui-problem-missing_connection = Task '{ $step }' signs up through no connection: name one.
ui-problem-connection_without_sign_up = Task '{ $step }' names a connection, but { $executor } uses none.
ui-problem-missing_extension = Task '{ $step }' calls no extension: name one.
ui-problem-extension_without_call = Task '{ $step }' names an extension, but { $executor } calls none.
ui-problem-executor_not_for_flow = { $executor } has no place in a { $flow_type } flow.
ui-problem-missing_outcome = Task '{ $step }' says nothing of outcome '{ $outcome }'.
ui-problem-unknown_outcome = { $executor } has no outcome '{ $outcome }'.
ui-problem-missing_attribute = Task '{ $step }' ({ $executor }) needs '{ $attribute }', which no view before it asks for.
ui-problem-loop_without_view = '{ $step }' is on a loop of tasks and decisions with no view in it: the flow would never stop.
ui-problem-unreachable = Nothing leads to '{ $step }'.
ui-problem-no_end = No path from the start reaches an end step.

## Problems of a decision step
ui-problem-rule_without_branch = Decision '{ $step }' has no branch: it always goes to 'otherwise'.
ui-problem-branch_leads_nowhere = Branch { $n } of '{ $step }' leads to '{ $target }', which does not exist.
ui-problem-branch_condition = Branch { $n } of '{ $step }': { $why }.
ui-problem-attribute_not_collected = Branch { $n } of '{ $step }' reads '{ $attribute }', which some path reaches '{ $step }' without asking for.
ui-problem-otherwise_leads_nowhere = 'otherwise' of '{ $step }' leads to '{ $target }', which does not exist.

## Problems of a condition (a branch's), put inside a sentence: no capital, no full stop
ui-condition-empty_condition = an "all" or "any" lists no condition
ui-condition-missing_attribute_name = a test names no attribute
ui-condition-unknown_fact = '{ $attribute }' is not one of { $facts }
ui-condition-unknown_op = '{ $op }' is not an operator; use one of { $ops }
ui-condition-missing_value = '{ $op }' needs a value
ui-condition-missing_values = '{ $op }' needs a list of values
ui-condition-too_many_values = '{ $op }' lists more than { $max } values
ui-condition-bad_regex = the pattern does not compile: { $why }
ui-condition-bad_domain = '{ $domain }' is not a domain
ui-condition-pattern_too_long = the pattern is longer than { $max } characters
ui-condition-pattern_too_big = the pattern compiles to more than { $max } bytes

## Edits refused
ui-edit-invalid_id = '{ $id }' is not a usable id: start with a letter, then letters, digits, '_' or '-', at most { $max } in all.
ui-edit-duplicate_component = '{ $step }' already has a component '{ $id }'.
ui-edit-name_required = The flow needs a name.
ui-edit-name_too_long = Keep the name to { $max } characters.
ui-edit-description_too_long = Keep the description to { $max } characters.
ui-edit-unknown_step = There is no step '{ $step }'.
ui-edit-not_a_view = '{ $step }' is a task or a decision: it shows nothing.
ui-edit-control_character = Remove the invisible control characters from this text.
ui-edit-text_too_long = Keep this to { $max } characters.
ui-edit-duplicate_step = There is already a step '{ $step }'.
ui-edit-remove_start = '{ $step }' is where the flow starts: make another step the start first.
ui-edit-start_is_end = '{ $step }' is an end step: the flow would end before it starts.
ui-edit-end_has_no_actions = '{ $step }' is an end step: it has no actions.
ui-edit-no_button = '{ $step }' has no button '{ $button }'.
ui-edit-not_a_task = '{ $step }' is not a task.
ui-edit-unknown_outcome = { $executor } has no outcome '{ $outcome }'; it has { $outcomes }.
ui-edit-extension_without_call = '{ $step }' runs { $executor }, which calls no extension: set its executor to CallExtension first.
ui-edit-not_a_decision = '{ $step }' is not a decision step.
ui-edit-unknown_branch = '{ $step }' has no branch { $n } (it has { $count }).
ui-edit-condition_unusable = This condition is not usable: { $why }.
ui-edit-unknown_component = '{ $step }' has no component '{ $component }'.
ui-edit-no_variant = A { $kind } takes no variant.
ui-edit-variant_misfit = { $variant } does not fit a { $kind }; choose one of { $variants }.
ui-edit-not_in_end = '{ $step }' is an end step: nothing is submitted from it, so it takes no { $kind }.
ui-edit-form_in_form = A form cannot hold another form.
ui-edit-no_form = '{ $step }' has no form '{ $form }'.
ui-edit-form_into_form = A form cannot go into another form.
ui-edit-not_in_form = '{ $component }' is not in a form.
ui-edit-duplicate_action = '{ $step }' already has an action for '{ $id }': remove it first.
ui-edit-variant_needed = A { $kind } needs a variant: one of { $variants }.
ui-edit-no_such_variant = There is no variant '{ $variant }'.
ui-edit-identifier_required = An input needs the name of the attribute it fills.
ui-edit-invalid_identifier = An attribute name is one word (or a claim URI) of at most { $max } characters.
ui-edit-max_length_zero = A longest length of 0 would refuse every value.
ui-edit-min_above_max = The shortest length ({ $min }) is above the longest ({ $max }).
ui-edit-bad_pattern = The pattern does not compile: { $why }
ui-edit-not_a_count = '{ $raw }' is not a whole number of characters.
ui-edit-not_digits = '{ $raw }' is not a number of digits.
ui-edit-otp_digits = A code has { $min } to { $max } digits.
ui-edit-bad_option = '{ $line }' has no value before the '|'.
ui-edit-duplicate_option = The value '{ $value }' is offered twice.
ui-edit-bad_src = An image address starts with https://, http:// or /.
## A refusal in words another part of the server wrote (a name's check, a widget's).
ui-edit-as_said = { $text }

## What an edit did: the flash after it
ui-edit-both = { $first } { $then }
ui-edit-flow_info_saved = Name and description saved.
ui-edit-step_added = Step '{ $step }' added.
ui-edit-step_keeps_name = Step '{ $step }' keeps its name.
ui-edit-step_renamed = Step '{ $step }' renamed to '{ $new_id }'.
ui-edit-step_already_first = Step '{ $step }' is already first.
ui-edit-step_already_last = Step '{ $step }' is already last.
ui-edit-step_moved_up = Step '{ $step }' moved up.
ui-edit-step_moved_down = Step '{ $step }' moved down.
ui-edit-step_removed = Step '{ $step }' removed.
ui-edit-step_removed_dangling = Step '{ $step }' removed; now leading nowhere: { $edges }.
ui-edit-start_set = The flow now starts at '{ $step }'.
ui-edit-button_leads = Button '{ $button }' of '{ $step }' now leads to '{ $next }'.
ui-edit-button_does_nothing = Button '{ $button }' of '{ $step }' now does nothing.
ui-edit-executor_set = '{ $step }' now runs { $executor }.
ui-edit-executor_set_dropped = '{ $step }' now runs { $executor }; { $dropped } outcome(s) it does not have were dropped.
ui-edit-outcome_leads = Outcome '{ $outcome }' of '{ $step }' now leads to '{ $next }'.
ui-edit-outcome_nowhere = Outcome '{ $outcome }' of '{ $step }' now leads nowhere.
ui-edit-extension_set = '{ $step }' now calls the extension '{ $extension }'.
ui-edit-extension_none = '{ $step }' now calls no extension.
ui-edit-branch_saved = Branch { $n } of '{ $step }' saved: when { $when }, go to '{ $next }'.
ui-edit-branch_added = Branch { $n } added to '{ $step }': when { $when }, go to '{ $next }'.
ui-edit-branch_already_first = Branch { $n } of '{ $step }' is already first.
ui-edit-branch_already_last = Branch { $n } of '{ $step }' is already last.
ui-edit-branch_moved = Branch { $n } of '{ $step }' is now branch { $to }.
ui-edit-branch_removed = Branch { $n } of '{ $step }' removed (when { $when }, go to '{ $next }').
ui-edit-otherwise_nowhere = When no branch of '{ $step }' holds, it now leads nowhere.
ui-edit-otherwise_set = When no branch of '{ $step }' holds, it goes to '{ $next }'.
ui-edit-component_added = '{ $component }' added to '{ $step }'.
ui-edit-component_added_to_form = '{ $component }' added to form '{ $form }' of '{ $step }'.
ui-edit-component_removed = '{ $component }' removed from '{ $step }'.
ui-edit-component_removed_children = '{ $component }' removed from '{ $step }' with the { $children } component(s) it held.
ui-edit-component_removed_actions = '{ $component }' removed from '{ $step }'; { $lost } action(s) went with it.
ui-edit-component_removed_both = '{ $component }' removed from '{ $step }' with the { $children } component(s) it held; { $lost } action(s) went with it.
ui-edit-component_moved_up = '{ $component }' moved up.
ui-edit-component_moved_down = '{ $component }' moved down.
ui-edit-component_already_first = '{ $component }' is already first.
ui-edit-component_already_last = '{ $component }' is already last.
ui-edit-component_already_in_form = '{ $component }' is already in form '{ $form }'.
ui-edit-component_into_form = '{ $component }' moved into form '{ $form }'.
ui-edit-component_out_of_form = '{ $component }' moved out of its form.
ui-edit-component_saved = '{ $component }' of '{ $step }' saved.
ui-edit-component_saved_as = '{ $component }' of '{ $step }' saved as '{ $id }'.

## What removing a step would leave leading nowhere, one edge each, and a list of them
ui-edit-edge_start = the start
ui-edit-edge_button = Button '{ $button }' of '{ $step }'
ui-edit-edge_outcome = Outcome '{ $outcome }' of '{ $step }'
ui-edit-edge_branch = Branch { $n } of '{ $step }'
ui-edit-edge_otherwise = 'Otherwise' of '{ $step }'
ui-edit-list = { $first }, { $rest }
