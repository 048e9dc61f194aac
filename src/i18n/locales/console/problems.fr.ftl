## Constructeur de parcours : ce qui ne va pas dans un brouillon, pourquoi une modification est refusée, ce qu’une modification a fait

## Problèmes d’un brouillon
ui-problem-empty_step_id = Une étape n’a pas d’identifiant.
ui-problem-duplicate_step = Deux étapes s’appellent « { $step } ».
ui-problem-bad_region = « { $code } » n’est pas une région : utilisez un code de pays à deux lettres, comme FR.
ui-problem-missing_start = L’étape de départ « { $step } » n’existe pas.
ui-problem-start_is_end = Le parcours se termine avant de commencer.
ui-problem-dangling_action = « { $step } » mène à « { $target } », qui n’existe pas.
ui-problem-duplicate_component = Deux composants de « { $step } » s’appellent « { $component } ».
ui-problem-input_without_identifier = Le champ « { $component } » ne remplit aucun attribut.
ui-problem-children_outside_form = « { $component } » contient des composants mais n’est pas un formulaire.
ui-problem-nested_form = Le formulaire « { $component } » contient un autre formulaire.
ui-problem-dead_end = La page « { $step } » n’a aucun bouton : personne ne peut la quitter.
ui-problem-button_without_action = Le bouton « { $button } » de « { $step } » ne fait rien.
ui-problem-action_without_button = L’action « { $action } » de « { $step } » n’a pas de bouton.
ui-problem-missing_input = Le bouton « { $button } » de « { $step } » lance { $executor }, qui a besoin du champ « { $input } » sur cette page.
ui-problem-missing_connection = La tâche « { $step } » ne passe par aucune connexion pour l’inscription : nommez-en une.
ui-problem-connection_without_sign_up = La tâche « { $step } » nomme une connexion, mais { $executor } n’en utilise aucune.
ui-problem-missing_extension = La tâche « { $step } » n’appelle aucune extension : nommez-en une.
ui-problem-extension_without_call = La tâche « { $step } » nomme une extension, mais { $executor } n’en appelle aucune.
ui-problem-executor_not_for_flow = { $executor } n’a pas sa place dans un parcours { $flow_type }.
ui-problem-missing_outcome = La tâche « { $step } » ne dit rien du résultat « { $outcome } ».
ui-problem-unknown_outcome = { $executor } n’a pas de résultat « { $outcome } ».
ui-problem-missing_attribute = La tâche « { $step } » ({ $executor }) a besoin de « { $attribute } », qu’aucune page avant elle ne demande.
ui-problem-loop_without_view = « { $step } » est sur une boucle de tâches et de décisions sans aucune page : le parcours ne s’arrêterait jamais.
ui-problem-unreachable = Rien ne mène à « { $step } ».
ui-problem-no_end = Aucun chemin depuis le départ n’atteint une étape de fin.

## Problèmes d’une étape de décision
ui-problem-rule_without_branch = La décision « { $step } » n’a aucune branche : elle va toujours là où mène « Sinon ».
ui-problem-branch_leads_nowhere = La branche { $n } de « { $step } » mène à « { $target } », qui n’existe pas.
ui-problem-branch_condition = Branche { $n } de « { $step } » : { $why }.
ui-problem-attribute_not_collected = La branche { $n } de « { $step } » lit « { $attribute } », qu’un chemin au moins ne demande pas avant d’arriver à « { $step } ».
ui-problem-otherwise_leads_nowhere = Le « Sinon » de « { $step } » mène à « { $target } », qui n’existe pas.

## Problèmes d’une condition, placés dans une phrase : sans majuscule ni point final
ui-condition-empty_condition = un « all » ou un « any » ne liste aucune condition
ui-condition-missing_attribute_name = un test ne nomme aucun attribut
ui-condition-unknown_fact = « { $attribute } » ne fait pas partie de { $facts }
ui-condition-unknown_op = « { $op } » n’est pas un opérateur ; utilisez l’un de { $ops }
ui-condition-missing_value = « { $op } » a besoin d’une valeur
ui-condition-missing_values = « { $op } » a besoin d’une liste de valeurs
ui-condition-too_many_values = « { $op } » liste plus de { $max } valeurs
ui-condition-bad_regex = le motif ne se compile pas : { $why }
ui-condition-bad_domain = « { $domain } » n’est pas un domaine
ui-condition-pattern_too_long = le motif dépasse { $max } caractères
ui-condition-pattern_too_big = une fois compilé, le motif dépasse { $max } octets

## Modifications refusées
ui-edit-invalid_id = « { $id } » n’est pas un identifiant utilisable : commencez par une lettre, puis des lettres, des chiffres, « _ » ou « - », { $max } au plus en tout.
ui-edit-duplicate_component = « { $step } » a déjà un composant « { $id } ».
ui-edit-name_required = Le parcours a besoin d’un nom.
ui-edit-name_too_long = Limitez le nom à { $max } caractères.
ui-edit-description_too_long = Limitez la description à { $max } caractères.
ui-edit-unknown_step = Il n’y a pas d’étape « { $step } ».
ui-edit-not_a_view = « { $step } » est une tâche ou une décision : elle n’affiche rien.
ui-edit-control_character = Retirez les caractères de contrôle invisibles de ce texte.
ui-edit-text_too_long = Limitez ce texte à { $max } caractères.
ui-edit-duplicate_step = Il y a déjà une étape « { $step } ».
ui-edit-remove_start = Le parcours commence à « { $step } » : choisissez d’abord une autre étape de départ.
ui-edit-start_is_end = « { $step } » est une étape de fin : le parcours se terminerait avant de commencer.
ui-edit-end_has_no_actions = « { $step } » est une étape de fin : elle n’a pas d’actions.
ui-edit-no_button = « { $step } » n’a pas de bouton « { $button } ».
ui-edit-not_a_task = « { $step } » n’est pas une tâche.
ui-edit-unknown_outcome = { $executor } n’a pas de résultat « { $outcome } » ; ses résultats sont : { $outcomes }.
ui-edit-extension_without_call = « { $step } » lance { $executor }, qui n’appelle aucune extension : choisissez d’abord CallExtension comme exécutant.
ui-edit-not_a_decision = « { $step } » n’est pas une étape de décision.
ui-edit-unknown_branch = « { $step } » n’a pas de branche { $n } (elle en a { $count }).
ui-edit-condition_unusable = Cette condition n’est pas utilisable : { $why }.
ui-edit-unknown_component = « { $step } » n’a pas de composant « { $component } ».
ui-edit-no_variant = Un composant { $kind } ne prend pas de variante.
ui-edit-variant_misfit = { $variant } ne convient pas à un composant { $kind } ; choisissez parmi { $variants }.
ui-edit-not_in_end = « { $step } » est une étape de fin : rien n’y est envoyé, elle ne prend donc pas de composant { $kind }.
ui-edit-form_in_form = Un formulaire ne peut pas en contenir un autre.
ui-edit-no_form = « { $step } » n’a pas de formulaire « { $form } ».
ui-edit-form_into_form = Un formulaire ne peut pas aller dans un autre formulaire.
ui-edit-not_in_form = « { $component } » n’est pas dans un formulaire.
ui-edit-duplicate_action = « { $step } » a déjà une action pour « { $id } » : retirez-la d’abord.
ui-edit-variant_needed = Un composant { $kind } a besoin d’une variante, parmi { $variants }.
ui-edit-no_such_variant = Il n’y a pas de variante « { $variant } ».
ui-edit-identifier_required = Un champ a besoin du nom de l’attribut qu’il remplit.
ui-edit-invalid_identifier = Un nom d’attribut est un seul mot (ou l’URI d’une revendication) de { $max } caractères au plus.
ui-edit-max_length_zero = Une longueur maximale de 0 refuserait toute valeur.
ui-edit-min_above_max = La longueur minimale ({ $min }) dépasse la longueur maximale ({ $max }).
ui-edit-bad_pattern = Le motif ne se compile pas : { $why }
ui-edit-not_a_count = « { $raw } » n’est pas un nombre entier de caractères.
ui-edit-not_digits = « { $raw } » n’est pas un nombre de chiffres.
ui-edit-otp_digits = Un code compte de { $min } à { $max } chiffres.
ui-edit-bad_option = « { $line } » n’a pas de valeur avant le « | ».
ui-edit-duplicate_option = La valeur « { $value } » est proposée deux fois.
ui-edit-bad_src = L’adresse d’une image commence par https://, http:// ou /.
ui-edit-as_said = { $text }

## Ce qu’une modification a fait
ui-edit-both = { $first } { $then }
ui-edit-flow_info_saved = Nom et description enregistrés.
ui-edit-step_added = Étape « { $step } » ajoutée.
ui-edit-step_keeps_name = L’étape « { $step } » garde son nom.
ui-edit-step_renamed = Étape « { $step } » renommée en « { $new_id } ».
ui-edit-step_already_first = L’étape « { $step } » est déjà la première.
ui-edit-step_already_last = L’étape « { $step } » est déjà la dernière.
ui-edit-step_moved_up = Étape « { $step } » montée.
ui-edit-step_moved_down = Étape « { $step } » descendue.
ui-edit-step_removed = Étape « { $step } » supprimée.
ui-edit-step_removed_dangling = Étape « { $step } » supprimée ; ne mènent plus nulle part : { $edges }.
ui-edit-start_set = Le parcours commence désormais à « { $step } ».
ui-edit-button_leads = Le bouton « { $button } » de « { $step } » mène désormais à « { $next } ».
ui-edit-button_does_nothing = Le bouton « { $button } » de « { $step } » ne fait désormais plus rien.
ui-edit-executor_set = « { $step } » lance désormais { $executor }.
ui-edit-executor_set_dropped = « { $step } » lance désormais { $executor } ; { $dropped ->
        [one] un résultat qu’il n’a pas a été retiré.
       *[other] { $dropped } résultats qu’il n’a pas ont été retirés.
    }
ui-edit-outcome_leads = Le résultat « { $outcome } » de « { $step } » mène désormais à « { $next } ».
ui-edit-outcome_nowhere = Le résultat « { $outcome } » de « { $step } » ne mène désormais plus nulle part.
ui-edit-extension_set = « { $step } » appelle désormais l’extension « { $extension } ».
ui-edit-extension_none = « { $step } » n’appelle désormais plus aucune extension.
ui-edit-branch_saved = Branche { $n } de « { $step } » enregistrée : quand { $when }, aller à « { $next } ».
ui-edit-branch_added = Branche { $n } ajoutée à « { $step } » : quand { $when }, aller à « { $next } ».
ui-edit-branch_already_first = La branche { $n } de « { $step } » est déjà la première.
ui-edit-branch_already_last = La branche { $n } de « { $step } » est déjà la dernière.
ui-edit-branch_moved = La branche { $n } de « { $step } » est désormais la branche { $to }.
ui-edit-branch_removed = Branche { $n } de « { $step } » supprimée (quand { $when }, aller à « { $next } »).
ui-edit-otherwise_nowhere = Quand aucune branche de « { $step } » n’est vraie, l’étape ne mène désormais plus nulle part.
ui-edit-otherwise_set = Quand aucune branche de « { $step } » n’est vraie, l’étape va à « { $next } ».
ui-edit-component_added = « { $component } » ajouté à « { $step } ».
ui-edit-component_added_to_form = « { $component } » ajouté au formulaire « { $form } » de « { $step } ».
ui-edit-component_removed = « { $component } » retiré de « { $step } ».
ui-edit-component_removed_children = « { $component } » retiré de « { $step } » avec { $children ->
        [one] le composant qu’il contenait.
       *[other] les { $children } composants qu’il contenait.
    }
ui-edit-component_removed_actions = « { $component } » retiré de « { $step } » ; { $lost ->
        [one] une action est partie avec lui.
       *[other] { $lost } actions sont parties avec lui.
    }
ui-edit-component_removed_both = « { $component } » retiré de « { $step } » avec { $children ->
        [one] le composant qu’il contenait
       *[other] les { $children } composants qu’il contenait
    } ; { $lost ->
        [one] une action est partie avec lui.
       *[other] { $lost } actions sont parties avec lui.
    }
ui-edit-component_moved_up = « { $component } » monté.
ui-edit-component_moved_down = « { $component } » descendu.
ui-edit-component_already_first = « { $component } » est déjà le premier.
ui-edit-component_already_last = « { $component } » est déjà le dernier.
ui-edit-component_already_in_form = « { $component } » est déjà dans le formulaire « { $form } ».
ui-edit-component_into_form = « { $component } » placé dans le formulaire « { $form } ».
ui-edit-component_out_of_form = « { $component } » sorti de son formulaire.
ui-edit-component_saved = « { $component } » de « { $step } » enregistré.
ui-edit-component_saved_as = « { $component } » de « { $step } » enregistré sous le nom « { $id } ».

## Ce que la suppression d’une étape laisserait mener nulle part, et leur liste
ui-edit-edge_start = le départ
ui-edit-edge_button = le bouton « { $button } » de « { $step } »
ui-edit-edge_outcome = le résultat « { $outcome } » de « { $step } »
ui-edit-edge_branch = la branche { $n } de « { $step } »
ui-edit-edge_otherwise = le « Sinon » de « { $step } »
ui-edit-list = { $first }, { $rest }
